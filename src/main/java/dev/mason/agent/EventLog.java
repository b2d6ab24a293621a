package dev.mason.agent;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The event log of one running execution: in memory for readers that follow it live, and handed
 * to the {@link EventWriter}, which writes it to the database in order.
 *
 * <p>Readers never wait for the database: an appended event is visible to them at once, which is
 * what keeps the latency added between the model and the browser below a millisecond.
 * {@link #awaitWritten()} waits until the writer has caught up, so a finished execution's log is
 * complete in the database before the execution leaves memory.
 *
 * <p>Concurrency: {@code events}, {@code closed} and {@code writtenSeq} are guarded by
 * {@code lock}; {@code changed} signals readers and the waiter of {@link #awaitWritten()}. Appends
 * come from the run's threads (the loop and concurrent tool calls).
 */
final class EventLog {
  private static final Logger log = LoggerFactory.getLogger(EventLog.class);
  private static final Duration FLUSH_LIMIT = Duration.ofSeconds(10);

  private final UUID executionId;
  private final EventWriter writer;
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition changed = lock.newCondition();
  private final List<AgentEvent> events = new ArrayList<>();
  private boolean closed;
  private int writtenSeq;

  EventLog(UUID executionId, EventWriter writer) {
    this.executionId = executionId;
    this.writer = writer;
  }

  UUID executionId() {
    return executionId;
  }

  /** Appends an event with the next seq and returns it; after {@code done} nothing is appended. */
  AgentEvent append(String type, ObjectNode data) {
    lock.lock();
    try {
      if (closed) {
        throw new IllegalStateException("event log of execution " + executionId + " is closed; cannot append " + type);
      }
      AgentEvent event = new AgentEvent(events.size() + 1, type, data);
      events.add(event);
      // Enqueued under the lock, so the writer receives this log's events in seq order.
      writer.enqueue(this, event);
      if (type.equals(AgentEvent.DONE)) {
        closed = true;
      }
      changed.signalAll();
      return event;
    } finally {
      lock.unlock();
    }
  }

  /**
   * The events after {@code seq}; waits up to {@code wait} when there are none yet. Empty when
   * the wait ran out; complete means the log has ended and nothing more will come.
   */
  Slice after(int seq, Duration wait) throws InterruptedException {
    lock.lock();
    try {
      long nanos = wait.toNanos();
      while (events.size() <= seq && !closed && nanos > 0) {
        nanos = changed.awaitNanos(nanos);
      }
      List<AgentEvent> next = seq < events.size() ? List.copyOf(events.subList(Math.max(seq, 0), events.size())) : List.of();
      return new Slice(next, closed && seq + next.size() >= events.size());
    } finally {
      lock.unlock();
    }
  }

  record Slice(List<AgentEvent> events, boolean complete) {}

  /** Called by the writer once every event up to {@code seq} is in the database. */
  void written(int seq) {
    lock.lock();
    try {
      writtenSeq = Math.max(writtenSeq, seq);
      changed.signalAll();
    } finally {
      lock.unlock();
    }
  }

  /** Waits, bounded, until every appended event is in the database. */
  void awaitWritten() {
    lock.lock();
    try {
      long nanos = FLUSH_LIMIT.toNanos();
      while (writtenSeq < events.size() && nanos > 0) {
        nanos = changed.awaitNanos(nanos);
      }
      if (writtenSeq < events.size()) {
        log.warn("Events {}..{} of execution {} were not written within {} s", writtenSeq + 1, events.size(), executionId,
            FLUSH_LIMIT.toSeconds());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      lock.unlock();
    }
  }
}
