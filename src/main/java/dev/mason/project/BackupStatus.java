package dev.mason.project;

import java.time.Instant;

/**
 * A project's backup as the API shows it.
 *
 * @param backedUpAt when the last backup was taken; null (with its size and count) when there is none
 * @param problem why the folder's latest change was not backed up (it is over
 *     {@code MASON_MAX_BACKUP_BYTES}); null when the last backup is current or the job has not run yet
 */
public record BackupStatus(Instant backedUpAt, Long sizeBytes, Integer fileCount, String problem) {}
