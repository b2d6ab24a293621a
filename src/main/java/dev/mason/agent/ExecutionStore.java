package dev.mason.agent;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.mason.agent.event.AgentEvent;
import dev.mason.agent.event.EventJson;
import dev.mason.agent.event.ExecutionStatus;
import dev.mason.agent.event.LoggedEvent;
import dev.mason.bus.Change;
import dev.mason.bus.ChangeBus;
import dev.mason.store.Database;
import dev.mason.store.StoredText;
import dev.mason.web.Json;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import org.jdbi.v3.core.mapper.RowMapper;
import org.jdbi.v3.core.statement.PreparedBatch;
import org.jdbi.v3.core.statement.StatementContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The executions and execution_events tables. Reads of a user's executions are scoped by owner. */
final class ExecutionStore {
  private static final Logger log = LoggerFactory.getLogger(ExecutionStore.class);
  private static final String COLUMNS = "id, conversation_id, project_id, owner, status, model, error, created_at, updated_at";
  private static final RowMapper<Execution> EXECUTION = ExecutionStore::execution;
  private static final String INSERT_EVENT = "INSERT INTO execution_events (execution_id, seq, type, data) "
      + "VALUES (:id, :seq, :type, CAST(:data AS jsonb)) ON CONFLICT DO NOTHING";

  private final Database db;
  private final ChangeBus changes;

  /** @param changes told of each execution's start and end, in the transaction that stores it */
  ExecutionStore(Database db, ChangeBus changes) {
    this.db = db;
    this.changes = changes;
  }

  /**
   * Inserts a running execution; empty when the conversation already has one (the partial unique
   * index decides, so two concurrent invokes cannot both start).
   */
  Optional<Execution> create(UUID conversationId, UUID projectId, String owner, String model, int seqReserved) {
    return db.inTransaction(h -> {
      Optional<Execution> created = h.createQuery("INSERT INTO executions (conversation_id, project_id, owner, status, model, "
              + "seq_reserved, runner) VALUES (:cid, :pid, :owner, 'running', :model, :reserved, :runner) "
              + "ON CONFLICT (conversation_id) WHERE status = 'running' DO NOTHING RETURNING " + COLUMNS)
          .bind("cid", conversationId).bind("pid", projectId).bind("owner", owner).bind("model", model)
          .bind("reserved", seqReserved).bind("runner", db.runner().id()).map(EXECUTION).findOne();
      created.ifPresent(execution -> changes.record(owner, Change.execution(Change.Kind.EXECUTION_STARTED, projectId,
          conversationId, execution.id(), ExecutionStatus.RUNNING.wire())));
      return created;
    });
  }

  /** Records that the execution may hand out numbers up to {@code upTo}; durable when this returns. */
  void reserveSeq(UUID id, int upTo) {
    db.withHandle(h -> h.createUpdate("UPDATE executions SET seq_reserved = greatest(seq_reserved, :upTo) WHERE id = :id")
        .bind("id", id).bind("upTo", upTo).execute());
  }

  /**
   * Ends the execution: its {@code done} event and its final status in one transaction, so the
   * row is never final without its {@code done}, nor {@code done} stored with the row running.
   */
  void finish(Execution execution, ExecutionStatus status, String error, LoggedEvent done) {
    UUID id = execution.id();
    db.inTransaction(h -> {
      insertEvent(h.prepareBatch(INSERT_EVENT), id, done).execute();
      int updated = h.createUpdate("UPDATE executions SET status = :status, error = :error, updated_at = now() "
              + "WHERE id = :id AND status = 'running'")
          .bind("id", id).bind("status", status.wire()).bind("error", StoredText.encode(error)).execute();
      if (updated > 0) {
        changes.record(execution.owner(), Change.execution(Change.Kind.EXECUTION_ENDED, execution.projectId(),
            execution.conversationId(), id, status.wire()));
      }
      return updated;
    });
  }

