package dev.mason.agent.event;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/**
 * The status of an agent run: {@code running}, then exactly one final status. The lower-case
 * names are the wire and database form (the {@code executions.status} column, the {@code done}
 * and {@code result} events), unchanged from the string literals they replace.
 */
public enum ExecutionStatus {
  RUNNING,
  COMPLETED,
  CANCELLED,
  ERROR,
  /** Ended by a shutdown or a restart of Mason, not by the run itself. */
  INTERRUPTED;

  private final String wire = name().toLowerCase(Locale.ROOT);

  @JsonValue
  public String wire() {
    return wire;
  }

  public boolean isFinal() {
    return this != RUNNING;
  }

  /** The status named {@code wire}; IllegalArgumentException naming the allowed values otherwise. */
  @JsonCreator
  public static ExecutionStatus of(String wire) {
    for (ExecutionStatus status : values()) {
      if (status.wire.equals(wire)) {
        return status;
      }
    }
    throw new IllegalArgumentException("unknown execution status " + wire
        + "; expected running, completed, cancelled, error or interrupted");
  }

  @Override
  public String toString() {
    return wire;
  }
}
