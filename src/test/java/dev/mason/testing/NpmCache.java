package dev.mason.testing;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.TimeUnit;

/**
 * npm packages the tests run for real (an SDK, a CLI), installed from the npm registry once per
 * version into {@code ~/.cache/mason-tests/<name>/<version>} and reused by every later run. A lock
 * file keeps two test JVMs from installing the same one at once; a marker file says the install
 * finished, so a run that was killed halfway installs again.
 */
public final class NpmCache {
  private static final long INSTALL_MINUTES = 5;

  private NpmCache() {}

  /** The folder whose {@code node_modules} holds {@code pkg@version}. */
  public static Path install(String name, String pkg, String version) {
    Path folder = Path.of(System.getProperty("user.home"), ".cache", "mason-tests", name, version);
    Path done = folder.resolve(".installed");
    try {
      Files.createDirectories(folder);
      try (FileChannel channel = FileChannel.open(folder.resolve(".lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
          FileLock ignored = channel.lock()) {
        if (Files.exists(done)) {
          return folder;
        }
        Files.writeString(folder.resolve("package.json"), "{\"private\": true}\n", StandardCharsets.UTF_8);
        Process npm = new ProcessBuilder("npm", "install", "--no-audit", "--no-fund", "--loglevel=error", pkg + "@" + version)
            .directory(folder.toFile()).redirectErrorStream(true).redirectOutput(folder.resolve("install.log").toFile()).start();
        if (!npm.waitFor(INSTALL_MINUTES, TimeUnit.MINUTES)) {
          npm.destroyForcibly();
          throw new IllegalStateException("npm install " + pkg + "@" + version + " took over " + INSTALL_MINUTES + " minutes");
        }
        if (npm.exitValue() != 0) {
          throw new IllegalStateException("npm install " + pkg + "@" + version + " failed: "
              + Files.readString(folder.resolve("install.log"), StandardCharsets.UTF_8));
        }
        Files.writeString(done, pkg + "@" + version + "\n", StandardCharsets.UTF_8);
        return folder;
      }
    } catch (IOException e) {
      throw new IllegalStateException("cannot install " + pkg + "@" + version + " into " + folder + ": " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while installing " + pkg + "@" + version, e);
    }
  }
}
