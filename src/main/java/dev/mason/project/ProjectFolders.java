package dev.mason.project;

import dev.mason.web.ApiError;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The folder of each project under {@code PROJECTS_BASE_DIR}: created with a CLAUDE.md, restored
 * from its backup when missing (synchronously, before anyone uses it), removed with the project.
 *
 * <p>Concurrency: one lock per project id serialises restores, so two requests that find the
 * folder missing restore it once; other projects are not held up.
 */
public final class ProjectFolders {
  private static final Logger log = LoggerFactory.getLogger(ProjectFolders.class);

  private final Path base;
  private final BackupStore backups;
  private final ConcurrentHashMap<UUID, ReentrantLock> locks = new ConcurrentHashMap<>();

  ProjectFolders(Path base, BackupStore backups) {
    this.base = base.toAbsolutePath().normalize();
    this.backups = backups;
  }

  Path pathOf(UUID projectId) {
    return base.resolve(projectId.toString());
  }

  void create(UUID projectId, String name) {
    Path folder = pathOf(projectId);
    try {
      Files.createDirectories(folder);
      Path claude = folder.resolve("CLAUDE.md");
      if (!Files.exists(claude)) {
        Files.writeString(claude, ClaudeTemplate.forProject(name), StandardCharsets.UTF_8);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create the folder of project " + projectId + " at " + folder, e);
    }
  }

  /**
   * The project's folder, present on return: restored from the backup when missing, or created
   * empty (with CLAUDE.md) when there is no backup. The backup is streamed from the database into
   * a staging folder, checked (sha256 and file count), and only then moved into place.
   *
   * @throws ApiError 500 naming the project when its backup is corrupt; the backup is kept
   */
  public Path ensure(UUID projectId, String name) {
    Path folder = pathOf(projectId);
    if (Files.isDirectory(folder)) {
      return folder;
    }
    ReentrantLock lock = locks.computeIfAbsent(projectId, id -> new ReentrantLock());
    lock.lock();
    try {
      if (Files.isDirectory(folder)) {
        return folder;
      }
      if (!restore(projectId, folder)) {
        create(projectId, name);
      }
      return folder;
    } finally {
      lock.unlock();
    }
  }

  /** Restores the folder from its backup; false when there is no backup. */
  private boolean restore(UUID projectId, Path folder) {
    Path staging = base.resolve("." + projectId + ".restoring");
    try {
      if (backups.read(projectId, (backup, zip) -> unpack(backup, zip, staging)).isEmpty()) {
        return false;
      }
      Files.move(staging, folder, StandardCopyOption.ATOMIC_MOVE);
      log.info("Restored project {} from its backup", projectId);
      return true;
    } catch (IOException e) {
      try {
        deleteRecursively(staging);
      } catch (IOException ignored) {
        // the staging folder is rebuilt on the next attempt
      }
      log.error("Backup of project {} could not be restored; it is kept untouched: {}", projectId, e.getMessage());
      throw new ApiError(500, "the backup of project " + projectId + " is corrupt (" + e.getMessage()
          + "); it was kept for inspection and the folder was not restored", null);
    }
  }

  /**
   * Unzips {@code zip} into {@code staging}, hashing every byte on the way.
   *
   * @throws IOException saying why when the backup does not match what was recorded
   */
  private static boolean unpack(BackupStore.Summary backup, InputStream zip, Path staging) throws IOException {
    deleteRecursively(staging);
    MessageDigest digest = ProjectArchive.sha256();
    var hashed = new DigestInputStream(zip, digest);
    int files;
    String unreadable = null;
    try {
      files = ProjectArchive.unzip(hashed, staging);
    } catch (IOException e) {
      files = -1;
      unreadable = e.getMessage();
    }
    // The rest (the zip's central directory) is hashed too, so the checksum covers every byte.
    hashed.transferTo(OutputStream.nullOutputStream());
    String actual = HexFormat.of().formatHex(digest.digest());
    if (!actual.equals(backup.sha256())) {
      throw new IOException("checksum mismatch: sha256 " + actual + " but " + backup.sha256() + " was recorded");
    }
    // A zip whose checksum matches can still be unreadable (written wrong, or replaced along
    // with its checksum); it then fails to unpack, or unpacks to fewer files than were recorded.
    if (unreadable != null) {
      throw new IOException("it cannot be unpacked: " + unreadable);
    }
    if (files != backup.fileCount()) {
      throw new IOException("it unpacked to " + files + " files where " + backup.fileCount() + " were recorded");
    }
    return true;
  }

  void delete(UUID projectId) {
    try {
      deleteRecursively(pathOf(projectId));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot delete the folder of project " + projectId, e);
    } finally {
      locks.remove(projectId);
    }
  }

  static void deleteRecursively(Path root) throws IOException {
    if (!Files.exists(root, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
      return;
    }
    Files.walkFileTree(root, new SimpleFileVisitor<>() {
      @Override
      public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) throws IOException {
        // A folder restored without write permission (its mode kept from the backup) must still be emptied.
        if (!Files.isWritable(dir) || !Files.isExecutable(dir)) {
          Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
        }
        return FileVisitResult.CONTINUE;
      }

      @Override
      public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
        Files.delete(file);
        return FileVisitResult.CONTINUE;
      }

      @Override
      public FileVisitResult postVisitDirectory(Path dir, IOException exc) throws IOException {
        Files.delete(dir);
        return FileVisitResult.CONTINUE;
      }
    });
  }
}
