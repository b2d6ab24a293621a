package dev.mason.databricks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;

/**
 * The Pipelines API: create, get, edit (PUT of the whole spec), delete, list with a name filter,
 * updates that advance one step per read (QUEUED, RUNNING, then COMPLETED, or FAILED when a
 * library path contains "broken", with ERROR events), stop, and the event log, newest first.
 */
final class FakePipelines {
  private static final String API = "/api/2.0/pipelines";
  private final FakeWorkspace fake;
  private final Map<String, ObjectNode> pipelines = new ConcurrentSkipListMap<>();
  private final Map<String, Update> updates = new ConcurrentHashMap<>();
  private final Map<String, List<ObjectNode>> events = new ConcurrentHashMap<>();

  private record Update(String pipelineId, ObjectNode json, AtomicInteger reads, boolean fails) {}

  FakePipelines(FakeWorkspace fake) {
    this.fake = fake;
  }

  ObjectNode pipeline(String id) {
    ObjectNode pipeline = pipelines.get(id);
    if (pipeline == null) {
      throw FakeError.notFound("The specified pipeline " + id + " was not found.");
    }
    return pipeline;
  }

  void addTo(RoutesConfig routes) {
    routes.post(API, this::create);
    routes.get(API, this::list);
    routes.get(API + "/{id}", ctx -> ctx.json(pipeline(ctx.pathParam("id"))));
    routes.put(API + "/{id}", ctx -> {
      ObjectNode pipeline = pipeline(ctx.pathParam("id"));
      ObjectNode spec = FakeWorkspace.body(ctx);
      if (!ctx.pathParam("id").equals(spec.path("id").asText())) {
        throw FakeError.invalid("The id in the body must match the pipeline being edited.");
      }
      pipeline.set("spec", spec);
      pipeline.put("name", spec.path("name").asText());
      ctx.json(FakeWorkspace.object());
    });
    routes.delete(API + "/{id}", ctx -> {
      pipeline(ctx.pathParam("id"));
      pipelines.remove(ctx.pathParam("id"));
      ctx.json(FakeWorkspace.object());
    });
    routes.post(API + "/{id}/updates", this::startUpdate);
    routes.get(API + "/{id}/updates/{update}", ctx -> {
      pipeline(ctx.pathParam("id"));
      Update update = updates.get(ctx.pathParam("update"));
      if (update == null || !update.pipelineId().equals(ctx.pathParam("id"))) {
        throw FakeError.notFound("Update " + ctx.pathParam("update") + " not found.");
      }
      advance(update);
      ctx.json(FakeWorkspace.object().set("update", update.json()));
    });
    routes.post(API + "/{id}/stop", ctx -> {
      ObjectNode pipeline = pipeline(ctx.pathParam("id"));
      updates.values().stream().filter(u -> u.pipelineId().equals(ctx.pathParam("id")))
          .filter(u -> !List.of("COMPLETED", "FAILED", "CANCELED").contains(u.json().path("state").asText()))
          .forEach(u -> setState(u, "CANCELED"));
      pipeline.put("state", "IDLE");
      ctx.json(FakeWorkspace.object());
    });
    routes.get(API + "/{id}/events", ctx -> {
      pipeline(ctx.pathParam("id"));
      List<ObjectNode> log = new ArrayList<>(events.getOrDefault(ctx.pathParam("id"), List.of()));
      Collections.reverse(log);
      int max = ctx.queryParam("max_results") == null ? 25 : Integer.parseInt(ctx.queryParam("max_results"));
      ObjectNode body = FakeWorkspace.object();
      body.putArray("events").addAll(log.subList(0, Math.min(max, log.size())));
      ctx.json(body);
    });
  }

  private void create(Context ctx) {
    ObjectNode spec = FakeWorkspace.body(ctx);
    if (!spec.hasNonNull("name")) {
      throw FakeError.invalid("name is required");
    }
    boolean duplicate = pipelines.values().stream().anyMatch(p -> p.path("name").asText().equals(spec.path("name").asText()));
    if (duplicate && !spec.path("allow_duplicate_names").asBoolean(false)) {
      throw new FakeError(409, "RESOURCE_CONFLICT", "Pipeline name '" + spec.path("name").asText() + "' already exists.");
    }
    String id = UUID.randomUUID().toString();
    spec.put("id", id);
    ObjectNode pipeline = FakeWorkspace.object().put("pipeline_id", id).put("name", spec.path("name").asText())
        .put("state", "IDLE").put("health", "HEALTHY").put("creator_user_name", fake.user(ctx));
    pipeline.set("spec", spec);
    pipeline.putArray("latest_updates");
    pipelines.put(id, pipeline);
    ctx.json(FakeWorkspace.object().put("pipeline_id", id));
  }

