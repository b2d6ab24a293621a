package dev.mason.tracing;

import io.opentelemetry.context.Context;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.trace.ReadWriteSpan;
import io.opentelemetry.sdk.trace.ReadableSpan;
import io.opentelemetry.sdk.trace.SpanProcessor;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The spans waiting for export: at most {@code cap}; a span that finds the queue full pushes the
 * oldest out, which is counted ({@link ExportStatus#dropped}), so when MLflow is away for long
 * the newest traces are the ones kept. One named thread ({@code trace-export}) sends them in
 * batches of {@link #BATCH}, as soon as a batch is full or every {@code delay}, one export at a
 * time. (The SDK's own batch processor drops the newest span instead, and silently.)
 *
 * <p>A run's thread only ever appends under the lock, which is never held during an export: a
 * slow MLflow never slows a run. {@code queue} and {@code stopped} are guarded by {@code lock}.
 */
final class ExportQueue implements SpanProcessor {
  static final int BATCH = 512;
  /** Longest one export may take: the exporter's attempts with their timeouts and backoff. */
  private static final Duration EXPORT_LIMIT = Duration.ofSeconds(60);

  private final SpanExporter exporter;
  private final int cap;
  private final Duration delay;
  private final ExportStatus status;
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition changed = lock.newCondition();
  private final ArrayDeque<SpanData> queue = new ArrayDeque<>();
  /** Spans taken from the queue whose export has not ended. */
  private int sending;
  private boolean stopped;
  private final Thread worker;

  ExportQueue(SpanExporter exporter, int cap, Duration delay, ExportStatus status) {
    this.exporter = exporter;
    this.cap = cap;
    this.delay = delay;
    this.status = status;
    this.worker = Thread.ofPlatform().name("trace-export").daemon().start(this::work);
  }

  @Override
  public void onStart(Context parentContext, ReadWriteSpan span) {}

  @Override
  public boolean isStartRequired() {
    return false;
  }

  @Override
  public void onEnd(ReadableSpan span) {
    SpanData data = span.toSpanData();
    lock.lock();
    try {
      if (stopped) {
        status.dropped(1);
        return;
      }
      if (queue.size() >= cap) {
        queue.pollFirst();
        status.dropped(1);
      }
      queue.addLast(data);
      if (queue.size() >= BATCH) {
        changed.signalAll();
      }
    } finally {
      lock.unlock();
    }
  }

  @Override
  public boolean isEndRequired() {
    return true;
  }

  /** Spans queued or being sent. */
  int pending() {
    lock.lock();
    try {
      return queue.size() + sending;
    } finally {
      lock.unlock();
    }
  }

  private void work() {
    while (true) {
      List<SpanData> batch;
      lock.lock();
      try {
        long waitNanos = delay.toNanos();
        while (!stopped && queue.size() < BATCH && waitNanos > 0) {
          waitNanos = changed.awaitNanos(waitNanos);
        }
        if (queue.isEmpty()) {
          if (stopped) {
            return;
          }
          continue;
        }
        batch = take();
      } catch (InterruptedException e) {
        return;
      } finally {
        lock.unlock();
      }
      send(batch);
    }
  }

  /** Up to {@link #BATCH} spans off the queue; under the lock. */
  private List<SpanData> take() {
    List<SpanData> batch = new ArrayList<>(Math.min(BATCH, queue.size()));
    while (batch.size() < BATCH && !queue.isEmpty()) {
      batch.add(queue.pollFirst());
    }
    sending += batch.size();
    return batch;
  }

  private void send(List<SpanData> batch) {
    try {
      // The exporter reports the result to the status itself; a batch it never ends is given up here.
      exporter.export(batch).join(EXPORT_LIMIT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (RuntimeException e) {
      status.failed(batch.size(), "exporting spans: " + e);
    } finally {
      lock.lock();
      try {
        sending -= batch.size();
        changed.signalAll();
      } finally {
        lock.unlock();
      }
    }
  }

  /** Sends what is queued now and waits until it is through, within {@link #EXPORT_LIMIT}. */
  @Override
  public CompletableResultCode forceFlush() {
    long deadline = System.nanoTime() + EXPORT_LIMIT.toNanos();
    lock.lock();
    try {
      changed.signalAll();
      while ((!queue.isEmpty() || sending > 0) && System.nanoTime() < deadline) {
        if (!queue.isEmpty()) {
          List<SpanData> batch = take();
          lock.unlock();
          try {
            send(batch);
          } finally {
            lock.lock();
          }
        } else {
          changed.awaitNanos(deadline - System.nanoTime());
        }
      }
      return queue.isEmpty() && sending == 0 ? CompletableResultCode.ofSuccess() : CompletableResultCode.ofFailure();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return CompletableResultCode.ofFailure();
    } finally {
      lock.unlock();
    }
  }

  /** Sends what is queued (the caller bounds the wait), then stops the thread and the exporter. */
  @Override
  public CompletableResultCode shutdown() {
    lock.lock();
    try {
      stopped = true;
      changed.signalAll();
    } finally {
      lock.unlock();
    }
    CompletableResultCode done = new CompletableResultCode();
    Thread.ofPlatform().name("trace-export-shutdown").daemon().start(() -> {
      try {
        worker.join(EXPORT_LIMIT.toMillis());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      exporter.shutdown().whenComplete(done::succeed);
    });
    return done;
  }
}
