-- The Mason process running an execution or a task (its runner lock's id), so that a Mason starting
-- beside others on the same database interrupts only the work of processes that are gone. Rows
-- from before this have none, and count as a gone process's.
ALTER TABLE executions ADD COLUMN runner bigint;
ALTER TABLE delegated_tasks ADD COLUMN runner bigint;
