package dev.mason.databricks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mason.agent.tool.InputSchema;
import dev.mason.web.Json;
import java.util.List;
import java.util.Map;

/** manage_vs_endpoint: Mosaic AI Vector Search endpoints, the compute that serves indexes. */
final class ManageVsEndpointTool extends ActionTool {
  private static final List<String> ACTIONS = List.of("create", "get", "list", "delete");
  private static final RestCollection ENDPOINTS = new RestCollection("/api/2.0/vector-search/endpoints", "endpoints", "vs_endpoint");

  ManageVsEndpointTool(ToolRuntime runtime) {
    super(runtime, ACTIONS, "manage_vs_endpoint",
        "Vector Search endpoints, as the user. create: an endpoint named name (endpoint_type STANDARD, the default, or "
            + "STORAGE_OPTIMIZED for large indexes); if it exists it is returned, not made again; it takes a few minutes to "
            + "come ONLINE (check with get); recorded in the project's resources. get: state and index count. list: every "
            + "endpoint. delete: DESTROYS the endpoint and every index on it. Endpoints cost money while they exist.",
        InputSchema.object()
            .action("create, get, list or delete.", ACTIONS)
            .string("name", "The endpoint (all actions but list).")
            .choice("endpoint_type", "For create: STANDARD (default) or STORAGE_OPTIMIZED.", List.of("STANDARD", "STORAGE_OPTIMIZED")));
  }

  @Override
  String run(ToolCall call, Args args, String action) {
    return switch (action) {
      case "create" -> {
        String name = args.string("name", action);
        try {
          JsonNode existing = ENDPOINTS.get(call, name);
          yield brief(existing).put("created", false).put("message", "An endpoint named '" + name + "' already exists.").toString();
        } catch (WorkspaceException e) {
          if (!e.notFound()) {
            throw e;
          }
        }
        ObjectNode body = Json.MAPPER.createObjectNode().put("name", name)
            .put("endpoint_type", args.choice("endpoint_type", List.of("STANDARD", "STORAGE_OPTIMIZED"), "STANDARD"));
        JsonNode created = ENDPOINTS.create(call, name, body, call.link("/compute/vector-search/" + name));
        yield brief(created).put("created", true)
            .put("message", "Endpoint provisioning; it takes a few minutes to come ONLINE. Check with action=get.").toString();
      }
      case "get" -> brief(ENDPOINTS.get(call, args.string("name", action))).toString();
      case "list" -> ENDPOINTS.list(call, Map.of(), 1000, "name", "endpoint_type", "endpoint_status", "num_indexes", "creator").toString();
      default -> ENDPOINTS.delete(call, args.string("name", action), Map.of()).toString();
    };
  }

  private static ObjectNode brief(JsonNode endpoint) {
    return Json.MAPPER.createObjectNode().put("name", endpoint.path("name").asText())
        .put("endpoint_type", endpoint.path("endpoint_type").asText(null))
        .put("state", endpoint.path("endpoint_status").path("state").asText(null))
        .put("message", endpoint.path("endpoint_status").path("message").asText(null))
        .put("num_indexes", endpoint.path("num_indexes").asInt(0)).put("creator", endpoint.path("creator").asText(null));
  }
}
