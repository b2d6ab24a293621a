package dev.mason.skill;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Python examples must compile: each is written to a temporary file and given to
 * {@code python3 -m py_compile}, the syntax check of the Python that runs them. Nothing is
 * executed, and imports are not resolved (the libraries are Databricks', not this machine's).
 */
public final class PythonCompile implements SkillCheck.ExampleCheck {
  private static final Duration LIMIT = Duration.ofSeconds(30);
  private final String python;

  private PythonCompile(String python) {
    this.python = python;
  }

  /** The check, when {@code python3} runs on this machine. */
  public static Optional<PythonCompile> find() {
    try {
      Process probe = new ProcessBuilder("python3", "--version").redirectErrorStream(true).start();
      probe.getInputStream().readAllBytes();
      return probe.waitFor(LIMIT.toSeconds(), TimeUnit.SECONDS) && probe.exitValue() == 0
          ? Optional.of(new PythonCompile("python3")) : Optional.empty();
    } catch (IOException e) {
      return Optional.empty();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Optional.empty();
    }
  }

  @Override
  public String language() {
    return "python";
  }

  @Override
  public String problem(String code) {
    Path dir = null;
    try {
      dir = Files.createTempDirectory("mason-skill-check");
      Path file = dir.resolve("example.py");
      Files.writeString(file, code);
      Process process = new ProcessBuilder(python, "-m", "py_compile", file.toString())
          .directory(dir.toFile()).redirectErrorStream(true).start();
      byte[] output = process.getInputStream().readAllBytes();
      if (!process.waitFor(LIMIT.toSeconds(), TimeUnit.SECONDS)) {
        process.destroyForcibly();
        return "python3 -m py_compile did not finish within " + LIMIT.toSeconds() + " s";
      }
      if (process.exitValue() == 0) {
        return null;
      }
      // The message names the temporary file; the caller names the skill's file and line.
      return new String(output, StandardCharsets.UTF_8).replace(file.toString(), "example").strip();
    } catch (IOException e) {
      return "cannot run python3: " + e.getMessage();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "interrupted while compiling";
    } finally {
      deleteTree(dir);
    }
  }

  private static void deleteTree(Path dir) {
    if (dir == null) {
      return;
    }
    try (var paths = Files.walk(dir)) {
      paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      // A temporary folder left behind is harmless.
    }
  }
}
