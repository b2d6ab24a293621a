package dev.mason.terminal;

import dev.mason.web.ApiError;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.SecureRandom;
import java.text.Normalizer;
import java.util.HexFormat;

/**
 * Files dropped or pasted into a terminal, saved as {@code ~/uploads/<random>_<safe name>} so the
 * browser can type the path into the shell. The name is reduced to letters, digits, {@code . _ -}:
 * no path, no leading dot, nothing a shell would interpret.
 */
final class UploadStore {
  static final long MAX_BYTES = 32L * 1024 * 1024;
  private static final int MAX_NAME_LENGTH = 100;
  private static final SecureRandom RANDOM = new SecureRandom();

  private final Path directory;

  UploadStore(Path directory) {
    this.directory = directory;
  }

  /** Saves {@code content} (at most {@link #MAX_BYTES}, else 413 and nothing kept) and returns its absolute path. */
  Path save(String originalName, InputStream content) throws IOException {
    Files.createDirectories(directory);
    byte[] prefix = new byte[4];
    RANDOM.nextBytes(prefix);
    Path target = directory.resolve(HexFormat.of().formatHex(prefix) + "_" + safeName(originalName));
    long written = 0;
    try (OutputStream out = Files.newOutputStream(target, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
      byte[] buffer = new byte[64 * 1024];
      int n;
      while ((n = content.read(buffer)) >= 0) {
        written += n;
        if (written > MAX_BYTES) {
          throw tooLarge();
        }
        out.write(buffer, 0, n);
      }
    } catch (IOException | RuntimeException e) {
      Files.deleteIfExists(target);
      throw e;
    }
    return target.toAbsolutePath();
  }

  static ApiError tooLarge() {
    return new ApiError(413, "the file is larger than the upload limit of " + MAX_BYTES / (1024 * 1024) + " MB", "file");
  }

  /**
   * The last path segment of {@code name}, accents folded to ASCII, every other character outside
   * {@code [A-Za-z0-9._-]} made an underscore, leading dots and underscores dropped, at most 100
   * characters keeping the extension; "upload" when nothing is left.
   */
  static String safeName(String name) {
    String base = name == null ? "" : name.substring(Math.max(name.lastIndexOf('/'), name.lastIndexOf('\\')) + 1);
    String folded = Normalizer.normalize(base, Normalizer.Form.NFKD).replaceAll("\\p{M}", "");
    String safe = folded.replaceAll("[^A-Za-z0-9._-]+", "_").replaceAll("^[._]+", "").replaceAll("_+$", "");
    if (safe.length() > MAX_NAME_LENGTH) {
      int dot = safe.lastIndexOf('.');
      String extension = dot > 0 && safe.length() - dot <= 16 ? safe.substring(dot) : "";
      safe = safe.substring(0, MAX_NAME_LENGTH - extension.length()) + extension;
    }
    return safe.isEmpty() ? "upload" : safe;
  }
}
