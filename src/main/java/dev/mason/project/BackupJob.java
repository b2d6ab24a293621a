package dev.mason.project;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Zips every project folder that changed since its last backup into the database, on a fixed
 * interval and once more at shutdown.
 *
 * <p>A change is whatever alters the folder's {@linkplain ProjectArchive#fingerprint fingerprint},
 * whoever made it, so nothing depends on an in-memory "dirty" mark that a crash would lose. A
 * missing folder is never backed up: that would replace a good backup with nothing.
 *
 * <p>Concurrency: passes never overlap ({@code passLock}); the scheduled thread is named
 * {@code mason-backup}.
 */
public final class BackupJob implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(BackupJob.class);
  /** Part of the 10 s shutdown budget: web 2 s, final backup 4 s, embedded PostgreSQL 3 s (+1 s). */
  private static final Duration FINAL_PASS_LIMIT = Duration.ofSeconds(4);

  private final ProjectStore projects;
  private final ProjectFolders folders;
  private final BackupStore backups;
  private final Path scratch;
  private final ReentrantLock passLock = new ReentrantLock();
  private ScheduledExecutorService scheduler;

  BackupJob(ProjectStore projects, ProjectFolders folders, BackupStore backups, Path scratch) {
    this.projects = projects;
    this.folders = folders;
    this.backups = backups;
    this.scratch = scratch;
  }

  void start(Duration interval) {
    scheduler = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().name("mason-backup").daemon().factory());
    scheduler.scheduleWithFixedDelay(this::runQuietly, interval.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** Backs up every changed project now; returns how many were written. */
  public int runOnce() {
    passLock.lock();
    try {
      int written = 0;
      for (UUID id : projects.allProjectIds()) {
        try {
          if (backUp(id)) {
            written++;
          }
        } catch (IOException | RuntimeException e) {
          log.error("Backup of project {} failed; the previous backup is kept", id, e);
        }
      }
      return written;
    } finally {
      passLock.unlock();
    }
  }

  private boolean backUp(UUID projectId) throws IOException {
    Path folder = folders.pathOf(projectId);
    String fingerprint = ProjectArchive.fingerprint(folder);
    if (fingerprint == null || Objects.equals(fingerprint, backups.fingerprint(projectId).orElse(null))) {
      return false;
    }
    Files.createDirectories(scratch);
    Path zip = Files.createTempFile(scratch, "backup-" + projectId, ".zip");
    try {
      ProjectArchive.Written written = ProjectArchive.zip(folder, zip);
      backups.save(projectId, zip, written, fingerprint);
      log.debug("Backed up project {}: {} files, {} bytes", projectId, written.fileCount(), written.size());
      return true;
    } finally {
      Files.deleteIfExists(zip);
    }
  }

  private void runQuietly() {
    try {
      runOnce();
    } catch (RuntimeException e) {
      log.error("Backup pass failed", e);
    }
  }

  /** Stops the schedule and runs a final pass, bounded by {@link #FINAL_PASS_LIMIT}. */
  @Override
  public void close() {
    if (scheduler == null) {
      return;
    }
    scheduler.shutdownNow();
    Thread last = Thread.ofPlatform().name("mason-backup-final").start(this::runQuietly);
    try {
      if (!last.join(FINAL_PASS_LIMIT)) {
        log.warn("The final backup pass did not finish within {} s; changes since the last pass may be missing from the backup",
            FINAL_PASS_LIMIT.toSeconds());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
