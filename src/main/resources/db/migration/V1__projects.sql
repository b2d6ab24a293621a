-- Projects, their conversations and messages, and the backups of project folders.

CREATE TABLE projects (
    id             uuid        PRIMARY KEY DEFAULT gen_random_uuid(),
    owner          text        NOT NULL,
    name           text        NOT NULL,
    enabled_skills jsonb,                      -- null: every skill is enabled
    created_at     timestamptz NOT NULL DEFAULT now(),
    updated_at     timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX projects_owner_created ON projects (owner, created_at DESC);

CREATE TABLE conversations (
    id               uuid        PRIMARY KEY DEFAULT gen_random_uuid(),
    project_id       uuid        NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
    title            text        NOT NULL,
    cluster_id       text,
    warehouse_id     text,
    default_catalog  text,
    default_schema   text,
    workspace_folder text,
    model            text,
    created_at       timestamptz NOT NULL DEFAULT now(),
    updated_at       timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX conversations_project_created ON conversations (project_id, created_at DESC);

-- content: an array of content blocks (text, thinking with signature, tool_use, tool_result),
-- so a conversation can be replayed to any model with full fidelity.
CREATE TABLE messages (
    id              bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    conversation_id uuid        NOT NULL REFERENCES conversations (id) ON DELETE CASCADE,
    role            text        NOT NULL CHECK (role IN ('user', 'assistant')),
    content         jsonb       NOT NULL,
    is_error        boolean     NOT NULL DEFAULT false,
    cancelled       boolean     NOT NULL DEFAULT false,
    usage           jsonb,
    created_at      timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX messages_conversation ON messages (conversation_id, id);

-- One zip per project. fingerprint summarises the folder it was taken from (paths, sizes,
-- modification times), so a change by anything (agent, terminal, editor) is noticed.
CREATE TABLE project_backups (
    project_id  uuid        PRIMARY KEY REFERENCES projects (id) ON DELETE CASCADE,
    data        bytea       NOT NULL,
    size_bytes  bigint      NOT NULL,
    sha256      text        NOT NULL,
    fingerprint text        NOT NULL,
    file_count  integer     NOT NULL,
    taken_at    timestamptz NOT NULL DEFAULT now()
);
