package dev.mason.mcp;

import com.fasterxml.jackson.annotation.JsonValue;
import dev.mason.agent.event.ExecutionStatus;
import java.util.Locale;

/**
 * Where a delegated task stands: queued → running → one final status. The lower-case names are
 * the database and MCP form ({@code delegated_tasks.status}, the tools' {@code status}).
 */
enum TaskStatus {
  QUEUED,
  RUNNING,
  COMPLETED,
  ERROR,
  CANCELLED,
  /** Stopped because it ran past its timeout. */
  TIMEOUT,
  /** Its run was ended by a shutdown or restart of Mason. */
  INTERRUPTED;

  private final String wire = name().toLowerCase(Locale.ROOT);

  @JsonValue
  String wire() {
    return wire;
  }

  boolean isFinal() {
    return this != QUEUED && this != RUNNING;
  }

  static TaskStatus of(String wire) {
    for (TaskStatus status : values()) {
      if (status.wire.equals(wire)) {
        return status;
      }
    }
    throw new IllegalArgumentException("unknown task status " + wire);
  }

  /**
   * The task's end for its run's end: a run stopped by the task's own timeout is a timeout, any
   * other stop a cancel; the other final statuses carry over.
   */
  static TaskStatus afterRun(ExecutionStatus run, boolean timedOut) {
    return switch (run) {
      case CANCELLED -> timedOut ? TIMEOUT : CANCELLED;
      case COMPLETED -> COMPLETED;
      case INTERRUPTED -> INTERRUPTED;
      case ERROR, RUNNING -> ERROR;
    };
  }

  @Override
  public String toString() {
    return wire;
  }
}
