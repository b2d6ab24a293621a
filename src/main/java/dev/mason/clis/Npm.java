package dev.mason.clis;

import dev.mason.env.SecretVariables;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs npm for the installer: with Mason's environment less its secrets, in a given prefix, with a
 * time limit, keeping the last lines of its output for the reason a failure is shown with.
 */
final class Npm {
  static final Duration INSTALL_LIMIT = Duration.ofMinutes(15);
  private static final int TAIL_LINES = 8;

  /** What npm did: exit code (null when it timed out or could not start), its output (the last lines on failure) and why it failed. */
  record Result(Integer exitCode, String output, String reason) {
    boolean ok() {
      return exitCode != null && exitCode == 0;
    }
  }

  private final Map<String, String> env;
  private final String registry;

  /** @param env Mason's environment; its secrets are removed before npm sees it */
  Npm(Map<String, String> env, String registry) {
    this.env = SecretVariables.withoutSecrets(env);
    this.registry = registry;
  }

  /** {@code npm install} of the package.json in {@code prefix}. */
  Result install(Path prefix) {
    List<String> command = new ArrayList<>(List.of("npm", "install", "--prefix", prefix.toString(), "--no-audit", "--no-fund",
        "--no-update-notifier", "--loglevel=error"));
    if (registry != null) {
      command.add("--registry=" + registry);
    }
    return run(command, prefix, INSTALL_LIMIT);
  }

  /** {@code npm view <spec> <fields...> --json}: the registry's answer, or the failure. */
  Result view(String spec, String... fields) {
    List<String> command = new ArrayList<>(List.of("npm", "view", spec));
    command.addAll(List.of(fields));
    command.add("--json");
    if (registry != null) {
      command.add("--registry=" + registry);
    }
    return run(command, Path.of(System.getProperty("java.io.tmpdir")), Duration.ofMinutes(1));
  }

  private Result run(List<String> command, Path directory, Duration limit) {
    ProcessBuilder builder = new ProcessBuilder(command).directory(directory.toFile()).redirectErrorStream(true);
    builder.environment().clear();
    builder.environment().putAll(env);
    Process process;
    try {
      process = builder.start();
    } catch (IOException e) {
      return new Result(null, "", "npm not found: install Node.js and npm, or put them on Mason's PATH");
    }
    Deque<String> tail = new ArrayDeque<>();
    StringBuilder all = new StringBuilder();
    Thread reader = Thread.ofVirtual().name("npm-output-" + process.pid()).start(() -> {
      try (var lines = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
        String line;
        while ((line = lines.readLine()) != null) {
          synchronized (tail) {
            if (all.length() < 1_000_000) {
              all.append(line).append('\n');
            }
            if (!line.isBlank()) {
              tail.addLast(line);
              if (tail.size() > TAIL_LINES) {
                tail.removeFirst();
              }
            }
          }
        }
      } catch (IOException ignored) {
        // the process ended
      }
    });
    try {
      if (!process.waitFor(limit.toMillis(), TimeUnit.MILLISECONDS)) {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
        return new Result(null, tail(tail), "npm did not finish within " + limit.toMinutes() + " minutes");
      }
      reader.join(Duration.ofSeconds(5));
    } catch (InterruptedException e) {
      process.descendants().forEach(ProcessHandle::destroyForcibly);
      process.destroyForcibly();
      Thread.currentThread().interrupt();
      return new Result(null, tail(tail), "interrupted: Mason is stopping");
    }
    String text;
    synchronized (tail) {
      text = all.toString();
    }
    int code = process.exitValue();
    if (code == 0) {
      return new Result(0, text, null);
    }
    String last = tail(tail);
    if (unreachable(text)) {
      String cause = text.lines().filter(l -> l.contains("request to") || l.contains("network")).findFirst().orElse(last).strip();
      return new Result(code, last, "registry unreachable" + (registry == null ? "" : " (" + registry + ")") + ": " + cause);
    }
    return new Result(code, last, "npm failed (exit " + code + "): " + last);
  }

  private static String tail(Deque<String> tail) {
    synchronized (tail) {
      return String.join("\n", tail);
    }
  }

  private static boolean unreachable(String output) {
    return List.of("ENOTFOUND", "ECONNREFUSED", "ETIMEDOUT", "EAI_AGAIN", "ECONNRESET", "ENETUNREACH", "EHOSTUNREACH")
        .stream().anyMatch(output::contains);
  }
}
