package dev.mason.databricks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mason.agent.tool.InputSchema;
import dev.mason.agent.tool.ToolFailure;
import dev.mason.web.Json;
import java.util.List;
import java.util.Map;

/** manage_serving_endpoint: model serving endpoints: which there are, their state, and asking one. */
final class ManageServingEndpointTool extends ActionTool {
  private static final List<String> ACTIONS = List.of("list", "get", "query");
  private static final int MAX_RESPONSE_CHARS = 20_000;

  ManageServingEndpointTool(ToolRuntime runtime) {
    super(runtime, ACTIONS, "manage_serving_endpoint",
        "Model serving endpoints. list: names, readiness and what each serves. get: one endpoint's state and configuration. "
            + "query: send a request to an endpoint: messages for chat models ([{\"role\": \"user\", \"content\": \"...\"}]), "
            + "inputs or dataframe_records for other models; the endpoint's JSON answer is returned.",
        InputSchema.object()
            .action("list, get or query.", ACTIONS)
            .string("name", "The endpoint, for get and query.")
            .objects("messages", "For query of a chat model: the conversation.")
            .freeObject("request", "For query: the whole request body, for models that take inputs, dataframe_records or "
                + "other fields.")
            .integer("max_tokens", "For query of a chat model: most tokens to generate.")
            .integer("max_results", "For list: most endpoints (default 100)."));
  }

  @Override
  String run(ToolCall call, Args args, String action) {
    return switch (action) {
      case "list" -> {
        ArrayNode endpoints = Json.MAPPER.createArrayNode();
        int limit = args.optInt("max_results", 100, 1, 1000);
        for (JsonNode endpoint : call.api().collect("/api/2.0/serving-endpoints", Map.of(), "endpoints", limit)) {
          endpoints.add(summary(endpoint));
        }
        yield Json.MAPPER.createObjectNode().put("count", endpoints.size()).set("endpoints", endpoints).toString();
      }
      case "get" -> {
        JsonNode endpoint = call.api().get("/api/2.0/serving-endpoints/" + WorkspaceApi.encodePath(args.string("name", action)));
        ObjectNode out = summary(endpoint);
        out.set("config", endpoint.path("config"));
        yield out.toString();
      }
      default -> query(call, args);
    };
  }

  private static String query(ToolCall call, Args args) {
    String name = args.string("name", "query");
    ObjectNode body = args.optObject("request");
    body = body == null ? Json.MAPPER.createObjectNode() : body;
    if (args.has("messages")) {
      body.set("messages", args.optArray("messages"));
    }
    if (args.has("max_tokens")) {
      body.put("max_tokens", args.optInt("max_tokens", 1000, 1, 100_000));
    }
    if (body.isEmpty()) {
      throw new ToolFailure("query needs messages or request");
    }
    String response = call.api().post("/serving-endpoints/" + WorkspaceApi.encodePath(name) + "/invocations", body).toString();
    return response.length() <= MAX_RESPONSE_CHARS ? response
        : response.substring(0, MAX_RESPONSE_CHARS) + "… [response cut at " + MAX_RESPONSE_CHARS + " characters]";
  }

  private static ObjectNode summary(JsonNode endpoint) {
    ObjectNode out = Json.MAPPER.createObjectNode().put("name", endpoint.path("name").asText())
        .put("ready", endpoint.path("state").path("ready").asText(null))
        .put("config_update", endpoint.path("state").path("config_update").asText(null))
        .put("task", endpoint.path("task").asText(null))
        .put("creator", endpoint.path("creator").asText(null));
    ArrayNode served = out.putArray("serves");
    for (JsonNode entity : endpoint.path("config").path("served_entities")) {
      served.add(entity.path("entity_name").asText(entity.path("foundation_model").path("name").asText(entity.path("name").asText())));
    }
    return out;
  }
}
