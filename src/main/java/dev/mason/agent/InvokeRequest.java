package dev.mason.agent;

import com.fasterxml.jackson.annotation.JsonUnwrapped;
import dev.mason.project.ConversationSettings;
import dev.mason.web.ApiError;
import java.util.UUID;

/**
 * The body of {@code POST /api/invoke_agent}; validates itself, naming the field at fault.
 *
 * @param settings the conversation settings, at the top level of the body as in a conversation's
 *     own POST and PATCH ({@code cluster_id}, {@code model}, ...), checked by their one record
 * @param mlflowExperimentName the MLflow experiment this run's trace goes to (the builder app sends
 *     it per run), or null for the configured default
 */
record InvokeRequest(
    String projectId,
    String conversationId,
    String message,
    @JsonUnwrapped ConversationSettings settings,
    String mlflowExperimentName) {
  static final int MAX_MESSAGE_CHARS = 200_000;
  static final int MAX_EXPERIMENT_NAME_CHARS = 500;

  InvokeRequest {
    if (projectId == null || projectId.isBlank()) {
      throw ApiError.badRequest("project_id", "project_id is required");
    }
    uuid("project_id", projectId);
    if (conversationId != null && !conversationId.isBlank()) {
      uuid("conversation_id", conversationId);
    }
    if (message == null || message.isBlank()) {
      throw ApiError.badRequest("message", "message is required and must not be blank");
    }
    if (message.length() > MAX_MESSAGE_CHARS) {
      throw ApiError.badRequest("message", "message is " + message.length() + " characters; the limit is " + MAX_MESSAGE_CHARS);
    }
    settings = settings == null ? ConversationSettings.NONE : settings;
    if (mlflowExperimentName != null) {
      mlflowExperimentName = mlflowExperimentName.strip();
      if (mlflowExperimentName.isEmpty()) {
        mlflowExperimentName = null;
      } else if (mlflowExperimentName.length() > MAX_EXPERIMENT_NAME_CHARS
          || mlflowExperimentName.chars().anyMatch(Character::isISOControl)) {
        throw ApiError.badRequest("mlflow_experiment_name", "mlflow_experiment_name must be at most "
            + MAX_EXPERIMENT_NAME_CHARS + " characters without control characters");
      }
    }
  }

  UUID project() {
    return UUID.fromString(projectId);
  }

  /** The conversation to continue, or null to start one. */
  UUID conversation() {
    return conversationId == null || conversationId.isBlank() ? null : UUID.fromString(conversationId);
  }

  private static void uuid(String field, String value) {
    try {
      UUID.fromString(value);
    } catch (IllegalArgumentException e) {
      throw ApiError.badRequest(field, field + " is not a valid id");
    }
  }
}
