package dev.mason.bus;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Objects;
import java.util.UUID;

/**
 * One change to a user's data, as the live bus carries it: what happened and the ids it
 * happened to, with the new name, title or status where there is one. Every change names its
 * project. Fields are null where the kind has none (and then absent on the wire).
 *
 * @param name a project's name (project.created, project.renamed)
 * @param title a conversation's title (conversation.created, conversation.retitled)
 * @param status an execution's or a task's status (execution.*, task.*)
 */
public record Change(
    @JsonProperty("type") Kind kind,
    @JsonProperty("project_id") UUID projectId,
    @JsonProperty("conversation_id") @JsonInclude(JsonInclude.Include.NON_NULL) UUID conversationId,
    @JsonProperty("execution_id") @JsonInclude(JsonInclude.Include.NON_NULL) UUID executionId,
    @JsonProperty("task_id") @JsonInclude(JsonInclude.Include.NON_NULL) UUID taskId,
    @JsonProperty("name") @JsonInclude(JsonInclude.Include.NON_NULL) String name,
    @JsonProperty("title") @JsonInclude(JsonInclude.Include.NON_NULL) String title,
    @JsonProperty("status") @JsonInclude(JsonInclude.Include.NON_NULL) String status) {

  /** What changed; the wire names are the SSE {@code event} and the data's {@code type}. */
  public enum Kind {
    PROJECT_CREATED("project.created"),
    PROJECT_RENAMED("project.renamed"),
    PROJECT_DELETED("project.deleted"),
    CONVERSATION_CREATED("conversation.created"),
    CONVERSATION_RETITLED("conversation.retitled"),
    CONVERSATION_DELETED("conversation.deleted"),
    EXECUTION_STARTED("execution.started"),
    EXECUTION_ENDED("execution.ended"),
    /** A stop asked of a Mason other than the one running the execution: that one stops it. */
    EXECUTION_STOP_REQUESTED("execution.stop_requested"),
    TASK_QUEUED("task.queued"),
    TASK_STARTED("task.started"),
    TASK_ENDED("task.ended");

    private final String wire;

    Kind(String wire) {
      this.wire = wire;
    }

    @JsonValue
    public String wire() {
      return wire;
    }

    @JsonCreator
    public static Kind of(String wire) {
      for (Kind kind : values()) {
        if (kind.wire.equals(wire)) {
          return kind;
        }
      }
      throw new IllegalArgumentException("unknown change kind " + wire);
    }
  }

  public Change {
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(projectId, "project_id");
    switch (kind) {
      case PROJECT_CREATED, PROJECT_RENAMED -> Objects.requireNonNull(name, "name");
      case CONVERSATION_CREATED, CONVERSATION_RETITLED -> {
        Objects.requireNonNull(conversationId, "conversation_id");
        Objects.requireNonNull(title, "title");
      }
      case CONVERSATION_DELETED -> Objects.requireNonNull(conversationId, "conversation_id");
      case EXECUTION_STARTED, EXECUTION_ENDED, EXECUTION_STOP_REQUESTED -> {
        Objects.requireNonNull(conversationId, "conversation_id");
        Objects.requireNonNull(executionId, "execution_id");
        Objects.requireNonNull(status, "status");
      }
      case TASK_QUEUED, TASK_STARTED, TASK_ENDED -> {
        Objects.requireNonNull(taskId, "task_id");
        Objects.requireNonNull(status, "status");
      }
      case PROJECT_DELETED -> { }
    }
  }

  public static Change project(Kind kind, UUID projectId, String name) {
    return new Change(kind, projectId, null, null, null, name, null, null);
  }

  public static Change conversation(Kind kind, UUID projectId, UUID conversationId, String title) {
    return new Change(kind, projectId, conversationId, null, null, null, title, null);
  }

  public static Change execution(Kind kind, UUID projectId, UUID conversationId, UUID executionId, String status) {
    return new Change(kind, projectId, conversationId, executionId, null, null, null, status);
  }

  public static Change task(Kind kind, UUID projectId, UUID conversationId, UUID taskId, UUID executionId, String status) {
    return new Change(kind, projectId, conversationId, executionId, taskId, null, null, status);
  }

  /** A change as the feed holds it: numbered, and whose it is. */
  public record Numbered(long seq, String owner, Change change) {}
}
