package dev.mason.agent.llm;

import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Ends streams that went silent: a model stream that sends nothing (not even a ping) for the idle
 * limit is treated as a dropped connection, so a half-open TCP connection cannot hang a run.
 *
 * <p>One daemon thread, {@code mason-model-idle-watchdog}, checks every registered stream a few
 * times per limit; a stream's check is cancelled when the stream closes.
 */
final class IdleWatchdog {
  private static final ScheduledExecutorService TIMER = timer();

  private IdleWatchdog() {}

  /** A stream's watch: {@link #touch()} on every read; {@link #close()} when the stream ends. */
  static final class Watch implements AutoCloseable {
    private final AtomicLong lastActivity = new AtomicLong(System.nanoTime());
    private volatile boolean expired;
    private ScheduledFuture<?> check;

    void touch() {
      lastActivity.set(System.nanoTime());
    }

    boolean expired() {
      return expired;
    }

    @Override
    public void close() {
      check.cancel(false);
    }
  }

  /** Runs {@code onIdle} once when no {@link Watch#touch()} came for {@code limit}. */
  static Watch watch(Duration limit, Runnable onIdle) {
    Watch watch = new Watch();
    long limitNanos = limit.toNanos();
    long period = Math.max(limit.toMillis() / 4, 10);
    watch.check = TIMER.scheduleWithFixedDelay(() -> {
      if (!watch.expired && System.nanoTime() - watch.lastActivity.get() > limitNanos) {
        watch.expired = true;
        onIdle.run();
      }
    }, period, period, TimeUnit.MILLISECONDS);
    return watch;
  }

  private static ScheduledExecutorService timer() {
    ScheduledThreadPoolExecutor timer = new ScheduledThreadPoolExecutor(1, runnable -> {
      Thread thread = new Thread(runnable, "mason-model-idle-watchdog");
      thread.setDaemon(true);
      return thread;
    });
    timer.setRemoveOnCancelPolicy(true);
    return timer;
  }
}
