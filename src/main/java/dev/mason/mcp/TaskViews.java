package dev.mason.mcp;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.mason.web.Json;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * How delegated tasks are shown to MCP clients: the JSON the delegation tools answer with. Keys
 * are written out here (not derived from records) because they are a wire format other agents
 * parse.
 */
final class TaskViews {
  static final int SUMMARY_CHARS = 200;
  static final int PROMPT_SUMMARY_CHARS = 100;

  private TaskViews() {}

  /** The chat page of the task's conversation, where a person can watch the run live. */
  static String viewerUrl(String baseUrl, DelegatedTask task) {
    return baseUrl + "/projects/" + task.projectId() + "/conversations/" + task.conversationId();
  }

  /** What mason_run answers, and mason_cancel. */
  static Map<String, Object> brief(DelegatedTask task, String baseUrl) {
    Map<String, Object> view = new LinkedHashMap<>();
    view.put("task_id", task.id().toString());
    view.put("status", task.status().wire());
    view.put("project_id", task.projectId().toString());
    view.put("conversation_id", task.conversationId().toString());
    view.put("viewer_url", viewerUrl(baseUrl, task));
    if (task.error() != null) {
      view.put("error", task.error());
    }
    return view;
  }

  /** One line of mason_inbox. */
  static Map<String, Object> inboxEntry(DelegatedTask task, String baseUrl, Instant now) {
    Map<String, Object> view = new LinkedHashMap<>();
    view.put("task_id", task.id().toString());
    view.put("status", task.status().wire());
    view.put("elapsed_s", elapsedSeconds(task, now));
    view.put("summary", summary(task));
    view.put("prompt_summary", oneLine(task.prompt(), PROMPT_SUMMARY_CHARS));
    view.put("created_at", task.createdAt().toString());
    view.put("project_id", task.projectId().toString());
    view.put("conversation_id", task.conversationId().toString());
    view.put("viewer_url", viewerUrl(baseUrl, task));
    return view;
  }

  /** What mason_get_result answers: the outcome once the task has ended, else where it stands. */
  static Map<String, Object> result(DelegatedTask task, String baseUrl, Instant now) {
    Map<String, Object> view = brief(task, baseUrl);
    view.put("created_at", task.createdAt().toString());
    view.put("started_at", task.startedAt() == null ? null : task.startedAt().toString());
    view.put("finished_at", task.finishedAt() == null ? null : task.finishedAt().toString());
    view.put("elapsed_s", elapsedSeconds(task, now));
    if (!task.ended()) {
      view.put("message", task.status() == TaskStatus.QUEUED
          ? "The task is waiting for a free slot; it has not started yet."
          : "The task is still running; its result is not available yet. Watch it at viewer_url.");
      return view;
    }
    JsonNode outcome = outcome(task);
    view.put("answer", outcome.path("answer").isTextual() ? outcome.get("answer").asText() : null);
    view.put("files_changed", outcome.path("files_changed"));
    view.put("files_truncated", outcome.path("files_truncated").asBoolean(false));
    view.put("resources_created", outcome.path("resources_created"));
    view.put("errors", outcome.path("errors"));
    view.put("usage", outcome.path("usage").isObject() ? outcome.get("usage") : null);
    return view;
  }

  /** Running time: until now while it runs, start to end once it ended, and waiting time while queued. */
  static long elapsedSeconds(DelegatedTask task, Instant now) {
    Instant from = task.startedAt() != null ? task.startedAt() : task.createdAt();
    Instant to = task.finishedAt() != null ? task.finishedAt() : now;
    return Math.max(0, Duration.between(from, to).toSeconds());
  }

  /** One line about where the task stands or what it came to. */
  static String summary(DelegatedTask task) {
    return switch (task.status()) {
      case QUEUED -> "Waiting for a free slot.";
      case RUNNING -> "Running.";
      case COMPLETED -> {
        String answer = outcome(task).path("answer").asText("");
        yield answer.isBlank() ? "Completed without a written answer." : oneLine(answer, SUMMARY_CHARS);
      }
      case CANCELLED -> "Cancelled.";
      case ERROR, TIMEOUT, INTERRUPTED -> oneLine(task.error() == null ? task.status().wire() : task.error(), SUMMARY_CHARS);
    };
  }

  /** The first non-blank line of {@code text}, cut to {@code max} characters with an ellipsis. */
  static String oneLine(String text, int max) {
    String line = text.lines().map(String::strip).filter(l -> !l.isEmpty()).findFirst().orElse("");
    return line.length() <= max ? line : line.substring(0, max - 1) + "…";
  }

  private static JsonNode outcome(DelegatedTask task) {
    if (task.resultJson() == null) {
      return TaskOutcome.NONE.toJson();
    }
    try {
      return Json.MAPPER.readTree(task.resultJson());
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("stored result of task " + task.id() + " is unreadable", e);
    }
  }
}
