package dev.mason.testing;

import dev.mason.clis.CliPins;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The real coding-agent CLIs from npm, at the versions Mason ships ({@code clis/package.json}),
 * installed at most once per pins per machine into {@code ~/.cache/mason-tests/clis/<pins hash>}
 * and shared by every test class and later runs. The folder has the layout a Databricks App gets
 * from the platform's {@code npm install} of the same package.json ({@code node_modules/.bin}), so
 * a Mason started with {@code MASON_CLIS_DIR} = {@link #folder()} finds them there and installs
 * nothing.
 *
 * <p>Safe across JVMs: the install runs under a file lock, and a folder counts as installed only
 * once its marker is written after a successful {@code npm install}.
 */
public final class CachedClis {
  private static final long INSTALL_MINUTES = 20;
  private static volatile Path folder;

  private CachedClis() {}

  /** The folder holding {@code node_modules/.bin/claude}, {@code codex}, {@code gemini} and {@code opencode}. */
  public static Path folder() {
    Path known = folder;
    if (known != null) {
      return known;
    }
    synchronized (CachedClis.class) {
      if (folder == null) {
        folder = install(CliPins.shipped());
      }
      return folder;
    }
  }

  private static Path install(CliPins pins) {
    Path root = Path.of(System.getProperty("user.home"), ".cache", "mason-tests", "clis");
    Path target = root.resolve(pins.hash());
    Path marker = target.resolve(".installed");
    try {
      Files.createDirectories(root);
      try (FileChannel channel = FileChannel.open(root.resolve(pins.hash() + ".lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
          FileLock ignored = channel.lock()) {
        if (Files.exists(marker) || installedAlready(target)) {
          return target;
        }
        Files.createDirectories(target);
        Files.writeString(target.resolve("package.json"), pins.json());
        Process npm = new ProcessBuilder(List.of("npm", "install", "--prefix", target.toString(), "--no-audit", "--no-fund", "--loglevel=error"))
            .directory(target.toFile()).redirectErrorStream(true).redirectOutput(target.resolve("npm-install.log").toFile()).start();
        if (!npm.waitFor(INSTALL_MINUTES, TimeUnit.MINUTES) || npm.exitValue() != 0) {
          npm.destroyForcibly();
          throw new IllegalStateException("npm install of the pinned CLIs failed; see " + target.resolve("npm-install.log"));
        }
        Files.writeString(marker, pins.json());
        return target;
      }
    } catch (IOException e) {
      throw new IllegalStateException("cannot install the pinned CLIs into " + target, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while installing the pinned CLIs", e);
    }
  }

  /** An install made before the marker existed (by hand, with the same package.json): every command present. */
  private static boolean installedAlready(Path target) throws IOException {
    Path bin = target.resolve("node_modules").resolve(".bin");
    boolean complete = List.of("claude", "codex", "gemini", "opencode").stream().allMatch(c -> Files.exists(bin.resolve(c)));
    if (complete) {
      Files.writeString(target.resolve(".installed"), Files.readString(target.resolve("package.json")));
    }
    return complete;
  }
}
