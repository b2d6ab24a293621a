package dev.mason.agent;

import dev.mason.agent.event.AgentEvent;
import dev.mason.agent.event.LoggedEvent;
import dev.mason.common.Causes;
import dev.mason.store.Database;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes the events of every live execution to the database: one thread, one transaction per
 * batch, whichever executions the batch spans.
 *
 * <p>Per-event or per-execution transactions cost the database thousands of commits a second when
 * fifty runs stream at once; gathering for {@link #LINGER} turns that into a few dozen, while an
 * event still reaches the database within milliseconds. Order within an execution is kept: the
 * queue is FIFO and a batch is retired whole before anything after it.
 *
 * <p>Failures: a lost connection is retried, with backoff, until the database is back (the events
 * wait in memory; there is nothing else to write them to). Any other failure is the batch's own,
 * and is isolated so that it never holds up another run: the batch is written execution by
 * execution, an execution that no longer exists (deleted while it ran) loses its events, and an
 * execution whose events are refused is split until the refused event is found, which is stored
 * as an {@code error} event saying why in its place.
 *
 * <p>Thread: {@code event-writer}, a platform daemon thread started by the constructor.
 */
final class EventWriter implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(EventWriter.class);
  static final Duration LINGER = Duration.ofMillis(15);
  private static final int MAX_BATCH = 2_000;
  private static final Duration FIRST_RETRY = Duration.ofMillis(250);
  private static final Duration MAX_RETRY = Duration.ofSeconds(5);
  static final Duration CLOSE_LIMIT = Duration.ofSeconds(5);

  /** What waits to be written: an event, or the end of an execution whose first write failed. */
  private sealed interface Pending {
    EventLog log();

    int seq();
  }

  private record EventWrite(EventLog log, LoggedEvent event) implements Pending {
    @Override
    public int seq() {
      return event.seq();
    }
  }

  private record FinishWrite(EventLog log, Runnable write, int seq) implements Pending {}

  private final ExecutionStore store;
  private final LinkedBlockingQueue<Pending> queue = new LinkedBlockingQueue<>();
  /** Queued or in a batch being written: what a stop would leave unwritten. */
  private final AtomicInteger unwritten = new AtomicInteger();
  private final Thread thread;
  private volatile boolean closing;

  EventWriter(ExecutionStore store) {
    this.store = store;
    this.thread = Thread.ofPlatform().name("event-writer").daemon().start(this::run);
  }

  void enqueue(EventLog log, LoggedEvent event) {
    unwritten.incrementAndGet();
    queue.add(new EventWrite(log, event));
  }

  void enqueueFinish(EventLog log, Runnable write, int seq) {
    unwritten.incrementAndGet();
    queue.add(new FinishWrite(log, write, seq));
  }

  /** Events and ends not yet in the database. */
  int unwritten() {
    return unwritten.get();
  }

  private void run() {
    List<Pending> batch = new ArrayList<>();
    Duration retry = FIRST_RETRY;
    while (!(closing && queue.isEmpty() && batch.isEmpty())) {
      try {
        if (batch.isEmpty()) {
          Pending first = queue.poll(200, TimeUnit.MILLISECONDS);
          if (first == null) {
            continue;
          }
          batch.add(first);
          if (!closing) {
            Thread.sleep(LINGER);
          }
          queue.drainTo(batch, MAX_BATCH - batch.size());
        }
        write(batch);
        unwritten.addAndGet(-batch.size());
        batch.clear();
        retry = FIRST_RETRY;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      } catch (RuntimeException e) {
        // Only a lost connection gets here: write() isolates every other failure.
        log.warn("Writing {} events failed; retrying in {} ms: {}", batch.size(), retry.toMillis(), e.toString());
        if (!sleep(retry)) {
          return;
        }
        retry = retry.multipliedBy(2).compareTo(MAX_RETRY) > 0 ? MAX_RETRY : retry.multipliedBy(2);
      }
    }
  }

  /** Writes the batch in order: runs of events in one transaction, each end on its own. */
  private void write(List<Pending> batch) {
    List<EventWrite> events = new ArrayList<>();
    for (Pending pending : batch) {
      if (pending instanceof EventWrite event) {
        events.add(event);
        continue;
      }
      writeEvents(events);
      events.clear();
      FinishWrite finish = (FinishWrite) pending;
      try {
        finish.write().run();
      } catch (RuntimeException e) {
        if (Database.isTransient(e)) {
          throw e;
        }
        log.warn("Execution {}: its end cannot be stored and is dropped: {}", finish.log().executionId(), e.toString());
      }
      finish.log().written(finish.seq());
    }
    writeEvents(events);
  }

  private void writeEvents(List<EventWrite> events) {
    if (events.isEmpty()) {
      return;
    }
    Map<UUID, List<EventWrite>> byExecution = new LinkedHashMap<>();
    events.forEach(e -> byExecution.computeIfAbsent(e.log().executionId(), id -> new ArrayList<>()).add(e));
    try {
      store.appendEvents(group(events));
    } catch (RuntimeException e) {
      if (Database.isTransient(e)) {
        throw e;
      }
      byExecution.values().forEach(this::writeIsolated);
    }
    byExecution.values().forEach(written -> written.getFirst().log().written(written.getLast().seq()));
  }

  /** One execution's events, after a batch that held them was refused. */
  private void writeIsolated(List<EventWrite> events) {
    UUID id = events.getFirst().log().executionId();
    if (!store.exists(id)) {
      log.info("Execution {} was deleted while it ran; {} of its events are not stored", id, events.size());
      return;
    }
    try {
      store.appendEvents(group(events));
    } catch (RuntimeException e) {
      if (Database.isTransient(e)) {
        throw e;
      }
      if (events.size() == 1) {
        storeInstead(events.getFirst(), e);
        return;
      }
      writeIsolated(events.subList(0, events.size() / 2));
      writeIsolated(events.subList(events.size() / 2, events.size()));
    }
  }

  /** In place of an event the database refused: an error event that says so, with the same number. */
  private void storeInstead(EventWrite refused, RuntimeException cause) {
    String reason = Causes.rootMessage(cause);
    log.warn("Execution {}: event {} ({}) was refused by the database and is stored as an error: {}",
        refused.log().executionId(), refused.seq(), refused.event().type(), reason);
    var error = new AgentEvent.Error("a " + refused.event().type() + " event could not be stored: " + reason,
        null, null, null, null, refused.event().type());
    try {
      store.appendEvents(Map.of(refused.log().executionId(), List.of(new LoggedEvent(refused.seq(), error))));
    } catch (RuntimeException e) {
      if (Database.isTransient(e)) {
        throw e;
      }
      log.warn("Execution {}: event {} is not stored: {}", refused.log().executionId(), refused.seq(), Causes.rootMessage(e));
    }
  }

  private static Map<UUID, List<LoggedEvent>> group(List<EventWrite> events) {
    Map<UUID, List<LoggedEvent>> byExecution = new LinkedHashMap<>();
    events.forEach(e -> byExecution.computeIfAbsent(e.log().executionId(), id -> new ArrayList<>()).add(e.event()));
    return byExecution;
  }

  private boolean sleep(Duration duration) {
    try {
      Thread.sleep(closing ? Duration.ofMillis(50) : duration);
      return true;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  /** Writes what is queued, then stops; bounded by {@code limit}, and says how much was left unwritten. */
  void close(Duration limit) {
    closing = true;
    try {
      if (!thread.join(limit)) {
        thread.interrupt();
        log.warn("{} events were not written within {} ms of shutdown; a restart ends their runs as interrupted",
            unwritten.get(), limit.toMillis());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public void close() {
    close(CLOSE_LIMIT);
  }
}
