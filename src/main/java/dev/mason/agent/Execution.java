package dev.mason.agent;

import com.fasterxml.jackson.annotation.JsonIgnore;
import dev.mason.agent.event.ExecutionStatus;
import java.time.Instant;
import java.util.UUID;

/** An agent run as stored: running, then completed, cancelled, error or interrupted. */
public record Execution(
    UUID id,
    UUID conversationId,
    UUID projectId,
    @JsonIgnore String owner,
    ExecutionStatus status,
    String model,
    String error,
    Instant createdAt,
    Instant updatedAt) {

  public boolean running() {
    return status == ExecutionStatus.RUNNING;
  }
}
