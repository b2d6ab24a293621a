package dev.mason.databricks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mason.agent.tool.InputSchema;
import dev.mason.agent.tool.ToolFailure;
import dev.mason.web.Json;
import java.util.List;

/** manage_warehouse: the SQL warehouses the caller can use, and which one to pick. */
final class ManageWarehouseTool extends DatabricksTool {
  private static final List<String> ACTIONS = List.of("list", "get_best", "get");

  ManageWarehouseTool(ToolRuntime runtime) {
    super(runtime, "manage_warehouse",
        "Lists the SQL warehouses the user can see, or picks the best one: running shared warehouses first, then other "
            + "running ones, then starting, then stopped; the user's own first within each group. A stopped warehouse "
            + "starts by itself when a statement is sent to it (this takes a few minutes).",
        InputSchema.object()
            .action("list: all warehouses, best first. get_best: the one to use. get: one warehouse by id.", ACTIONS)
            .string("warehouse_id", "The warehouse, for get."), READ_ONLY, IN_BACKGROUND);
  }

  @Override
  String run(ToolCall call) {
    String action = call.args().choice("action", ACTIONS, null);
    return switch (action) {
      case "list" -> {
        ArrayNode list = Json.MAPPER.createArrayNode();
        WarehouseRanking.list(call).forEach(w -> list.add(summary(w)));
        yield Json.MAPPER.createObjectNode().put("count", list.size()).set("warehouses", list).toString();
      }
      case "get_best" -> {
        List<JsonNode> ranked = WarehouseRanking.list(call);
        if (ranked.isEmpty()) {
          throw new ToolFailure("no SQL warehouse is available to you; create one in the workspace (SQL > SQL Warehouses)");
        }
        yield summary(ranked.getFirst()).toString();
      }
      default -> {
        String id = call.args().string("warehouse_id", action);
        yield summary(call.api().get("/api/2.0/sql/warehouses/" + WorkspaceApi.encodePath(id))).toString();
      }
    };
  }

  static ObjectNode summary(JsonNode w) {
    return Json.MAPPER.createObjectNode()
        .put("warehouse_id", w.path("id").asText())
        .put("name", w.path("name").asText())
        .put("state", w.path("state").asText())
        .put("size", w.path("cluster_size").asText(null))
        .put("creator", w.path("creator_name").asText(null))
        .put("serverless", w.path("enable_serverless_compute").asBoolean(false))
        .put("shared", WarehouseRanking.shared(w));
  }
}
