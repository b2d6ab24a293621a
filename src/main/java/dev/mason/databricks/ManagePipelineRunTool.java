package dev.mason.databricks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mason.agent.tool.InputSchema;
import dev.mason.agent.tool.ToolFailure;
import dev.mason.web.Json;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** manage_pipeline_run: start, follow and stop pipeline updates, and read their event log. */
final class ManagePipelineRunTool extends ActionTool {
  private static final List<String> ACTIONS = List.of("start", "get", "stop", "get_events");
  private static final Set<String> FINAL = Set.of("COMPLETED", "FAILED", "CANCELED");
  private static final String API = ManagePipelineTool.API;

  ManagePipelineRunTool(ToolRuntime runtime) {
    super(runtime, ACTIONS, "manage_pipeline_run",
        "Runs of a pipeline (updates). start: begin an update (full_refresh recomputes every table; refresh_selection "
            + "limits it to some tables); with wait_for_completion it waits until the update ends. get: an update's state "
            + "(the latest when update_id is omitted). stop: stop the running update. get_events: the pipeline's recent "
            + "events with a summary of its errors (use it when an update FAILED).",
        InputSchema.object()
            .action("start, get, stop or get_events.", ACTIONS)
            .string("pipeline_id", "The pipeline.")
            .string("update_id", "For get and get_events: one update (default: the latest).")
            .bool("full_refresh", "For start: recompute all tables (default false).")
            .strings("refresh_selection", "For start: refresh only these tables.")
            .bool("wait_for_completion", "For start: wait until the update ends (default false).")
            .integer("timeout", "Seconds to wait with wait_for_completion (default 1800, at most 7200).")
            .integer("max_events", "For get_events: most events to read (default 50, at most 250).")
            .required("pipeline_id"));
  }

  @Override
  String run(ToolCall call, Args args, String action) {
    String pipeline = WorkspaceApi.encodePath(args.string("pipeline_id"));
    return switch (action) {
      case "start" -> {
        String updateId = start(call, pipeline, args.optBool("full_refresh", false), args.strings("refresh_selection"));
        if (!args.optBool("wait_for_completion", false)) {
          yield Json.MAPPER.createObjectNode().put("pipeline_id", args.string("pipeline_id")).put("update_id", updateId)
              .put("message", "Update started; follow it with action=get.").toString();
        }
        yield waitFor(call, pipeline, updateId, Duration.ofSeconds(args.optInt("timeout", 1800, 1, 7200))).toString();
      }
      case "get" -> update(call, pipeline, args.optString("update_id", null)).toString();
      case "stop" -> {
        call.api().post(API + "/" + pipeline + "/stop", Json.MAPPER.createObjectNode());
        yield Json.MAPPER.createObjectNode().put("pipeline_id", args.string("pipeline_id"))
            .put("message", "Stop requested; the running update is cancelled.").toString();
      }
      default -> events(call, pipeline, args.optString("update_id", null), args.optInt("max_events", 50, 1, 250));
    };
  }

  static String start(ToolCall call, String pipeline, boolean fullRefresh) {
    return start(call, pipeline, fullRefresh, List.of());
  }

  private static String start(ToolCall call, String pipeline, boolean fullRefresh, List<String> selection) {
    ObjectNode body = Json.MAPPER.createObjectNode().put("full_refresh", fullRefresh);
    if (!selection.isEmpty()) {
      ArrayNode tables = body.putArray("refresh_selection");
      selection.forEach(tables::add);
    }
    return call.api().post(API + "/" + pipeline + "/updates", body).path("update_id").asText();
  }

  private static ObjectNode update(ToolCall call, String pipeline, String updateId) {
    String id = updateId;
    if (id == null) {
      JsonNode latest = call.api().get(API + "/" + pipeline).path("latest_updates").path(0);
      if (latest.isMissingNode()) {
        throw new ToolFailure("the pipeline has no updates yet; start one with action=start");
      }
      id = latest.path("update_id").asText();
    }
    JsonNode update = call.api().get(API + "/" + pipeline + "/updates/" + WorkspaceApi.encodePath(id)).path("update");
    ObjectNode out = Json.MAPPER.createObjectNode().put("update_id", update.path("update_id").asText(id))
        .put("state", update.path("state").asText()).put("cause", update.path("cause").asText(null))
        .put("full_refresh", update.path("full_refresh").asBoolean(false))
        .put("creation_time", update.path("creation_time").asText(null));
    if (update.path("state").asText().equals("FAILED")) {
      out.put("hint", "Read the errors with action=get_events.");
    }
    return out;
  }

  private static ObjectNode waitFor(ToolCall call, String pipeline, String updateId, Duration timeout) {
    Optional<ObjectNode> done = call.polling().until(timeout, () -> {
      ObjectNode update = update(call, pipeline, updateId);
      return FINAL.contains(update.path("state").asText()) ? update : null;
    });
    return done.orElseThrow(() -> new ToolFailure("update " + updateId + " is still running after " + timeout.toSeconds()
        + " s (it was not stopped); check it later with action=get"));
  }

  private static String events(ToolCall call, String pipeline, String updateId, int max) {
    List<JsonNode> events = call.api().collect(API + "/" + pipeline + "/events",
        Map.of("max_results", Math.min(max, 250), "order_by", "timestamp desc"), "events", max);
    ArrayNode list = Json.MAPPER.createArrayNode();
    Map<String, Integer> errors = new LinkedHashMap<>();
    for (JsonNode event : events) {
      if (updateId != null && !updateId.equals(event.path("origin").path("update_id").asText())) {
        continue;
      }
      ObjectNode entry = list.addObject().put("timestamp", event.path("timestamp").asText())
          .put("level", event.path("level").asText()).put("event_type", event.path("event_type").asText())
          .put("message", event.path("message").asText());
      String flow = event.path("origin").path("flow_name").asText("");
      if (!flow.isEmpty()) {
        entry.put("flow", flow);
      }
      if (event.path("level").asText().equals("ERROR")) {
        String detail = errorDetail(event);
        entry.put("error", detail);
        errors.merge(detail, 1, Integer::sum);
      }
    }
    ObjectNode out = Json.MAPPER.createObjectNode();
    ObjectNode summary = out.putObject("error_summary").put("error_events", errors.values().stream().mapToInt(i -> i).sum());
    ArrayNode distinct = summary.putArray("errors");
    errors.forEach((message, count) -> distinct.addObject().put("error", message).put("count", count));
    out.put("count", list.size());
    out.set("events", list);
    return out.toString();
  }

  /** An error event's exceptions as "Class: message" lines, else its message. */
  private static String errorDetail(JsonNode event) {
    StringBuilder detail = new StringBuilder();
    for (JsonNode exception : event.path("error").path("exceptions")) {
      if (!detail.isEmpty()) {
        detail.append(" | ");
      }
      detail.append(exception.path("class_name").asText("Error")).append(": ").append(exception.path("message").asText());
    }
    return detail.isEmpty() ? event.path("message").asText() : detail.toString();
  }
}
