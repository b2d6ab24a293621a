package dev.mason.agent.event;

import java.util.Objects;

/**
 * An event as an execution's log holds it: its place in the log and what happened.
 *
 * @param seq position in the execution's log, 1 for the first event; the SSE {@code id}
 */
public record LoggedEvent(int seq, AgentEvent event) {
  public LoggedEvent {
    if (seq < 1) {
      throw new IllegalArgumentException("seq starts at 1, was " + seq);
    }
    Objects.requireNonNull(event, "event");
  }

  public String type() {
    return event.type();
  }
}