  boolean exists(UUID id) {
    return db.withHandle(h -> h.createQuery("SELECT count(*) FROM executions WHERE id = :id")
        .bind("id", id).mapTo(Integer.class).one()) > 0;
  }

  Optional<Execution> find(String owner, UUID id) {
    return db.withHandle(h -> h.createQuery("SELECT " + COLUMNS + " FROM executions WHERE id = :id AND owner = :owner")
        .bind("id", id).bind("owner", owner).map(EXECUTION).findOne());
  }

  /** The status of any execution, whoever owns it; for internal follow-up, never for a user's request. */
  Optional<ExecutionStatus> status(UUID id) {
    return db.inTransaction(h -> h.createQuery("SELECT status FROM executions WHERE id = :id")
        .bind("id", id).mapTo(String.class).findOne()).map(ExecutionStatus::of);
  }

  List<UUID> runningConversations(String owner, UUID projectId) {
    return db.withHandle(h -> h.createQuery("SELECT conversation_id FROM executions WHERE project_id = :pid AND owner = :owner "
            + "AND status = 'running' ORDER BY created_at").bind("pid", projectId).bind("owner", owner).mapTo(UUID.class).list());
  }

  List<Execution> recent(UUID conversationId, int limit) {
    return db.withHandle(h -> h.createQuery("SELECT " + COLUMNS + " FROM executions WHERE conversation_id = :cid "
            + "ORDER BY created_at DESC LIMIT :limit")
        .bind("cid", conversationId).bind("limit", limit).map(EXECUTION).list());
  }

  /** Inserts the events of several executions in one transaction; an event already stored is skipped. */
  void appendEvents(Map<UUID, List<LoggedEvent>> eventsByExecution) {
    if (eventsByExecution.isEmpty()) {
      return;
    }
    db.inTransaction(h -> {
      PreparedBatch batch = h.prepareBatch(INSERT_EVENT);
      eventsByExecution.forEach((executionId, events) -> events.forEach(event -> insertEvent(batch, executionId, event)));
      return batch.execute();
    });
  }

  private static PreparedBatch insertEvent(PreparedBatch batch, UUID executionId, LoggedEvent event) {
    return batch.bind("id", executionId).bind("seq", event.seq()).bind("type", event.type())
        .bind("data", Json.write(StoredText.encode(EventJson.write(event.event())))).add();
  }

  /**
   * The stored events after {@code afterSeq}, in order. A row of a type this version does not know
   * (written by a newer Mason) or that does not read as its type is skipped, and said so in the log.
   */
  List<LoggedEvent> eventsAfter(UUID executionId, int afterSeq, int limit) {
    return db.withHandle(h -> h.createQuery("SELECT seq, type, data::text AS data FROM execution_events "
            + "WHERE execution_id = :id AND seq > :after ORDER BY seq LIMIT :limit")
        .bind("id", executionId).bind("after", afterSeq).bind("limit", limit)
        .map((rs, ctx) -> event(executionId, rs)).list()).stream().filter(Objects::nonNull).toList();
  }

  /** An execution a process that is gone left running, with the events it had stored. */
  record Leftover(UUID id, UUID conversationId, UUID projectId, String owner, List<LoggedEvent> events) {}

  /**
   * The executions left running by processes that are gone, each with its stored events in order.
   * Those of a Mason still running on the same database are its own, and are left to it.
   */
  List<Leftover> leftovers() {
    record Running(UUID id, UUID conversationId, UUID projectId, String owner, Long runner) {}
    List<Running> running = db.withHandle(h -> h.createQuery(
            "SELECT id, conversation_id, project_id, owner, runner FROM executions WHERE status = 'running'")
        .map((rs, ctx) -> new Running(rs.getObject("id", UUID.class), rs.getObject("conversation_id", UUID.class),
            rs.getObject("project_id", UUID.class), rs.getString("owner"), rs.getObject("runner", Long.class)))
        .list());
    return db.runner().gone(running, Running::runner).stream()
        .map(run -> new Leftover(run.id(), run.conversationId(), run.projectId(), run.owner(),
            eventsAfter(run.id(), 0, Integer.MAX_VALUE)))
        .toList();
  }

