package dev.mason.agent.tool;

/**
 * Whether a run has been stopped. Long-running tools check it, or register a callback that kills
 * their work (a Bash process tree) the moment a stop arrives.
 */
public interface Cancellation {
  Cancellation NEVER = new Cancellation() {
    @Override
    public boolean isCancelled() {
      return false;
    }

    @Override
    public void onCancel(Runnable action) {}
  };

  boolean isCancelled();

  /** Runs {@code action} once when the run is cancelled (at once if it already is). */
  void onCancel(Runnable action);
}
