package dev.mason.project;

import dev.mason.store.Database;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Iterator;
import java.util.Optional;
import java.util.UUID;
import org.jdbi.v3.core.result.ResultIterator;

/**
 * Each project's backup: a row in project_backups (size, sha256, source fingerprint, file count)
 * and the zip itself as numbered chunks in project_backup_chunks, written and read one chunk at a
 * time, so neither side ever holds a whole backup in memory. A backup is replaced in one
 * transaction: a reader sees the old one or the new one, never a mix, and a save that dies
 * leaves the old one. project_backup_problems records a backup that was refused (over the size
 * limit), until the next one succeeds.
 */
final class BackupStore {
  /** The most one chunk row holds: what is in memory at once while saving or restoring. */
  static final int CHUNK_BYTES = 4 * 1024 * 1024;

  private static final String SUMMARY = "SELECT size_bytes, sha256, file_count, taken_at FROM project_backups WHERE project_id = :id";

  private final Database db;

  BackupStore(Database db) {
    this.db = db;
  }

  /** What a stored backup is: the zip's size and sha256, the files in it, when it was taken. */
  record Summary(long sizeBytes, String sha256, int fileCount, Instant takenAt) {}

  /** Why the latest change of a project was not backed up, and what was refused. */
  record Problem(String problem, String fingerprint, long limitBytes, Instant noticedAt) {}

  /** Reads a backup's zip, streamed from the database. */
  interface ZipReader<R> {
    R read(Summary summary, InputStream zip) throws IOException;
  }

  Optional<String> fingerprint(UUID projectId) {
    return db.withHandle(h -> h.createQuery("SELECT fingerprint FROM project_backups WHERE project_id = :id")
        .bind("id", projectId).mapTo(String.class).findOne());
  }

  Optional<Summary> summary(UUID projectId) {
    return db.withHandle(h -> h.createQuery(SUMMARY).bind("id", projectId).map((rs, ctx) -> summaryOf(rs)).findOne());
  }

  Optional<Problem> problem(UUID projectId) {
    return db.withHandle(h -> h.createQuery(
            "SELECT problem, fingerprint, limit_bytes, noticed_at FROM project_backup_problems WHERE project_id = :id")
        .bind("id", projectId)
        .map((rs, ctx) -> new Problem(rs.getString("problem"), rs.getString("fingerprint"), rs.getLong("limit_bytes"),
            rs.getObject("noticed_at", OffsetDateTime.class).toInstant()))
        .findOne());
  }

  /**
   * Hands the project's backup to {@code reader} as a stream of its chunks, in one transaction
   * (a backup saved meanwhile is not mixed in); empty when there is none. The driver fetches one
   * chunk at a time through a cursor.
   */
  <R> Optional<R> read(UUID projectId, ZipReader<R> reader) throws IOException {
    return db.inTransaction(h -> {
      Optional<Summary> summary = h.createQuery(SUMMARY).bind("id", projectId).map((rs, ctx) -> summaryOf(rs)).findOne();
      if (summary.isEmpty()) {
        return Optional.<R>empty();
      }
      try (ResultIterator<byte[]> chunks = h.createQuery("SELECT data FROM project_backup_chunks WHERE project_id = :id ORDER BY seq")
          .bind("id", projectId).setFetchSize(1).mapTo(byte[].class).iterator()) {
        return Optional.of(reader.read(summary.get(), new ChunkStream(chunks)));
      }
    });
  }

  /**
   * Replaces the project's backup with {@code zipFile} and clears any recorded problem, in one
   * transaction; returns false (writing nothing) when the project was deleted meanwhile.
   */
  boolean save(UUID projectId, Path zipFile, ProjectArchive.Written written, String fingerprint) throws IOException {
    return db.inTransaction(h -> {
      int rows = h.createUpdate("""
              INSERT INTO project_backups (project_id, size_bytes, sha256, fingerprint, file_count, taken_at)
              SELECT :id, :size, :sha, :fp, :files, now() WHERE EXISTS (SELECT 1 FROM projects WHERE id = :id)
              ON CONFLICT (project_id) DO UPDATE SET size_bytes = EXCLUDED.size_bytes, sha256 = EXCLUDED.sha256,
                  fingerprint = EXCLUDED.fingerprint, file_count = EXCLUDED.file_count, taken_at = EXCLUDED.taken_at""")
          .bind("id", projectId).bind("size", written.size()).bind("sha", written.sha256()).bind("fp", fingerprint)
          .bind("files", written.fileCount())
          .execute();
      if (rows == 0) {
        return false;
      }
      h.createUpdate("DELETE FROM project_backup_chunks WHERE project_id = :id").bind("id", projectId).execute();
      try (InputStream in = Files.newInputStream(zipFile)) {
        int seq = 0;
        for (byte[] chunk = in.readNBytes(CHUNK_BYTES); chunk.length > 0; chunk = in.readNBytes(CHUNK_BYTES)) {
          h.createUpdate("INSERT INTO project_backup_chunks (project_id, seq, data) VALUES (:id, :seq, :data)")
              .bind("id", projectId).bind("seq", seq++).bind("data", chunk).execute();
        }
      }
      h.createUpdate("DELETE FROM project_backup_problems WHERE project_id = :id").bind("id", projectId).execute();
      return true;
    });
  }

  /** Records why the folder with {@code fingerprint} was not backed up under {@code limitBytes}. */
  void reportProblem(UUID projectId, String problem, String fingerprint, long limitBytes) {
    db.withHandle(h -> h.createUpdate("""
            INSERT INTO project_backup_problems (project_id, problem, fingerprint, limit_bytes, noticed_at)
            SELECT :id, :problem, :fp, :limit, now() WHERE EXISTS (SELECT 1 FROM projects WHERE id = :id)
            ON CONFLICT (project_id) DO UPDATE SET problem = EXCLUDED.problem, fingerprint = EXCLUDED.fingerprint,
                limit_bytes = EXCLUDED.limit_bytes, noticed_at = EXCLUDED.noticed_at""")
        .bind("id", projectId).bind("problem", problem).bind("fp", fingerprint).bind("limit", limitBytes)
        .execute());
  }

  void clearProblem(UUID projectId) {
    db.withHandle(h -> h.createUpdate("DELETE FROM project_backup_problems WHERE project_id = :id").bind("id", projectId).execute());
  }

  private static Summary summaryOf(ResultSet rs) throws SQLException {
    return new Summary(rs.getLong("size_bytes"), rs.getString("sha256"), rs.getInt("file_count"),
        rs.getObject("taken_at", OffsetDateTime.class).toInstant());
  }

  /** The chunks of one backup, in order, as one stream; each chunk is fetched when the last is used up. */
  private static final class ChunkStream extends InputStream {
    private final Iterator<byte[]> chunks;
    private byte[] current = new byte[0];
    private int at;

    ChunkStream(Iterator<byte[]> chunks) {
      this.chunks = chunks;
    }

    @Override
    public int read() {
      return fill() ? current[at++] & 0xff : -1;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) {
      if (length == 0) {
        return 0;
      }
      if (!fill()) {
        return -1;
      }
      int count = Math.min(length, current.length - at);
      System.arraycopy(current, at, buffer, offset, count);
      at += count;
      return count;
    }

    private boolean fill() {
      while (at == current.length) {
        if (!chunks.hasNext()) {
          return false;
        }
        current = chunks.next();
        at = 0;
      }
      return true;
    }
  }
}
