package dev.mason.project;

import dev.mason.common.Sha256;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;

/**
 * Zips a project folder and unzips it back, streaming (memory stays bounded whatever the size),
 * and summarises a folder in a fingerprint that changes when any file or folder is added,
 * removed, resized, touched or given another mode.
 *
 * <p>The zip holds every folder (so empty ones come back) and every regular file, each with its
 * permission bits in the Info-ZIP "ASi Unix" extra field ({@link UnixMode}) and its modification
 * time. Symbolic links are not followed, and entries that would land outside the target are
 * refused on unzip.
 */
final class ProjectArchive {
  private ProjectArchive() {}

  /**
   * A folder or regular file of the project.
   *
   * @param name the path relative to the project folder, '/' separators
   * @param mode the permission bits (0755 and the like)
   */
  record Entry(Path path, String name, boolean folder, long size, FileTime modified, int mode) {}

  /** What a folder holds, in name order, and its fingerprint. */
  record Contents(List<Entry> entries, String fingerprint) {}

  /** What {@link #zip} wrote. */
  record Written(long size, String sha256, int fileCount) {}

  /** The zip grew past the limit it was given; what was written is to be discarded. */
  static final class TooLarge extends IOException {
    TooLarge(long limit) {
      super("the zip passed " + limit + " bytes");
    }
  }

