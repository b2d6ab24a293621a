package dev.mason.project;

import dev.mason.web.ApiError;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Optional;
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
   * empty (with CLAUDE.md) when there is no backup.
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
      Optional<BackupStore.StoredBackup> backup = backups.load(projectId);
      if (backup.isEmpty()) {
        create(projectId, name);
        return folder;
      }
      restore(projectId, backup.get(), folder);
      return folder;
    } finally {
      lock.unlock();
    }
  }

  private void restore(UUID projectId, BackupStore.StoredBackup backup, Path folder) {
    String actual = ProjectArchive.sha256Hex(backup.data());
    if (!actual.equals(backup.sha256())) {
      log.error("Backup of project {} is corrupt: sha256 {} but {} was recorded; it is kept untouched", projectId, actual, backup.sha256());
      throw new ApiError(500, "the backup of project " + projectId + " is corrupt (checksum mismatch); "
          + "it was kept for inspection and the folder was not restored", null);
    }
    Path staging = base.resolve("." + projectId + ".restoring");
    try {
      deleteRecursively(staging);
      int files;
      try (InputStream in = new ByteArrayInputStream(backup.data())) {
        files = ProjectArchive.unzip(in, staging);
      }
      // A zip whose checksum matches can still be unreadable (written wrong, or replaced along
      // with its checksum); it then unpacks to fewer files than were recorded.
      if (files != backup.fileCount()) {
        throw new IOException("it unpacked to " + files + " files where " + backup.fileCount() + " were recorded");
      }
      Files.move(staging, folder, StandardCopyOption.ATOMIC_MOVE);
      log.info("Restored project {} from its backup ({} bytes)", projectId, backup.sizeBytes());
    } catch (IOException e) {
      try {
        deleteRecursively(staging);
      } catch (IOException ignored) {
        // the staging folder is rebuilt on the next attempt
      }
      log.error("Backup of project {} could not be unpacked; it is kept untouched", projectId, e);
      throw new ApiError(500, "the backup of project " + projectId + " is corrupt (" + e.getMessage()
          + "); it was kept for inspection and the folder was not restored", null);
    }
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
