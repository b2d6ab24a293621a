package dev.mason.agent;

import dev.mason.agent.event.ExecutionStatus;
import dev.mason.agent.tool.Cancellation;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.ReentrantLock;

/**
 * An execution in progress in this process: its live event log and its stop switch.
 *
 * <p>Concurrency: {@code cancelled} is atomic; the callbacks list is guarded by {@code lock} and
 * each callback runs exactly once, either at registration (already cancelled) or at cancel.
 */
final class RunningExecution implements Cancellation {
  private final Execution execution;
  private final EventLog events;
  private final AtomicBoolean cancelled = new AtomicBoolean();
  private final ReentrantLock lock = new ReentrantLock();
  private final List<Runnable> onCancel = new ArrayList<>();
  /** Completed with the final status once the run's row and log are finished. */
  private final CompletableFuture<ExecutionStatus> finished = new CompletableFuture<>();

  RunningExecution(Execution execution, EventLog events) {
    this.execution = execution;
    this.events = events;
  }

  Execution execution() {
    return execution;
  }

  EventLog events() {
    return events;
  }

  CompletableFuture<ExecutionStatus> finished() {
    return finished;
  }

  /** Asks the run to stop; returns false when it was already asked. */
  boolean cancel() {
    if (!cancelled.compareAndSet(false, true)) {
      return false;
    }
    List<Runnable> actions;
    lock.lock();
    try {
      actions = List.copyOf(onCancel);
      onCancel.clear();
    } finally {
      lock.unlock();
    }
    actions.forEach(Runnable::run);
    return true;
  }

  @Override
  public boolean isCancelled() {
    return cancelled.get();
  }

  @Override
  public void onCancel(Runnable action) {
    lock.lock();
    try {
      if (!cancelled.get()) {
        onCancel.add(action);
        return;
      }
    } finally {
      lock.unlock();
    }
    action.run();
  }
}
