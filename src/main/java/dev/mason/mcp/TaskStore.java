package dev.mason.mcp;

import dev.mason.bus.Change;
import dev.mason.bus.ChangeBus;
import dev.mason.common.Periodic;
import dev.mason.store.Database;
import dev.mason.store.StoredText;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.jdbi.v3.core.mapper.RowMapper;
import org.jdbi.v3.core.statement.StatementContext;

/**
 * The delegated_tasks table. Reads for a user are scoped by owner in SQL, so another user's task
 * id finds nothing. Every change of status is a conditional UPDATE on the status it expects, so
 * two threads (a run ending, a cancel, a timeout) never both move a task.
 */
final class TaskStore {
  private static final String COLUMNS = "id, owner, project_id, conversation_id, execution_id, status, prompt, "
      + "context::text AS context, timeout_seconds, needs_token, stop_reason, error, result::text AS result, "
      + "created_at, started_at, finished_at";
  private static final RowMapper<DelegatedTask> TASK = TaskStore::task;

  private final Database db;
  private final ChangeBus changes;

  /** @param changes told of every task queued, started and ended, in the transaction that stores it */
  TaskStore(Database db, ChangeBus changes) {
    this.db = db;
    this.changes = changes;
  }

  /** Tells the bus that {@code task} (as it now is) was queued, started or ended. */
  private DelegatedTask told(Change.Kind kind, DelegatedTask task) {
    changes.record(task.owner(), Change.task(kind, task.projectId(), task.conversationId(), task.id(), task.executionId(),
        task.status().wire()));
    return task;
  }

  DelegatedTask insert(String owner, UUID projectId, UUID conversationId, String prompt, String contextJson,
      int timeoutSeconds, boolean needsToken, Instant now) {
    return db.inTransaction(h -> told(Change.Kind.TASK_QUEUED, h.createQuery("INSERT INTO delegated_tasks (owner, project_id, "
            + "conversation_id, status, prompt, context, timeout_seconds, needs_token, created_at) VALUES (:owner, :pid, :cid, "
            + "'queued', :prompt, CAST(:context AS jsonb), :timeout, :needsToken, :now) RETURNING " + COLUMNS)
        .bind("owner", owner).bind("pid", projectId).bind("cid", conversationId).bind("prompt", StoredText.encode(prompt))
        .bind("context", StoredText.encodeJson(contextJson)).bind("timeout", timeoutSeconds).bind("needsToken", needsToken)
        .bind("now", Timestamp.from(now)).map(TASK).one()));
  }

  Optional<DelegatedTask> find(String owner, UUID id) {
    return db.inTransaction(h -> h.createQuery("SELECT " + COLUMNS + " FROM delegated_tasks WHERE id = :id AND owner = :owner")
        .bind("id", id).bind("owner", owner).map(TASK).findOne());
  }

  /** Any owner's task: for Mason's own follow-up (a run ending, a timeout), never for a user's request. */
  Optional<DelegatedTask> find(UUID id) {
    return db.inTransaction(h -> h.createQuery("SELECT " + COLUMNS + " FROM delegated_tasks WHERE id = :id")
        .bind("id", id).map(TASK).findOne());
  }

  /**
   * The owner's tasks created since {@code since}, and older ones still queued or running, newest
   * first; all statuses when {@code status} is null.
   */
  List<DelegatedTask> recent(String owner, Instant since, String status, int limit) {
    return db.inTransaction(h -> h.createQuery("SELECT " + COLUMNS + " FROM delegated_tasks WHERE owner = :owner "
            + "AND (created_at >= :since OR status IN ('queued', 'running')) "
            + "AND (CAST(:status AS text) IS NULL OR status = :status) "
            + "ORDER BY created_at DESC, seq DESC LIMIT :limit")
        .bind("owner", owner).bind("since", Timestamp.from(since)).bind("status", status).bind("limit", limit)
        .map(TASK).list());
  }

  int countRunning(String owner) {
    return db.inTransaction(h -> h.createQuery("SELECT count(*) FROM delegated_tasks WHERE owner = :owner AND status = 'running'")
        .bind("owner", owner).mapTo(Integer.class).one());
  }

  /** Owners with queued tasks, the one waiting longest first. */
  List<String> ownersWithQueued() {
    return db.inTransaction(h -> h.createQuery("SELECT owner FROM delegated_tasks WHERE status = 'queued' "
            + "GROUP BY owner ORDER BY min(seq)")
        .mapTo(String.class).list());
  }

