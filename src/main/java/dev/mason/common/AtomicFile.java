package dev.mason.common;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Set;

/**
 * Replaces a file's content all at once: the new bytes go to a temporary file in the same folder,
 * are flushed to disk, and the temporary file is renamed over the original. Whenever the process
 * dies, the file under its own name is either the old content or the new, never a part of either.
 *
 * <p>A file that existed keeps its permission bits (a new one gets the usual default, as any file
 * created under the process's umask), except one written private: that one is readable by Mason's
 * user alone from the moment its temporary file exists. The temporary file is removed when
 * writing fails; only a kill can leave one behind, named {@code .<name>.<random>.mason-tmp},
 * beside the original.
 */
public final class AtomicFile {
  /** Code points of the name kept in the temporary name: at most 200 bytes, leaving room for the rest within 255. */
  private static final int MAX_NAME_PART = 50;
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final FileAttribute<Set<PosixFilePermission>> PRIVATE_FILE =
      PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"));
  private static final FileAttribute<Set<PosixFilePermission>> PRIVATE_FOLDER =
      PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------"));

  private AtomicFile() {}

  /** Writes {@code bytes} as the whole content of {@code target}. */
  public static void write(Path target, byte[] bytes) throws IOException {
    write(target, out -> out.write(bytes), false);
  }

  /** Writes {@code content} as the whole content of {@code target}, readable and writable by Mason's user alone: for secrets. */
  public static void writePrivate(Path target, String content) throws IOException {
    write(target, out -> out.write(content.getBytes(StandardCharsets.UTF_8)), true);
  }

  /** Writes everything {@code in} holds as the whole content of {@code target}; returns its size. */
  public static long write(Path target, InputStream in) throws IOException {
    long[] size = {0};
    write(target, out -> size[0] = in.transferTo(out), false);
    return size[0];
  }

  /** Creates {@code folder} and its parents when missing, the folder itself open to Mason's user alone. */
  public static Path privateFolder(Path folder) throws IOException {
    if (!Files.isDirectory(folder)) {
      Files.createDirectories(folder, posix(folder) ? new FileAttribute<?>[] {PRIVATE_FOLDER} : new FileAttribute<?>[0]);
    }
    return folder;
  }

  private interface Content {
    void writeTo(OutputStream out) throws IOException;
  }

  private static void write(Path target, Content content, boolean ownerOnly) throws IOException {
    // A rename would replace a file its owner made read-only; writing in place would not.
    if (Files.exists(target) && !Files.isWritable(target)) {
      throw new AccessDeniedException(target.toString(), null, "the file is read-only");
    }
    Path temp = target.resolveSibling(tempName(target));
    Set<PosixFilePermission> mode = ownerOnly ? null : modeOf(target);
    FileAttribute<?>[] created = ownerOnly && posix(target) ? new FileAttribute<?>[] {PRIVATE_FILE} : new FileAttribute<?>[0];
    try {
      try (FileChannel channel = FileChannel.open(temp, Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE), created)) {
        OutputStream out = Channels.newOutputStream(channel);
        content.writeTo(out);
        out.flush();
        channel.force(true);
      }
      if (mode != null) {
        Files.setPosixFilePermissions(temp, mode);
      }
      Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException | RuntimeException | Error e) {
      try {
        Files.deleteIfExists(temp);
      } catch (IOException cleanup) {
        e.addSuppressed(cleanup);
      }
      throw e;
    }
  }

  /** The permission bits of an existing {@code target}; null when it is new or has none. */
  private static Set<PosixFilePermission> modeOf(Path target) throws IOException {
    PosixFileAttributeView view = Files.getFileAttributeView(target, PosixFileAttributeView.class);
    if (view == null || !Files.exists(target)) {
      return null;
    }
    return view.readAttributes().permissions();
  }

  private static boolean posix(Path path) {
    return path.getFileSystem().supportedFileAttributeViews().contains("posix");
  }

  private static String tempName(Path target) {
    String name = target.getFileName().toString();
    if (name.codePointCount(0, name.length()) > MAX_NAME_PART) {
      name = name.substring(0, name.offsetByCodePoints(0, MAX_NAME_PART));
    }
    byte[] random = new byte[6];
    RANDOM.nextBytes(random);
    return "." + name + "." + HexFormat.of().formatHex(random) + ".mason-tmp";
  }
}
