package dev.mason.testing;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mason.web.Json;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.TimeUnit;

/**
 * The real Claude Code CLI at the version Mason pins ({@code clis/package.json}), installed from
 * npm once per version into {@code ~/.cache/mason-tests/claude-code/<version>} and shared by every
 * test run after that (a file lock keeps two runs from installing at once).
 */
public final class PinnedClaudeCode {
  private static final String PACKAGE = "@anthropic-ai/claude-code";

  private PinnedClaudeCode() {}

  public static String version() {
    try (InputStream in = PinnedClaudeCode.class.getClassLoader().getResourceAsStream("clis/package.json")) {
      JsonNode pins = Json.MAPPER.readTree(in);
      return pins.path("dependencies").path(PACKAGE).asText();
    } catch (IOException | NullPointerException e) {
      throw new IllegalStateException("clis/package.json with a pin of " + PACKAGE + " is not on the class path", e);
    }
  }

  /** The cached install's {@code node_modules}, installed first when missing. */
  public static Path nodeModules() {
    Path folder = Path.of(System.getProperty("user.home"), ".cache", "mason-tests", "claude-code", version());
    Path binary = folder.resolve("node_modules").resolve(".bin").resolve("claude");
    try {
      Files.createDirectories(folder);
      try (FileChannel channel = FileChannel.open(folder.resolve(".lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
          FileLock ignored = channel.lock()) {
        if (!Files.isExecutable(binary) || !runs(binary)) {
          Process npm = new ProcessBuilder("npm", "install", "--no-audit", "--no-fund", "--prefix", folder.toString(),
              PACKAGE + "@" + version())
              .redirectErrorStream(true).redirectOutput(folder.resolve("install.log").toFile()).start();
          if (!npm.waitFor(5, TimeUnit.MINUTES) || npm.exitValue() != 0) {
            npm.destroyForcibly();
            throw new IllegalStateException("npm could not install " + PACKAGE + "@" + version() + "; see " + folder.resolve("install.log"));
          }
        }
      }
    } catch (IOException e) {
      throw new IllegalStateException("cannot install Claude Code into " + folder, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while installing Claude Code", e);
    }
    return folder.resolve("node_modules");
  }

  /** Makes the CLI one Mason started on {@code masonHome} finds where it installs CLIs: {@code clis/node_modules/.bin}. */
  public static void installInto(Path masonHome) {
    Path modules = nodeModules();
    try {
      Path clis = masonHome.resolve("clis");
      Files.createDirectories(clis);
      Path link = clis.resolve("node_modules");
      if (!Files.exists(link)) {
        Files.createSymbolicLink(link, modules);
      }
    } catch (IOException e) {
      throw new IllegalStateException("cannot link Claude Code into " + masonHome, e);
    }
  }

  private static boolean runs(Path binary) throws IOException, InterruptedException {
    Process check = new ProcessBuilder(binary.toString(), "--version").redirectErrorStream(true).start();
    boolean ended = check.waitFor(30, TimeUnit.SECONDS);
    String out = new String(check.getInputStream().readAllBytes());
    if (!ended) {
      check.destroyForcibly();
      return false;
    }
    return check.exitValue() == 0 && out.contains(version());
  }
}
