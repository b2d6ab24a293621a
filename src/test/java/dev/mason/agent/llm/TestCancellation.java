package dev.mason.agent.llm;

import dev.mason.agent.tool.Cancellation;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** A cancellation a test fires by hand. */
final class TestCancellation implements Cancellation {
  private final List<Runnable> actions = new CopyOnWriteArrayList<>();
  private volatile boolean cancelled;

  void cancel() {
    cancelled = true;
    for (Runnable action : actions) {
      if (actions.remove(action)) {
        action.run();
      }
    }
  }

  @Override
  public boolean isCancelled() {
    return cancelled;
  }

  @Override
  public void onCancel(Runnable action) {
    actions.add(action);
    if (cancelled && actions.remove(action)) {
      action.run();
    }
  }
}