  /** The folder's contents; null when the folder is missing. */
  static Contents scan(Path folder) throws IOException {
    if (!Files.isDirectory(folder)) {
      return null;
    }
    List<Entry> entries = new ArrayList<>();
    Files.walkFileTree(folder, new SimpleFileVisitor<>() {
      @Override
      public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) throws IOException {
        if (!dir.equals(folder)) {
          entries.add(new Entry(dir, relative(folder, dir), true, 0, attrs.lastModifiedTime(), modeOf(dir, attrs)));
        }
        return FileVisitResult.CONTINUE;
      }

      @Override
      public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
        if (attrs.isRegularFile()) {
          entries.add(new Entry(file, relative(folder, file), false, attrs.size(), attrs.lastModifiedTime(), modeOf(file, attrs)));
        }
        return FileVisitResult.CONTINUE;
      }

      @Override
      public FileVisitResult visitFileFailed(Path file, IOException exc) {
        return FileVisitResult.CONTINUE;
      }
    });
    entries.sort(Comparator.comparing(Entry::name));
    MessageDigest digest = sha256();
    for (Entry entry : entries) {
      // A folder's own modification time is left out: it changes whenever a file inside is
      // created or renamed, which the files' own lines already show.
      String line = entry.folder()
          ? entry.name() + "/\0" + Integer.toOctalString(entry.mode()) + "\n"
          : entry.name() + "\0" + entry.size() + "\0" + entry.modified().toMillis() + "\0" + Integer.toOctalString(entry.mode()) + "\n";
      digest.update(line.getBytes(StandardCharsets.UTF_8));
    }
    return new Contents(entries, HexFormat.of().formatHex(digest.digest()));
  }

  /**
   * Zips {@code contents} into {@code zipFile}.
   *
   * @throws TooLarge as soon as the zip passes {@code maxBytes}
   */
  static Written zip(Contents contents, Path zipFile, long maxBytes) throws IOException {
    MessageDigest digest = sha256();
    int files = 0;
    try (OutputStream file = Files.newOutputStream(zipFile);
        var limited = new LimitedOutputStream(file, maxBytes);
        var hashing = new DigestOutputStream(limited, digest);
        var zip = new ZipOutputStream(hashing)) {
      for (Entry entry : contents.entries()) {
        if (entry.folder()) {
          zip.putNextEntry(zipEntry(entry.name() + "/", entry));
          zip.closeEntry();
        } else if (Files.isRegularFile(entry.path(), LinkOption.NOFOLLOW_LINKS)) {
          zip.putNextEntry(zipEntry(entry.name(), entry));
          Files.copy(entry.path(), zip);
          zip.closeEntry();
          files++;
        }
      }
    }
    return new Written(Files.size(zipFile), HexFormat.of().formatHex(digest.digest()), files);
  }

  /**
   * Unpacks into {@code target}; returns the number of files written. Bytes that are not a zip
   * unpack to nothing rather than failing, so callers compare the count with what they expect.
   * Folders get their modes last, deepest first, so that a read-only folder can still be filled.
   */
  static int unzip(InputStream in, Path target) throws IOException {
    Path root = target.toAbsolutePath().normalize();
    Files.createDirectories(root);
    int files = 0;
    Deque<Entry> folders = new ArrayDeque<>();
    var zip = new ZipInputStream(in);
    ZipEntry entry;
    while ((entry = zip.getNextEntry()) != null) {
      Path path = root.resolve(entry.getName()).normalize();
      if (!path.startsWith(root) || path.equals(root)) {
        throw new IOException("backup entry escapes the project folder: " + entry.getName());
      }
      Integer mode = UnixMode.read(entry.getExtra());
      if (entry.isDirectory()) {
        Files.createDirectories(path);
        if (mode != null) {
          folders.push(new Entry(path, entry.getName(), true, 0, entry.getLastModifiedTime(), mode));
        }
      } else {
        Files.createDirectories(path.getParent());
        Files.copy(zip, path);
        if (mode != null) {
          Files.setPosixFilePermissions(path, permissions(mode));
        }
        if (entry.getLastModifiedTime() != null) {
          Files.setLastModifiedTime(path, entry.getLastModifiedTime());
        }
        files++;
      }
    }
    folders.stream().sorted(Comparator.comparingInt((Entry e) -> e.path().getNameCount()).reversed())
        .forEach(folder -> setMode(folder.path(), folder.mode()));
    return files;
  }

  static MessageDigest sha256() {
    return Sha256.digest();
  }

  private static ZipEntry zipEntry(String name, Entry entry) {
    ZipEntry zipEntry = new ZipEntry(name);
    zipEntry.setLastModifiedTime(entry.modified());
    zipEntry.setExtra(UnixMode.field(entry.mode(), entry.folder()));
    return zipEntry;
  }

  private static void setMode(Path path, int mode) {
    try {
      Files.setPosixFilePermissions(path, permissions(mode));
    } catch (IOException | UnsupportedOperationException e) {
      // The folder is there with the default mode; its contents are whole.
    }
  }

  private static int modeOf(Path path, BasicFileAttributes attrs) throws IOException {
    Set<PosixFilePermission> permissions = attrs instanceof PosixFileAttributes posix ? posix.permissions()
        : Files.readAttributes(path, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS).permissions();
    int mode = 0;
    for (PosixFilePermission permission : permissions) {
      mode |= 1 << (8 - permission.ordinal());
    }
    return mode;
  }

  /** {@link PosixFilePermission} is declared in the order of the mode's bits, from 0400 down to 0001. */
  private static Set<PosixFilePermission> permissions(int mode) {
    Set<PosixFilePermission> permissions = java.util.EnumSet.noneOf(PosixFilePermission.class);
    for (PosixFilePermission permission : PosixFilePermission.values()) {
      if ((mode & (1 << (8 - permission.ordinal()))) != 0) {
        permissions.add(permission);
      }
    }
    return permissions;
  }

  private static String relative(Path folder, Path file) {
    return folder.relativize(file).toString().replace('\\', '/');
  }

  /** Counts what passes through and throws {@link TooLarge} once it is more than the limit. */
  private static final class LimitedOutputStream extends FilterOutputStream {
    private final long limit;
    private long written;

    LimitedOutputStream(OutputStream out, long limit) {
      super(out);
      this.limit = limit;
    }

    @Override
    public void write(int b) throws IOException {
      count(1);
      out.write(b);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      count(len);
      out.write(b, off, len);
    }

    private void count(int bytes) throws IOException {
      written += bytes;
      if (written > limit) {
        throw new TooLarge(limit);
      }
    }
  }
}
