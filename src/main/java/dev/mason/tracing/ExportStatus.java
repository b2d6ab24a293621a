package dev.mason.tracing;

import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How exports to MLflow are going: the last success, the last error, spans exported, failed and
 * dropped. Logs a failure once per cause: the first time it happens, and again only after an
 * export has succeeded in between or the cause has changed.
 *
 * <p>Concurrency: the counters are atomic; {@code lastExportAt}, {@code lastError},
 * {@code lastErrorAt} and {@code loggedCause} are guarded by {@code lock}. Called from the export
 * thread and the HTTP sender's threads, read by the status endpoint.
 */
final class ExportStatus {
  private static final Logger log = LoggerFactory.getLogger(ExportStatus.class);

  private final AtomicLong exported = new AtomicLong();
  private final AtomicLong failed = new AtomicLong();
  private final AtomicLong dropped = new AtomicLong();
  private final ReentrantLock lock = new ReentrantLock();
  private Instant lastExportAt;
  private String lastError;
  private Instant lastErrorAt;
  /** The cause last logged, null when the last export succeeded. */
  private String loggedCause;

  /** What the status endpoint shows. */
  record Snapshot(Instant lastExportAt, String lastError, Instant lastErrorAt, long exported, long failed, long dropped) {}

  void exported(int spans) {
    exported.addAndGet(spans);
    boolean recovered;
    lock.lock();
    try {
      lastExportAt = Instant.now();
      recovered = loggedCause != null;
      loggedCause = null;
    } finally {
      lock.unlock();
    }
    if (recovered) {
      log.info("Traces reach MLflow again");
    }
  }

  /** {@code spans} were not exported because of {@code cause} (already free of secrets). */
  void failed(int spans, String cause) {
    failed.addAndGet(spans);
    boolean first;
    lock.lock();
    try {
      lastError = cause;
      lastErrorAt = Instant.now();
      first = !cause.equals(loggedCause);
      loggedCause = cause;
    } finally {
      lock.unlock();
    }
    if (first) {
      log.warn("Traces could not be sent to MLflow: {}. Runs go on untouched; later traces are tried again, "
          + "and this is logged again only when the cause changes or exports worked in between", cause);
    }
  }

  /** {@code spans} were pushed out of a full export queue (the oldest waiting), or came after shutdown. */
  void dropped(int spans) {
    if (dropped.getAndAdd(spans) == 0) {
      log.warn("The trace export queue is full (MLflow is slower than the runs, or away); the oldest spans waiting are "
          + "dropped and counted (dropped_spans in /api/mlflow/status)");
    }
  }

  Snapshot snapshot() {
    lock.lock();
    try {
      return new Snapshot(lastExportAt, lastError, lastErrorAt, exported.get(), failed.get(), dropped.get());
    } finally {
      lock.unlock();
    }
  }
}
