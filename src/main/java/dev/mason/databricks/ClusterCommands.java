package dev.mason.databricks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mason.agent.tool.ToolFailure;
import dev.mason.web.Json;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Code on an all-purpose cluster through Command Execution 1.2: an execution context (kept so
 * later calls see the same variables), a command, polls until it is final, a cancel at the
 * timeout. The 1.2 API speaks camelCase.
 */
final class ClusterCommands {
  private static final Set<String> FINAL = Set.of("Finished", "Cancelled", "Error");
  private static final Duration CONTEXT_WAIT = Duration.ofMinutes(2);

  private final ToolCall call;
  private final String clusterId;

  ClusterCommands(ToolCall call, String clusterId) {
    this.call = call;
    this.clusterId = clusterId;
  }

  /** A context that is running: {@code contextId} when it still is, else a new one. */
  String context(String contextId, String language) {
    if (contextId != null) {
      try {
        JsonNode status = call.api().get("/api/1.2/contexts/status", Map.of("clusterId", clusterId, "contextId", contextId));
        if (status.path("status").asText().equals("Running")) {
          return contextId;
        }
      } catch (WorkspaceException e) {
        // Gone (the cluster restarted): a new context follows.
      }
    }
    String id = call.api().post("/api/1.2/contexts/create", Json.MAPPER.createObjectNode()
        .put("clusterId", clusterId).put("language", language)).path("id").asText();
    Optional<String> running = call.polling().until(CONTEXT_WAIT, () -> {
      String status = call.api().get("/api/1.2/contexts/status", Map.of("clusterId", clusterId, "contextId", id)).path("status").asText();
      if (status.equals("Error")) {
        throw new ToolFailure("the cluster could not create an execution context for " + language);
      }
      return status.equals("Running") ? id : null;
    });
    return running.orElseThrow(() -> new ToolFailure("the cluster did not make an execution context ready within "
        + CONTEXT_WAIT.toMinutes() + " minutes"));
  }

  CodeRun execute(String contextId, String language, String code, Duration timeout) {
    Instant started = Instant.now();
    String commandId = call.api().post("/api/1.2/commands/execute", Json.MAPPER.createObjectNode()
        .put("clusterId", clusterId).put("contextId", contextId).put("language", language).put("command", code)).path("id").asText();
    Optional<JsonNode> done;
    try {
      done = call.polling().until(timeout, () -> {
        JsonNode status = call.api().get("/api/1.2/commands/status",
            Map.of("clusterId", clusterId, "contextId", contextId, "commandId", commandId));
        return FINAL.contains(status.path("status").asText()) ? status : null;
      });
    } catch (Polling.Cancelled e) {
      cancel(contextId, commandId);
      throw e;
    }
    Duration elapsed = Duration.between(started, Instant.now());
    if (done.isEmpty()) {
      cancel(contextId, commandId);
      return new CodeRun("TIMEOUT", "", "the command did not finish within " + timeout.toSeconds()
          + " s and was cancelled; it may have had effects before the cancel", elapsed);
    }
    return outcome(done.get(), elapsed);
  }

  void destroy(String contextId) {
    try {
      call.api().post("/api/1.2/contexts/destroy", Json.MAPPER.createObjectNode().put("clusterId", clusterId).put("contextId", contextId));
    } catch (WorkspaceException e) {
      // Contexts die with the cluster anyway; nothing to report.
    }
  }

  private void cancel(String contextId, String commandId) {
    try {
      call.api().post("/api/1.2/commands/cancel", Json.MAPPER.createObjectNode()
          .put("clusterId", clusterId).put("contextId", contextId).put("commandId", commandId));
    } catch (WorkspaceException e) {
      // Already final.
    }
  }

  private static CodeRun outcome(JsonNode status, Duration elapsed) {
    if (status.path("status").asText().equals("Cancelled")) {
      return new CodeRun("ERROR", "", "the command was cancelled", elapsed);
    }
    JsonNode results = status.path("results");
    return switch (results.path("resultType").asText()) {
      case "error" -> new CodeRun("ERROR", "", plain(results.path("cause").asText(results.path("summary").asText("error"))), elapsed);
      case "table" -> new CodeRun("SUCCESS", table(results), null, elapsed);
      case "image", "images" -> new CodeRun("SUCCESS", "[image output is not shown here]", null, elapsed);
      default -> new CodeRun("SUCCESS", results.path("data").isTextual() ? results.path("data").asText()
          : results.path("data").toString(), null, elapsed);
    };
  }

  /** A 1.2 table result (schema + data arrays) as markdown. */
  private static String table(JsonNode results) {
    StringBuilder out = new StringBuilder("|");
    results.path("schema").forEach(c -> out.append(' ').append(c.path("name").asText()).append(" |"));
    out.append("\n|");
    results.path("schema").forEach(c -> out.append("---|"));
    for (JsonNode row : results.path("data")) {
      out.append("\n|");
      row.forEach(v -> out.append(' ').append(v.isNull() ? "NULL" : v.asText().replace("|", "\\|")).append(" |"));
    }
    if (results.path("truncated").asBoolean(false)) {
      out.append("\n(truncated by the cluster)");
    }
    return out.toString();
  }

  /** Error causes arrive with ANSI colour codes and HTML spans. */
  static String plain(String text) {
    return text.replaceAll("\u001B\\[[;\\d]*m", "").replaceAll("<[^>]+>", "");
  }

  ObjectNode describe(String contextId, boolean destroyed) {
    ObjectNode out = Json.MAPPER.createObjectNode().put("compute", "cluster").put("cluster_id", clusterId);
    if (!destroyed) {
      out.put("context_id", contextId).put("note", "Pass context_id (and cluster_id) to run more code with the same variables.");
    }
    return out;
  }
}
