package dev.mason.agent;

import dev.mason.project.ConversationSettings;
import dev.mason.web.ApiError;
import dev.mason.web.Json;
import dev.mason.web.Requests;
import dev.mason.web.Routes;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
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
      var started = executions.invoke(Requests.caller(ctx), Json.read(ctx.body(), InvokeRequest.class));
      ctx.status(202).json(Map.of("execution_id", started.executionId(), "conversation_id", started.conversationId()));
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
    routes.get("/api/projects/{pid}/conversations/{cid}/executions", ctx -> ctx.json(executions.list(Requests.caller(ctx),
        Requests.uuidParam(ctx, "pid", "project"), Requests.uuidParam(ctx, "cid", "conversation"))));
  }

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
    int after = cursor(ctx);
    ctx.status(200);
    ctx.res().setContentType("text/event-stream;charset=utf-8");
    ctx.res().setHeader("Cache-Control", "no-cache");
    ctx.res().setHeader("X-Accel-Buffering", "no");
    OutputStream out = ctx.res().getOutputStream();
    out.write(": stream of execution ".concat(id.toString()).concat("\n\n").getBytes(StandardCharsets.UTF_8));
    out.flush();
    executions.follow(caller, id, after, new ExecutionService.EventSink() {
      @Override
      public boolean send(AgentEvent event) {
        return write(out, "id: " + event.seq() + "\nevent: " + event.type() + "\ndata: " + Json.write(event.data()) + "\n\n", false);
      }

      @Override
      public boolean flush() {
        return write(out, "", true);
      }

      @Override
      public boolean keepalive() {
        return write(out, ": keepalive\n\n", true);
      }
    });
  }

  /** False when the client has gone. */
  private static boolean write(OutputStream out, String frame, boolean flush) {
    try {
      out.write(frame.getBytes(StandardCharsets.UTF_8));
      if (flush) {
        out.flush();
      }
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  /** The last seq the client has: {@code Last-Event-ID}, else {@code ?after=}, else 0. */
  private static int cursor(Context ctx) {
    String value = ctx.header("Last-Event-ID");
    String field = "Last-Event-ID";
    if (value == null || value.isBlank()) {
      value = ctx.queryParam("after");
      field = "after";
    }
    if (value == null || value.isBlank()) {
      return 0;
    }
    try {
      int seq = Integer.parseInt(value.trim());
      if (seq < 0) {
        throw ApiError.badRequest(field, field + " must not be negative");
      }
      return seq;
    } catch (NumberFormatException e) {
      throw ApiError.badRequest(field, field + " must be a whole number (an event seq)");
    }
  }

  private static UUID executionId(Context ctx) {
    return Requests.uuidParam(ctx, "id", "execution");
  }
}