  /**
   * Closes an execution a process that is gone left running: {@code keep} (what the run had made
   * of its answer, written to the conversation), then an {@code error} and a {@code done} event
   * numbered after every number it may have shown a reader (its reservation), and the status
   * interrupted, so no client waits for it forever and none misses the end. One transaction, with
   * the row locked: of the Masons that find the same leftover, one closes it. A {@code keep} that
   * fails is rolled back alone and logged; the run is closed all the same.
   *
   * @return false when the execution was no longer running (another Mason closed it first)
   */
  boolean interrupt(Leftover left, Runnable keep) {
    UUID id = left.id();
    return db.inTransaction(h -> {
      Integer last = h.createQuery("SELECT greatest(seq_reserved, (SELECT coalesce(max(seq), 0) FROM execution_events "
              + "WHERE execution_id = :id)) FROM executions WHERE id = :id AND status = 'running' FOR UPDATE")
          .bind("id", id).mapTo(Integer.class).findOne().orElse(null);
      if (last == null) {
        return false;
      }
      h.savepoint("keep");
      try {
        keep.run();
      } catch (RuntimeException e) {
        h.rollbackToSavepoint("keep");
        log.warn("The partial answer of interrupted execution {} could not be kept: {}", id, e.toString());
      }
      var error = new LoggedEvent(last + 1,
          AgentEvent.Error.ended("the run was interrupted because Mason restarted; send the message again to continue", true));
      var done = new LoggedEvent(last + 2, new AgentEvent.Done(ExecutionStatus.INTERRUPTED));
      PreparedBatch batch = h.prepareBatch(INSERT_EVENT);
      insertEvent(batch, id, error);
      insertEvent(batch, id, done).execute();
      h.createUpdate("UPDATE executions SET status = 'interrupted', error = 'interrupted by a restart', "
              + "updated_at = now() WHERE id = :id").bind("id", id).execute();
      changes.record(left.owner(), Change.execution(Change.Kind.EXECUTION_ENDED, left.projectId(), left.conversationId(), id,
          ExecutionStatus.INTERRUPTED.wire()));
      return true;
    });
  }

  private static Execution execution(ResultSet rs, StatementContext ctx) throws SQLException {
    return new Execution(rs.getObject("id", UUID.class), rs.getObject("conversation_id", UUID.class),
        rs.getObject("project_id", UUID.class), rs.getString("owner"), ExecutionStatus.of(rs.getString("status")),
        rs.getString("model"),
        StoredText.decode(rs.getString("error")), instant(rs, "created_at"), instant(rs, "updated_at"));
  }

  /** The row as an event; null when it is of an unknown type or does not read as its type. */
  private static LoggedEvent event(UUID executionId, ResultSet rs) throws SQLException {
    int seq = rs.getInt("seq");
    String type = rs.getString("type");
    try {
      return EventJson.read(type, StoredText.decode(Json.MAPPER.readTree(rs.getString("data"))))
          .map(event -> new LoggedEvent(seq, event))
          .orElseGet(() -> {
            log.debug("Execution {}: event {} has a type this Mason does not know ({}); skipped", executionId, seq, type);
            return null;
          });
    } catch (JsonProcessingException e) {
      throw new SQLException("stored event " + seq + " of execution " + executionId + " is not JSON", e);
    } catch (IllegalArgumentException e) {
      log.warn("Execution {}: stored event {} is skipped: {}", executionId, seq, e.getMessage());
      return null;
    }
  }

  private static Instant instant(ResultSet rs, String column) throws SQLException {
    var ts = rs.getTimestamp(column);
    return ts == null ? null : ts.toInstant();
  }
}