  /** The owner's queued tasks in arrival order. */
  List<DelegatedTask> queued(String owner, int limit) {
    return db.inTransaction(h -> h.createQuery("SELECT " + COLUMNS + " FROM delegated_tasks WHERE owner = :owner "
            + "AND status = 'queued' ORDER BY seq LIMIT :limit")
        .bind("owner", owner).bind("limit", limit).map(TASK).list());
  }

  /** Runs {@code work} periodically, for the tasks of runners that die while this Mason lives. */
  Periodic sweep(String name, Runnable work) {
    return db.runner().sweep(name, work);
  }

  /** Tasks left running by processes that are gone; those of a Mason still running on the database are its own. */
  List<DelegatedTask> leftRunning() {
    record Running(DelegatedTask task, Long runner) {}
    List<Running> running = db.inTransaction(h -> h.createQuery("SELECT " + COLUMNS + ", runner FROM delegated_tasks WHERE status = 'running'")
        .map((rs, ctx) -> new Running(TASK.map(rs, ctx), rs.getObject("runner", Long.class))).list());
    return db.runner().gone(running, Running::runner).stream().map(Running::task).toList();
  }

  /** queued → running; false when the task was no longer queued (cancelled meanwhile). */
  boolean claim(UUID id, Instant now) {
    return db.inTransaction(h -> h.createQuery("UPDATE delegated_tasks SET status = 'running', started_at = :now, runner = :runner "
            + "WHERE id = :id AND status = 'queued' RETURNING " + COLUMNS)
        .bind("id", id).bind("now", Timestamp.from(now)).bind("runner", db.runner().id()).map(TASK).findOne()
        .map(task -> told(Change.Kind.TASK_STARTED, task))).isPresent();
  }

  void setExecution(UUID id, UUID executionId) {
    db.inTransaction(h -> h.createUpdate("UPDATE delegated_tasks SET execution_id = :eid WHERE id = :id")
        .bind("id", id).bind("eid", executionId).execute());
  }

  /** Records why a running task is being stopped; false when it is not running or a stop was already asked. */
  boolean requestStop(UUID id, String reason) {
    return db.inTransaction(h -> h.createUpdate("UPDATE delegated_tasks SET stop_reason = :reason "
            + "WHERE id = :id AND status = 'running' AND stop_reason IS NULL")
        .bind("id", id).bind("reason", reason).execute()) == 1;
  }

  /** running → a final status with its outcome; false when the task had already ended. */
  boolean finish(UUID id, TaskStatus status, String error, String resultJson, Instant now) {
    return db.inTransaction(h -> h.createQuery("UPDATE delegated_tasks SET status = :status, error = :error, "
            + "result = CAST(:result AS jsonb), finished_at = :now WHERE id = :id AND status = 'running' RETURNING " + COLUMNS)
        .bind("id", id).bind("status", status.wire()).bind("error", StoredText.encode(error))
        .bind("result", StoredText.encodeJson(resultJson))
        .bind("now", Timestamp.from(now)).map(TASK).findOne()
        .map(task -> told(Change.Kind.TASK_ENDED, task))).isPresent();
  }

  /** queued → a final status without a run (cancelled, or an error before it could start). */
  boolean endQueued(UUID id, TaskStatus status, String error, Instant now) {
    return db.inTransaction(h -> h.createQuery("UPDATE delegated_tasks SET status = :status, error = :error, "
            + "finished_at = :now WHERE id = :id AND status = 'queued' RETURNING " + COLUMNS)
        .bind("id", id).bind("status", status.wire()).bind("error", StoredText.encode(error)).bind("now", Timestamp.from(now))
        .map(TASK).findOne()
        .map(task -> told(Change.Kind.TASK_ENDED, task))).isPresent();
  }

  private static DelegatedTask task(ResultSet rs, StatementContext ctx) throws SQLException {
    return new DelegatedTask(rs.getObject("id", UUID.class), rs.getString("owner"), rs.getObject("project_id", UUID.class),
        rs.getObject("conversation_id", UUID.class), rs.getObject("execution_id", UUID.class),
        TaskStatus.of(rs.getString("status")),
        StoredText.decode(rs.getString("prompt")), StoredText.decodeJson(rs.getString("context")), rs.getInt("timeout_seconds"),
        rs.getBoolean("needs_token"), rs.getString("stop_reason"), StoredText.decode(rs.getString("error")),
        StoredText.decodeJson(rs.getString("result")), instant(rs, "created_at"),
        instant(rs, "started_at"), instant(rs, "finished_at"));
  }

  private static Instant instant(ResultSet rs, String column) throws SQLException {
    Timestamp ts = rs.getTimestamp(column);
    return ts == null ? null : ts.toInstant();
  }
}
