package dev.mason.mcp;

import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The background timer that stops delegated tasks at their {@code timeout_s}: one action per
 * running task, cancelled when the task ends first. Actions run on the one thread
 * {@code mcp-task-deadlines}, so they must be short (a database update and a stop request).
 *
 * <p>Concurrency: {@code pending} is a concurrent map; the executor is thread-safe.
 */
final class TaskDeadlines implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(TaskDeadlines.class);

  private final ScheduledThreadPoolExecutor timer;
  private final Map<UUID, ScheduledFuture<?>> pending = new ConcurrentHashMap<>();

  TaskDeadlines() {
    timer = new ScheduledThreadPoolExecutor(1, runnable -> Thread.ofPlatform().daemon().name("mcp-task-deadlines").unstarted(runnable));
    timer.setRemoveOnCancelPolicy(true);
    timer.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
  }

  /** Runs {@code action} for {@code task} after {@code delay}, replacing any action already set for it. */
  void schedule(UUID task, Duration delay, Runnable action) {
    ScheduledFuture<?> future;
    try {
      future = timer.schedule(() -> {
        pending.remove(task);
        try {
          action.run();
        } catch (RuntimeException e) {
          log.warn("The deadline action of task {} failed: {}", task, e.toString());
        }
      }, delay.toMillis(), TimeUnit.MILLISECONDS);
    } catch (RejectedExecutionException closed) {
      // Mason is stopping: the task ends with its run, or is marked interrupted at the next start.
      return;
    }
    ScheduledFuture<?> previous = pending.put(task, future);
    if (previous != null) {
      previous.cancel(false);
    }
  }

  void cancel(UUID task) {
    ScheduledFuture<?> future = pending.remove(task);
    if (future != null) {
      future.cancel(false);
    }
  }

  /** Drops every pending action: after a restart, tasks still running are interrupted anyway. */
  @Override
  public void close() {
    timer.shutdownNow();
    pending.clear();
  }
}
