package dev.mason.mcp;

import java.time.Instant;
import java.util.UUID;

/**
 * A task another agent delegated, as stored.
 *
 * @param executionId the agent run, null until the task starts
 * @param status queued, running, or a final status
 * @param contextJson the delegating agent's context object as JSON text, or null
 * @param needsToken whether the run must act with the owner's own token (see the migration)
 * @param stopReason cancel or timeout once a stop was asked for, else null
 * @param resultJson the outcome collected when the task ended, or null
 */
record DelegatedTask(
    UUID id,
    String owner,
    UUID projectId,
    UUID conversationId,
    UUID executionId,
    TaskStatus status,
    String prompt,
    String contextJson,
    int timeoutSeconds,
    boolean needsToken,
    String stopReason,
    String error,
    String resultJson,
    Instant createdAt,
    Instant startedAt,
    Instant finishedAt) {

  boolean ended() {
    return status.isFinal();
  }
}