  private void list(Context ctx) {
    String filter = ctx.queryParam("filter");
    String pattern = null;
    if (filter != null) {
      var match = Pattern.compile("name LIKE '(.*)'").matcher(filter);
      if (!match.matches()) {
        throw FakeError.invalid("Unsupported filter: " + filter);
      }
      pattern = match.group(1).replace("''", "'");
    }
    ObjectNode body = FakeWorkspace.object();
    ArrayNode statuses = body.putArray("statuses");
    for (ObjectNode pipeline : pipelines.values()) {
      if (pattern == null || like(pipeline.path("name").asText(), pattern)) {
        statuses.addObject().put("pipeline_id", pipeline.path("pipeline_id").asText()).put("name", pipeline.path("name").asText())
            .put("state", pipeline.path("state").asText()).put("creator_user_name", pipeline.path("creator_user_name").asText())
            .set("latest_updates", pipeline.path("latest_updates"));
      }
    }
    ctx.json(body);
  }

  private static boolean like(String value, String pattern) {
    StringBuilder regex = new StringBuilder();
    for (char c : pattern.toCharArray()) {
      regex.append(c == '%' ? ".*" : Pattern.quote(String.valueOf(c)));
    }
    return value.matches(regex.toString());
  }

  private void startUpdate(Context ctx) {
    ObjectNode pipeline = pipeline(ctx.pathParam("id"));
    ObjectNode request = FakeWorkspace.body(ctx);
    String updateId = UUID.randomUUID().toString();
    boolean fails = pipeline.path("spec").path("libraries").toString().contains("broken");
    ObjectNode json = FakeWorkspace.object().put("update_id", updateId).put("pipeline_id", pipeline.path("pipeline_id").asText())
        .put("state", "QUEUED").put("cause", "API_CALL").put("full_refresh", request.path("full_refresh").asBoolean(false))
        .put("creation_time", Instant.now().toString());
    if (request.has("refresh_selection")) {
      json.set("refresh_selection", request.get("refresh_selection"));
    }
    Update update = new Update(pipeline.path("pipeline_id").asText(), json, new AtomicInteger(), fails);
    updates.put(updateId, update);
    ((ArrayNode) pipeline.get("latest_updates")).insert(0, FakeWorkspace.object().put("update_id", updateId).put("state", "QUEUED")
        .put("creation_time", json.path("creation_time").asText()));
    pipeline.put("state", "RUNNING");
    event(update, "INFO", "create_update", "Update " + updateId.substring(0, 6) + " started by API_CALL.", null);
    ctx.json(FakeWorkspace.object().put("update_id", updateId));
  }

  private void advance(Update update) {
    String state = update.json().path("state").asText();
    if (List.of("COMPLETED", "FAILED", "CANCELED").contains(state)) {
      return;
    }
    int read = update.reads().incrementAndGet();
    if (read == 1) {
      setState(update, "RUNNING");
    } else if (update.fails()) {
      event(update, "ERROR", "flow_progress", "Flow 'orders_clean' has FAILED.",
          "org.apache.spark.sql.AnalysisException:[TABLE_OR_VIEW_NOT_FOUND] The table or view `raw_orders` cannot be found.");
      event(update, "ERROR", "update_progress", "Update " + update.json().path("update_id").asText().substring(0, 6) + " is FAILED.",
          "org.apache.spark.sql.AnalysisException:[TABLE_OR_VIEW_NOT_FOUND] The table or view `raw_orders` cannot be found.");
      setState(update, "FAILED");
    } else {
      event(update, "INFO", "update_progress", "Update " + update.json().path("update_id").asText().substring(0, 6) + " is COMPLETED.", null);
      setState(update, "COMPLETED");
    }
  }

  private void setState(Update update, String state) {
    update.json().put("state", state);
    ObjectNode pipeline = pipelines.get(update.pipelineId());
    if (pipeline == null) {
      return;
    }
    for (JsonNode latest : pipeline.path("latest_updates")) {
      if (latest.path("update_id").asText().equals(update.json().path("update_id").asText())) {
        ((ObjectNode) latest).put("state", state);
      }
    }
    if (!state.equals("RUNNING")) {
      pipeline.put("state", state.equals("FAILED") ? "FAILED" : "IDLE");
    }
  }

  private void event(Update update, String level, String type, String message, String exception) {
    ObjectNode event = FakeWorkspace.object().put("id", UUID.randomUUID().toString()).put("event_type", type)
        .put("level", level).put("message", message).put("timestamp", Instant.now().toString());
    event.putObject("origin").put("pipeline_id", update.pipelineId()).put("update_id", update.json().path("update_id").asText())
        .put("flow_name", type.equals("flow_progress") ? "orders_clean" : null);
    if (exception != null) {
      int colon = exception.indexOf(':');
      ObjectNode error = event.putObject("error").put("fatal", true);
      error.putArray("exceptions").addObject().put("class_name", exception.substring(0, colon)).put("message", exception.substring(colon + 1));
    }
    events.computeIfAbsent(update.pipelineId(), k -> new CopyOnWriteArrayList<>()).add(event);
  }
}
