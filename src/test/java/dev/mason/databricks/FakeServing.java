package dev.mason.databricks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.util.Map;
import java.util.concurrent.ConcurrentSkipListMap;

/**
 * Model serving: endpoints as the list and get APIs show them, and invocations: a chat model
 * answers "echo: " and the last user message; other models answer one prediction per input.
 */
final class FakeServing {
  private final FakeWorkspace fake;
  private final Map<String, ObjectNode> endpoints = new ConcurrentSkipListMap<>();

  FakeServing(FakeWorkspace fake) {
    this.fake = fake;
  }

  void addEndpoint(String name, String task, String entity) {
    ObjectNode endpoint = FakeWorkspace.object().put("name", name).put("task", task).put("creator", "admin@example.com")
        .put("creation_timestamp", 1_700_000_000_000L);
    endpoint.putObject("state").put("ready", "READY").put("config_update", "NOT_UPDATING");
    endpoint.putObject("config").putArray("served_entities").addObject().put("name", entity).put("entity_name", entity);
    endpoints.put(name, endpoint);
  }

  void addTo(RoutesConfig routes) {
    routes.get("/api/2.0/serving-endpoints", ctx -> {
      ObjectNode body = FakeWorkspace.object();
      body.putArray("endpoints").addAll(endpoints.values());
      ctx.json(body);
    });
    routes.get("/api/2.0/serving-endpoints/{name}", ctx -> ctx.json(endpoint(ctx.pathParam("name"))));
    routes.post("/serving-endpoints/{name}/invocations", this::invoke);
  }

  private ObjectNode endpoint(String name) {
    ObjectNode endpoint = endpoints.get(name);
    if (endpoint == null) {
      throw FakeError.notFound("Endpoint with name '" + name + "' does not exist.");
    }
    return endpoint;
  }

  private void invoke(Context ctx) {
    ObjectNode endpoint = endpoint(ctx.pathParam("name"));
    ObjectNode request = FakeWorkspace.body(ctx);
    if (endpoint.path("task").asText().startsWith("llm/v1/chat")) {
      if (!request.has("messages")) {
        throw new FakeError(400, "BAD_REQUEST", "Missing required field: messages");
      }
      JsonNode last = request.path("messages").get(request.path("messages").size() - 1);
      ObjectNode body = FakeWorkspace.object().put("id", "chatcmpl-1").put("object", "chat.completion").put("model", ctx.pathParam("name"));
      body.putArray("choices").addObject().put("index", 0).put("finish_reason", "stop")
          .putObject("message").put("role", "assistant").put("content", "echo: " + last.path("content").asText());
      body.putObject("usage").put("prompt_tokens", 5).put("completion_tokens", 3).put("total_tokens", 8);
      ctx.json(body);
      return;
    }
    ObjectNode body = FakeWorkspace.object();
    var predictions = body.putArray("predictions");
    JsonNode inputs = request.has("inputs") ? request.get("inputs") : request.path("dataframe_records");
    inputs.forEach(input -> predictions.add(0.5));
    ctx.json(body);
  }
}
