package dev.mason.project;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;

/**
 * Zips a project folder and unzips it back, streaming (memory stays bounded whatever the size),
 * and summarises a folder in a fingerprint that changes when any file is added, removed, resized
 * or touched. Symbolic links are not followed, and entries that would land outside the target are
 * refused on unzip.
 */
final class ProjectArchive {
  private ProjectArchive() {}

  /** What {@link #zip} wrote. */
  record Written(long size, String sha256, int fileCount) {}

  static Written zip(Path folder, Path zipFile) throws IOException {
    MessageDigest digest = sha256();
    int[] files = {0};
    try (OutputStream file = Files.newOutputStream(zipFile);
        var counting = new DigestOutputStream(file, digest);
        var zip = new ZipOutputStream(counting)) {
      for (Path path : regularFiles(folder)) {
        zip.putNextEntry(new ZipEntry(relative(folder, path)));
        Files.copy(path, zip);
        zip.closeEntry();
        files[0]++;
      }
    }
    return new Written(Files.size(zipFile), HexFormat.of().formatHex(digest.digest()), files[0]);
  }

  /**
   * Unpacks into {@code target}; returns the number of files written. Bytes that are not a zip
   * unpack to nothing rather than failing, so callers compare the count with what they expect.
   */
  static int unzip(InputStream in, Path target) throws IOException {
    Path root = target.toAbsolutePath().normalize();
    Files.createDirectories(root);
    int files = 0;
    try (var zip = new ZipInputStream(in)) {
      ZipEntry entry;
      while ((entry = zip.getNextEntry()) != null) {
        Path path = root.resolve(entry.getName()).normalize();
        if (!path.startsWith(root) || path.equals(root)) {
          throw new IOException("backup entry escapes the project folder: " + entry.getName());
        }
        if (entry.isDirectory()) {
          Files.createDirectories(path);
        } else {
          Files.createDirectories(path.getParent());
          Files.copy(zip, path);
          files++;
        }
      }
    }
    return files;
  }

  /** A hash of every file's path, size and modification time; null when the folder is missing. */
  static String fingerprint(Path folder) throws IOException {
    if (!Files.isDirectory(folder)) {
      return null;
    }
    MessageDigest digest = sha256();
    for (Path path : regularFiles(folder)) {
      BasicFileAttributes attrs = Files.readAttributes(path, BasicFileAttributes.class);
      digest.update((relative(folder, path) + "\0" + attrs.size() + "\0" + attrs.lastModifiedTime().toMillis() + "\n")
          .getBytes(StandardCharsets.UTF_8));
    }
    return HexFormat.of().formatHex(digest.digest());
  }

  static String sha256Hex(byte[] bytes) {
    return HexFormat.of().formatHex(sha256().digest(bytes));
  }

  /** Regular files under {@code folder}, sorted, without following links. */
  private static List<Path> regularFiles(Path folder) throws IOException {
    List<Path> files = new ArrayList<>();
    Files.walkFileTree(folder, new SimpleFileVisitor<>() {
      @Override
      public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
        if (attrs.isRegularFile()) {
          files.add(file);
        }
        return FileVisitResult.CONTINUE;
      }

      @Override
      public FileVisitResult visitFileFailed(Path file, IOException exc) {
        return FileVisitResult.CONTINUE;
      }
    });
    files.sort(null);
    return files;
  }

  private static String relative(Path folder, Path file) {
    return folder.relativize(file).toString().replace('\\', '/');
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
