package dev.mason.agent;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes the events of every live execution to the database: one thread, one transaction per
 * batch, whichever executions the batch spans.
 *
 * <p>Per-event or per-execution transactions cost the database thousands of commits a second when
 * fifty runs stream at once; gathering for {@link #LINGER} turns that into a few dozen, while an
 * event still reaches the database within milliseconds. Order within an execution is kept: the
 * queue is FIFO and a failed batch is retried whole before anything after it.
 *
 * <p>Thread: {@code event-writer}, a platform daemon thread started by the constructor.
 */
final class EventWriter implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(EventWriter.class);
  static final Duration LINGER = Duration.ofMillis(15);
  private static final int MAX_BATCH = 2_000;
  private static final Duration RETRY_DELAY = Duration.ofMillis(250);
  private static final Duration CLOSE_LIMIT = Duration.ofSeconds(5);

  private record Pending(EventLog log, AgentEvent event) {}

  private final ExecutionStore store;
  private final LinkedBlockingQueue<Pending> queue = new LinkedBlockingQueue<>();
  private final Thread thread;
  private volatile boolean closing;

  EventWriter(ExecutionStore store) {
    this.store = store;
    this.thread = Thread.ofPlatform().name("event-writer").daemon().start(this::run);
  }

  void enqueue(EventLog log, AgentEvent event) {
    queue.add(new Pending(log, event));
  }

  private void run() {
    List<Pending> batch = new ArrayList<>();
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
        }
        queue.drainTo(batch, MAX_BATCH - batch.size());
        write(batch);
        batch.clear();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      } catch (RuntimeException e) {
        log.warn("Writing {} events failed; retrying: {}", batch.size(), e.toString());
        sleepQuietly();
      }
    }
  }

  private void write(List<Pending> batch) {
    Map<UUID, List<AgentEvent>> byExecution = new LinkedHashMap<>();
    Map<UUID, EventLog> logs = new LinkedHashMap<>();
    for (Pending pending : batch) {
      byExecution.computeIfAbsent(pending.log().executionId(), id -> new ArrayList<>()).add(pending.event());
      logs.put(pending.log().executionId(), pending.log());
    }
    store.appendEvents(byExecution);
    byExecution.forEach((id, events) -> logs.get(id).written(events.getLast().seq()));
  }

  private static void sleepQuietly() {
    try {
      Thread.sleep(RETRY_DELAY);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Writes what is queued, then stops; bounded by {@link #CLOSE_LIMIT}. */
  @Override
  public void close() {
    closing = true;
    try {
      if (!thread.join(CLOSE_LIMIT)) {
        log.warn("{} events were not written within {} s of shutdown", queue.size(), CLOSE_LIMIT.toSeconds());
        thread.interrupt();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
