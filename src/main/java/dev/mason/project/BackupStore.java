package dev.mason.project;

import dev.mason.store.Database;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.UUID;

/** The project_backups table: one zip per project, with its size, sha256 and source fingerprint. */
final class BackupStore {
  private final Database db;

  BackupStore(Database db) {
    this.db = db;
  }

  /** A stored backup, read whole (the driver materialises bytea values). */
  record StoredBackup(byte[] data, String sha256, long sizeBytes, int fileCount) {}

  Optional<String> fingerprint(UUID projectId) {
    return db.withHandle(h -> h.createQuery("SELECT fingerprint FROM project_backups WHERE project_id = :id")
        .bind("id", projectId).mapTo(String.class).findOne());
  }

  Optional<StoredBackup> load(UUID projectId) {
    return db.withHandle(h -> h.createQuery("SELECT data, sha256, size_bytes, file_count FROM project_backups WHERE project_id = :id")
        .bind("id", projectId)
        .map((rs, ctx) -> new StoredBackup(rs.getBytes("data"), rs.getString("sha256"), rs.getLong("size_bytes"), rs.getInt("file_count")))
        .findOne());
  }

  /** Streams {@code zipFile} into the table; a project deleted meanwhile is skipped. */
  void save(UUID projectId, Path zipFile, ProjectArchive.Written written, String fingerprint) throws IOException {
    try (InputStream in = Files.newInputStream(zipFile)) {
      db.withHandle(h -> h.createUpdate("""
              INSERT INTO project_backups (project_id, data, size_bytes, sha256, fingerprint, file_count, taken_at)
              SELECT :id, :data, :size, :sha, :fp, :files, now() WHERE EXISTS (SELECT 1 FROM projects WHERE id = :id)
              ON CONFLICT (project_id) DO UPDATE SET data = EXCLUDED.data, size_bytes = EXCLUDED.size_bytes,
                  sha256 = EXCLUDED.sha256, fingerprint = EXCLUDED.fingerprint, file_count = EXCLUDED.file_count,
                  taken_at = EXCLUDED.taken_at""")
          .bind("id", projectId)
          .bindBinaryStream("data", in, (int) written.size())
          .bind("size", written.size()).bind("sha", written.sha256()).bind("fp", fingerprint)
          .bind("files", written.fileCount())
          .execute());
    }
  }
}
