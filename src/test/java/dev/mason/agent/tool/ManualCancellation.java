package dev.mason.agent.tool;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.ReentrantLock;

/** A cancellation a test triggers by hand; actions run on the cancelling thread. */
final class ManualCancellation implements Cancellation {
  private final ReentrantLock lock = new ReentrantLock();
  private final List<Runnable> actions = new ArrayList<>();
  private boolean cancelled;

  void cancel() {
    List<Runnable> toRun;
    lock.lock();
    try {
      cancelled = true;
      toRun = List.copyOf(actions);
      actions.clear();
    } finally {
      lock.unlock();
    }
    toRun.forEach(Runnable::run);
  }

  @Override
  public boolean isCancelled() {
    lock.lock();
    try {
      return cancelled;
    } finally {
      lock.unlock();
    }
  }

  @Override
  public void onCancel(Runnable action) {
    lock.lock();
    try {
      if (!cancelled) {
        actions.add(action);
        return;
      }
    } finally {
      lock.unlock();
    }
    action.run();
  }
}
