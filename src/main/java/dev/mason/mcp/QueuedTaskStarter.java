package dev.mason.mcp;

import java.time.Duration;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The background worker that starts queued tasks: woken when a slot frees (a task ends), when an
 * owner whose tasks wait is seen again, and at start-up; it also looks every {@link #SWEEP} in case
 * a wake-up was missed. Each pass is {@code pass}, which decides what may start.
 *
 * <p>Concurrency: {@code wanted} and {@code closed} are guarded by {@code lock}; passes run on
 * the one thread {@code mcp-task-starter}, never two at once.
 */
final class QueuedTaskStarter implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(QueuedTaskStarter.class);
  static final Duration SWEEP = Duration.ofSeconds(15);
  private static final Duration STOP_LIMIT = Duration.ofSeconds(2);

  private final Runnable pass;
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition woken = lock.newCondition();
  private final Thread thread;
  private boolean wanted;
  private boolean closed;

  QueuedTaskStarter(Runnable pass) {
    this.pass = pass;
    this.thread = Thread.ofVirtual().name("mcp-task-starter").unstarted(this::loop);
  }

  void start() {
    thread.start();
  }

  /** Asks for a pass soon; cheap, never blocks on the pass itself. */
  void wake() {
    lock.lock();
    try {
      wanted = true;
      woken.signal();
    } finally {
      lock.unlock();
    }
  }

  private void loop() {
    while (true) {
      lock.lock();
      try {
        long nanos = SWEEP.toNanos();
        while (!wanted && !closed && nanos > 0) {
          nanos = woken.awaitNanos(nanos);
        }
        if (closed) {
          return;
        }
        wanted = false;
      } catch (InterruptedException e) {
        return;
      } finally {
        lock.unlock();
      }
      try {
        pass.run();
      } catch (RuntimeException e) {
        log.warn("Starting queued tasks failed; trying again within {} s: {}", SWEEP.toSeconds(), e.toString());
      }
    }
  }

  /** Stops after the pass in progress, if any; waits for it at most {@link #STOP_LIMIT}. */
  @Override
  public void close() {
    lock.lock();
    try {
      closed = true;
      woken.signal();
    } finally {
      lock.unlock();
    }
    try {
      if (thread.isAlive() && !thread.join(STOP_LIMIT)) {
        log.warn("The task starter did not stop within {} s", STOP_LIMIT.toSeconds());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
