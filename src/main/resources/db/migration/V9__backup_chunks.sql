-- A backup in one bytea value could not be restored once it passed a few hundred MB: the driver
-- reads a value whole, and PostgreSQL cannot send one that large at all. A backup is now stored
-- as numbered chunks of at most 4 MiB (BackupStore.CHUNK_BYTES), written and read one at a time.
CREATE TABLE project_backup_chunks (
    project_id uuid    NOT NULL REFERENCES project_backups (project_id) ON DELETE CASCADE,
    seq        integer NOT NULL,
    data       bytea   NOT NULL,
    PRIMARY KEY (project_id, seq)
);

INSERT INTO project_backup_chunks (project_id, seq, data)
SELECT project_id, piece, substring(data FROM piece * 4194304 + 1 FOR 4194304)
FROM project_backups, generate_series(0, greatest(length(data) - 1, 0) / 4194304) AS piece;

ALTER TABLE project_backups DROP COLUMN data;

-- A project whose backup would be over MASON_MAX_BACKUP_BYTES: nothing of it is written and its
-- previous backup is kept. fingerprint and limit_bytes say what was refused, so an unchanged
-- folder is not zipped again on every pass; the next backup that succeeds removes the row.
CREATE TABLE project_backup_problems (
    project_id  uuid        PRIMARY KEY REFERENCES projects (id) ON DELETE CASCADE,
    problem     text        NOT NULL,
    fingerprint text        NOT NULL,
    limit_bytes bigint      NOT NULL,
    noticed_at  timestamptz NOT NULL DEFAULT now()
);
