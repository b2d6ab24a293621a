package dev.mason.agent;

import dev.mason.agent.event.AgentEvent;
import dev.mason.agent.event.LoggedEvent;
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
 * what keeps the latency added between the model and the browser below a millisecond. So that a
 * number a reader has seen is never given to another event after a crash, numbers are reserved
 * durably on the execution's row in blocks of {@link #SEQ_BLOCK} before they are handed out; the
 * restart's own events are numbered after the reservation.
 *
 * <p>Concurrency: {@code events}, {@code closed}, {@code reserved} and {@code writtenSeq} are
 * guarded by {@code lock}; {@code changed} signals readers and the waiter of
 * {@link #awaitWritten()}. Appends come from the run's threads (the loop and concurrent tool calls).
 */
final class EventLog {
  private static final Logger log = LoggerFactory.getLogger(EventLog.class);
  private static final Duration FLUSH_LIMIT = Duration.ofSeconds(10);
  /** Numbers reserved at a time: one row update per this many events. */
  static final int SEQ_BLOCK = 512;

  /** Makes a reservation durable; see {@link ExecutionStore#reserveSeq}. */
  interface Reservations {
    void reserve(UUID executionId, int upTo);
  }

  /** Stores the final event together with the row's final status. */
  interface Finisher {
    void finish(LoggedEvent done);
  }

  private final UUID executionId;
  private final EventWriter writer;
  private final Reservations reservations;
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition changed = lock.newCondition();
  private final List<LoggedEvent> events = new ArrayList<>();
  private boolean closed;
  private int reserved;
  private int writtenSeq;

  /** @param reserved the numbers already reserved when the execution's row was inserted */
  EventLog(UUID executionId, EventWriter writer, Reservations reservations, int reserved) {
    this.executionId = executionId;
    this.writer = writer;
    this.reservations = reservations;
    this.reserved = reserved;
  }

  UUID executionId() {
    return executionId;
  }

  /** Appends an event with the next seq and returns it; after {@code done} nothing is appended. */
  LoggedEvent append(AgentEvent event) {
    if (event instanceof AgentEvent.Done) {
      throw new IllegalArgumentException("done ends a log through finish(), with the execution's final status");
    }
    lock.lock();
    try {
      LoggedEvent logged = next(event);
      // Enqueued under the lock, so the writer receives this log's events in seq order.
      writer.enqueue(this, logged);
      publish(logged);
      return logged;
    } finally {
      lock.unlock();
    }
  }

  /**
   * Appends {@code done} after {@link #awaitWritten() every other event is stored}: {@code store}
   * writes it with the row's final status, so a client that has seen {@code done} finds the
   * execution finished. When that write fails, the writer retries it after the events still queued.
   */
  void finish(AgentEvent.Done event, Finisher store) {
    lock.lock();
    try {
      LoggedEvent done = next(event);
      try {
        store.finish(done);
        writtenSeq = Math.max(writtenSeq, done.seq());
      } catch (RuntimeException e) {
        log.warn("Execution {}: storing its end failed ({}); retrying in the background", executionId, e.toString());
        writer.enqueueFinish(this, () -> store.finish(done), done.seq());
      }
      closed = true;
      publish(done);
    } finally {
      lock.unlock();
    }
  }

  private LoggedEvent next(AgentEvent event) {
    if (closed) {
      throw new IllegalStateException("event log of execution " + executionId + " is closed; cannot append " + event.type());
    }
    int seq = events.size() + 1;
    if (seq > reserved) {
      try {
        reservations.reserve(executionId, seq - 1 + SEQ_BLOCK);
        reserved = seq - 1 + SEQ_BLOCK;
      } catch (RuntimeException e) {
        // The event is still shown: a run must not stop because a row update failed. Only a crash
        // before the database comes back could then reuse this number.
        log.warn("Execution {}: reserving event numbers failed: {}", executionId, e.toString());
      }
    }
    return new LoggedEvent(seq, event);
  }

  private void publish(LoggedEvent event) {
    events.add(event);
    changed.signalAll();
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
      List<LoggedEvent> next = seq < events.size() ? List.copyOf(events.subList(Math.max(seq, 0), events.size())) : List.of();
      return new Slice(next, closed && seq + next.size() >= events.size());
    } finally {
      lock.unlock();
    }
  }

  record Slice(List<LoggedEvent> events, boolean complete) {}

  /** Called by the writer once every event up to {@code seq} is in the database, or given up on. */
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
