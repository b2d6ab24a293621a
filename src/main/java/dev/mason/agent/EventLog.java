package dev.mason.agent;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The event log of one running execution: in memory for readers that follow it live, and
 * written to the database by a writer thread in batches, in order.
 *
 * <p>Readers never wait for the database: an appended event is visible to them at once, which is
 * what keeps the latency added between the model and the browser below a millisecond. The writer
 * catches up within milliseconds; {@link #close()} waits for it, so a finished execution's log is
 * complete in the database before the execution is reported finished.
 *
 * <p>Concurrency: {@code events} and {@code closed} are guarded by {@code lock}; {@code appended}
 * signals readers. Appends come from the run's threads (the loop and concurrent tool calls).
 */
final class EventLog {
  private static final Logger log = LoggerFactory.getLogger(EventLog.class);
  private static final Duration FLUSH_LIMIT = Duration.ofSeconds(10);
  private static final int BATCH = 500;

  private final UUID executionId;
  private final ExecutionStore store;
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition appended = lock.newCondition();
  private final List<AgentEvent> events = new ArrayList<>();
  private final LinkedBlockingQueue<AgentEvent> unsaved = new LinkedBlockingQueue<>();
  private final Thread writer;
  private boolean closed;

  EventLog(UUID executionId, ExecutionStore store) {
    this.executionId = executionId;
    this.store = store;
    this.writer = Thread.ofVirtual().name("event-writer-" + executionId).start(this::writeLoop);
  }

  /** Appends an event with the next seq and returns it; after {@link #close()} nothing is appended. */
  AgentEvent append(String type, ObjectNode data) {
    lock.lock();
    try {
      if (closed) {
        throw new IllegalStateException("event log of execution " + executionId + " is closed; cannot append " + type);
      }
      AgentEvent event = new AgentEvent(events.size() + 1, type, data);
      events.add(event);
      unsaved.add(event);
      if (type.equals(AgentEvent.DONE)) {
        closed = true;
      }
      appended.signalAll();
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
        nanos = appended.awaitNanos(nanos);
      }
      List<AgentEvent> next = seq < events.size() ? List.copyOf(events.subList(Math.max(seq, 0), events.size())) : List.of();
      return new Slice(next, closed && seq + next.size() >= events.size());
    } finally {
      lock.unlock();
    }
  }

  record Slice(List<AgentEvent> events, boolean complete) {}

  int lastSeq() {
    lock.lock();
    try {
      return events.size();
    } finally {
      lock.unlock();
    }
  }

  private void writeLoop() {
    List<AgentEvent> batch = new ArrayList<>();
    boolean done = false;
    while (!done) {
      try {
        AgentEvent first = unsaved.poll(1, TimeUnit.SECONDS);
        if (first == null) {
          continue;
        }
        batch.add(first);
        unsaved.drainTo(batch, BATCH - 1);
        boolean containsDone = batch.getLast().type().equals(AgentEvent.DONE);
        store.appendEvents(executionId, batch);
        batch.clear();
        done = containsDone;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      } catch (RuntimeException e) {
        // Kept in the batch and tried again with what arrives next.
        log.warn("Writing events of execution {} failed; retrying: {}", executionId, e.toString());
        sleepQuietly();
      }
    }
  }

  /** Waits, bounded, until every appended event is in the database. */
  void awaitWritten() {
    try {
      if (!writer.join(FLUSH_LIMIT)) {
        log.warn("Events of execution {} were not all written within {} s", executionId, FLUSH_LIMIT.toSeconds());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static void sleepQuietly() {
    try {
      Thread.sleep(200);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
