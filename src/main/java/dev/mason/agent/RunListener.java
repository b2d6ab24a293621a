package dev.mason.agent;

import dev.mason.agent.event.ExecutionStatus;
import dev.mason.agent.event.LoggedEvent;
import dev.mason.identity.Caller;
import java.util.Optional;
import java.util.UUID;

/**
 * Hears every agent run of this process: its start, each event appended to its log, its end. The
 * tracing room implements it; the agent room knows nothing of what it does with them.
 *
 * <p>Contract: calls come from the run's threads (the loop and concurrent tool calls), so an
 * implementation is thread-safe and quick; it must not block, and whatever it throws is logged
 * and ignored, so a listener never slows, fails or changes a run.
 */
public interface RunListener {
  /** Hears nothing: tracing is off. */
  RunListener NONE = new RunListener() {
    @Override
    public Run started(RunStart start) {
      return Run.IGNORED;
    }

    @Override
    public Optional<String> traceUrl(UUID executionId) {
      return Optional.empty();
    }
  };

  /** Called on the run's thread before its first event; the returned {@link Run} hears the rest. */
  Run started(RunStart start);

  /** Where the run's trace can be seen, when this listener recorded one. */
  Optional<String> traceUrl(UUID executionId);

  /**
   * What is known when a run starts.
   *
   * @param caller who runs it, with their own token (never to be recorded)
   * @param source {@code chat} for a browser run, {@code task} for a delegated task
   * @param runtime the engine that runs the agent ({@code mason-agent}, the built-in loop)
   * @param message the user's message that started the run
   * @param experimentName the MLflow experiment this run asked for, or null for the default
   */
  record RunStart(UUID executionId, UUID conversationId, UUID projectId, String projectName, Caller caller,
      String source, String runtime, String model, String message, String experimentName) {}

  /** One run's events, in the order each thread appended them. */
  interface Run {
    Run IGNORED = new Run() {
      @Override
      public void event(LoggedEvent event) {}

      @Override
      public void ended(ExecutionStatus status) {}
    };

    void event(LoggedEvent event);

    /** The run is settled with {@code status} (completed, cancelled, error or interrupted); no event follows. */
    void ended(ExecutionStatus status);
  }
}
