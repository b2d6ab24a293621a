-- Agent runs and their event logs. The log is append-only: (execution_id, seq) is the cursor a
-- client resumes from (SSE Last-Event-ID), so a reload or a restart neither loses nor repeats.

CREATE TABLE executions (
    id              uuid        PRIMARY KEY DEFAULT gen_random_uuid(),
    conversation_id uuid        NOT NULL REFERENCES conversations (id) ON DELETE CASCADE,
    project_id      uuid        NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
    owner           text        NOT NULL,
    status          text        NOT NULL CHECK (status IN ('running', 'completed', 'cancelled', 'error', 'interrupted')),
    model           text,
    error           text,
    created_at      timestamptz NOT NULL DEFAULT now(),
    updated_at      timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX executions_conversation ON executions (conversation_id, created_at DESC);
-- At most one running execution per conversation.
CREATE UNIQUE INDEX executions_one_running ON executions (conversation_id) WHERE status = 'running';

CREATE TABLE execution_events (
    execution_id uuid        NOT NULL REFERENCES executions (id) ON DELETE CASCADE,
    seq          integer     NOT NULL,
    type         text        NOT NULL,
    data         jsonb       NOT NULL,
    created_at   timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (execution_id, seq)
);
