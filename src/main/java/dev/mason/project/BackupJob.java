package dev.mason.project;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Zips every project folder that changed since its last backup into the database, on a fixed
 * interval and once more at shutdown.
 *
 * <p>A change is whatever alters the folder's {@linkplain ProjectArchive#fingerprint fingerprint},
 * whoever made it, so nothing depends on an in-memory "dirty" mark that a crash would lose. A
 * missing folder is never backed up: that would replace a good backup with nothing. A folder whose
 * zip passes {@code MASON_MAX_BACKUP_BYTES} is not written at all (zipping stops at the limit, and
 * the previous backup stays whole); it is logged and recorded as the project's backup problem,
 * and not zipped again until it changes or the limit does.
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
  private final long maxBytes;
  private final ReentrantLock passLock = new ReentrantLock();
  private ScheduledExecutorService scheduler;

  /**
   * @param scratch where zips are written before they are stored; emptied at {@link #start}
   * @param maxBytes the largest backup a project may have ({@code MASON_MAX_BACKUP_BYTES})
   */
  BackupJob(ProjectStore projects, ProjectFolders folders, BackupStore backups, Path scratch, long maxBytes) {
    this.projects = projects;
    this.folders = folders;
    this.backups = backups;
    this.scratch = scratch;
    this.maxBytes = maxBytes;
  }

  void start(Duration interval) {
    removeLeftovers();
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
    ProjectArchive.Contents contents = ProjectArchive.scan(folder);
    if (contents == null) {
      return false;
    }
    Optional<BackupStore.Problem> refused = backups.problem(projectId);
    if (Objects.equals(contents.fingerprint(), backups.fingerprint(projectId).orElse(null))) {
      // Back to what the last backup holds (the large files removed): nothing is missing any more.
      refused.ifPresent(problem -> backups.clearProblem(projectId));
      return false;
    }
    if (refused.isPresent() && refused.get().fingerprint().equals(contents.fingerprint()) && refused.get().limitBytes() == maxBytes) {
      return false;
    }
    Files.createDirectories(scratch);
    Path zip = Files.createTempFile(scratch, "backup-" + projectId + "-", ".zip");
    try {
      ProjectArchive.Written written;
      try {
        written = ProjectArchive.zip(contents, zip, maxBytes);
      } catch (ProjectArchive.TooLarge e) {
        refuse(projectId, contents);
        return false;
      }
      if (!backups.save(projectId, zip, written, contents.fingerprint())) {
        return false;
      }
      log.debug("Backed up project {}: {} files, {} bytes", projectId, written.fileCount(), written.size());
      return true;
    } finally {
      Files.deleteIfExists(zip);
    }
  }

  /** Records (and logs, once per change of the folder) that the project is over the limit. */
  private void refuse(UUID projectId, ProjectArchive.Contents contents) {
    long fileBytes = contents.entries().stream().mapToLong(ProjectArchive.Entry::size).sum();
    String kept = backups.summary(projectId).map(b -> "the backup taken at " + b.takenAt() + " is kept").orElse("it has no backup yet");
    String problem = "The project folder (" + fileBytes + " bytes of files) was not backed up: its backup would be larger than "
        + "MASON_MAX_BACKUP_BYTES (" + maxBytes + " bytes), and " + kept + ". Remove large files from the folder (data belongs in "
        + "a volume or a table), or raise the limit.";
    log.warn("Project {}: {}", projectId, problem);
    backups.reportProblem(projectId, problem, contents.fingerprint(), maxBytes);
  }

  /**
   * Removes what a process killed in the middle of a backup left in the scratch folder (a zip of
   * up to {@code maxBytes}). The folder is this job's alone, and the home lock keeps a second
   * Mason off it.
   */
  private void removeLeftovers() {
    if (!Files.isDirectory(scratch)) {
      return;
    }
    long bytes = 0;
    int count = 0;
    try (Stream<Path> leftovers = Files.list(scratch)) {
      for (Path leftover : leftovers.toList()) {
        bytes += Files.isRegularFile(leftover) ? Files.size(leftover) : 0;
        ProjectFolders.deleteRecursively(leftover);
        count++;
      }
    } catch (IOException e) {
      log.warn("Cannot clean the scratch folder {}: {}", scratch, e.getMessage());
    }
    if (count > 0) {
      log.info("Removed {} temporary files ({} bytes) left in {} by an earlier run", count, bytes, scratch);
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
