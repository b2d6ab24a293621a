-- Tasks other agents delegated through the MCP server (mason_run). Each runs as an agent
-- execution in a conversation of its owner's project; this table keeps what the executions do
-- not: the queue, the limits, why a run was stopped, and the result handed back (mason_get_result).

CREATE TABLE delegated_tasks (
    id              uuid        PRIMARY KEY DEFAULT gen_random_uuid(),
    seq             bigint      GENERATED ALWAYS AS IDENTITY,  -- arrival order: the queue is FIFO per owner
    owner           text        NOT NULL,
    project_id      uuid        NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
    conversation_id uuid        NOT NULL,
    execution_id    uuid,                      -- set when the task starts
    status          text        NOT NULL CHECK (status IN
                        ('queued', 'running', 'completed', 'error', 'cancelled', 'timeout', 'interrupted')),
    prompt          text        NOT NULL,      -- as the delegating agent wrote it
    context         jsonb,                     -- the delegating agent's context object, or null
    timeout_seconds integer     NOT NULL CHECK (timeout_seconds > 0),
    -- Whether the run must act with its owner's own token. Tokens are never stored: a task that
    -- needs one and is still queued after a restart starts when its owner is seen again.
    needs_token     boolean     NOT NULL,
    stop_reason     text        CHECK (stop_reason IN ('cancel', 'timeout')),
    error           text,
    result          jsonb,                     -- answer, files_changed, resources_created, errors, usage
    -- Written from Mason's clock, not the database's: they are compared with file times.
    created_at      timestamptz NOT NULL,
    started_at      timestamptz,
    finished_at     timestamptz
);
CREATE INDEX delegated_tasks_owner_created ON delegated_tasks (owner, created_at DESC);
-- The queue, first come first served per owner.
CREATE INDEX delegated_tasks_queued ON delegated_tasks (owner, seq) WHERE status = 'queued';
