package dev.mason.agent;

import dev.mason.agent.event.EventJson;
import dev.mason.agent.event.LoggedEvent;
import dev.mason.project.ConversationSettings;
import dev.mason.web.ApiError;
import dev.mason.web.Json;
import dev.mason.web.Requests;
import dev.mason.web.Routes;
import dev.mason.web.SseStream;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Agent runs over HTTP: start one, follow its events as server-sent events (resumable from any
 * seq), stop it, list a conversation's runs.
 */
public final class ExecutionRoutes implements Routes {
  private final ExecutionService executions;

  public ExecutionRoutes(ExecutionService executions) {
    this.executions = executions;
  }

  @Override
  public void addTo(RoutesConfig routes) {
    routes.post("/api/invoke_agent", ctx -> {
      ctx.status(202).json(executions.invoke(Requests.caller(ctx), Json.read(ctx.body(), InvokeRequest.class)));
    });
    routes.get("/api/system_prompt", this::systemPrompt);
    routes.get("/api/config/system_prompt", this::systemPrompt);
    routes.get("/api/executions/{id}/events", this::events);
    routes.post("/api/stream_progress/{id}", this::events);
    routes.get("/api/executions/{id}", ctx -> {
      Execution execution = executions.find(Requests.caller(ctx), executionId(ctx));
      var body = Json.MAPPER.<com.fasterxml.jackson.databind.node.ObjectNode>valueToTree(execution);
      executions.traceUrl(execution.id()).ifPresent(url -> body.put("trace_url", url));
      ctx.json(body);
    });
    routes.post("/api/stop_stream/{id}", ctx -> {
      boolean stopped = executions.stop(Requests.caller(ctx), executionId(ctx));
      ctx.json(Map.of("success", stopped, "message", stopped ? "stop requested" : "the execution is not running"));
    });
    routes.get("/api/runtimes", ctx -> ctx.json(Map.of("runtimes", executions.runtimes())));
    routes.get("/api/projects/{pid}/running", ctx -> ctx.json(new RunningConversations(
        executions.runningConversations(Requests.caller(ctx), Requests.uuidParam(ctx, "pid", "project")))));
    routes.get("/api/projects/{pid}/conversations/{cid}/executions", ctx -> ctx.json(executions.list(Requests.caller(ctx),
        Requests.uuidParam(ctx, "pid", "project"), Requests.uuidParam(ctx, "cid", "conversation"))));
  }

  /** The conversations of a project with a run going now: what the chat page marks running when it opens. */
  public record RunningConversations(List<UUID> conversationIds) {}

  private void systemPrompt(Context ctx) {
    UUID project = queryId(ctx, "project_id");
    if (project == null) {
      throw ApiError.badRequest("project_id", "project_id is required");
    }
    var overrides = new ConversationSettings(ctx.queryParam("cluster_id"), ctx.queryParam("warehouse_id"),
        ctx.queryParam("default_catalog"), ctx.queryParam("default_schema"), ctx.queryParam("workspace_folder"), null, null);
    ctx.json(Map.of("system_prompt", executions.previewPrompt(Requests.caller(ctx), project, queryId(ctx, "conversation_id"), overrides)));
  }

  private static UUID queryId(Context ctx, String name) {
    String value = ctx.queryParam(name);
    if (value == null || value.isBlank()) {
      return null;
    }
    try {
      return UUID.fromString(value.trim());
    } catch (IllegalArgumentException e) {
      throw ApiError.badRequest(name, name + " is not a valid id");
    }
  }

  private void events(Context ctx) throws IOException, InterruptedException {
    UUID id = executionId(ctx);
    var caller = Requests.caller(ctx);
    executions.find(caller, id);
    long cursor = SseStream.cursor(ctx, Integer.MAX_VALUE);
    SseStream stream = SseStream.open(ctx, "stream of execution " + id);
    executions.follow(caller, id, (int) Math.max(cursor, 0), new ExecutionService.EventSink() {
      @Override
      public boolean send(LoggedEvent event) {
        return stream.send(Integer.toString(event.seq()), event.type(), Json.write(EventJson.write(event.event())));
      }

      @Override
      public boolean flush() {
        return stream.flush();
      }

      @Override
      public boolean keepalive() {
        return stream.keepalive();
      }
    });
  }

  private static UUID executionId(Context ctx) {
    return Requests.uuidParam(ctx, "id", "execution");
  }
}
