-- Which engine runs a conversation's messages (null: Mason's own loop), and that engine's own
-- session to resume (Claude Code's session id), so the next message continues it.
ALTER TABLE conversations ADD COLUMN runtime text;
ALTER TABLE conversations ADD COLUMN runtime_session text;
