package dev.mason.databricks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mason.agent.tool.InputSchema;
import dev.mason.agent.tool.ToolFailure;
import dev.mason.web.Json;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * manage_sql_warehouse: create, modify and delete SQL warehouses (the SQL Warehouses API).
 * Creation is serverless and small unless asked otherwise, and idempotent by name. Edit replaces
 * the whole definition, so modify sends the current one with the changes.
 */
final class ManageSqlWarehouseTool extends ActionTool {
  private static final List<String> ACTIONS = List.of("create", "modify", "delete");
  private static final String API = "/api/2.0/sql/warehouses";
  private static final List<String> SIZES = List.of("2X-Small", "X-Small", "Small", "Medium", "Large", "X-Large", "2X-Large",
      "3X-Large", "4X-Large");
  /** The fields of a warehouse that edit takes (EditWarehouseRequest); the rest of a GET is state. */
  private static final Set<String> EDITABLE = Set.of("name", "cluster_size", "auto_stop_mins", "min_num_clusters",
      "max_num_clusters", "enable_photon", "enable_serverless_compute", "warehouse_type", "spot_instance_policy", "channel",
      "tags", "instance_profile_arn", "creator_name");

  ManageSqlWarehouseTool(ToolRuntime runtime) {
    super(runtime, ACTIONS, "manage_sql_warehouse",
        "Creates, modifies or deletes a SQL warehouse as the user (to pick or list warehouses, use manage_warehouse). "
            + "create: a serverless PRO warehouse (defaults: 2X-Small, 1 cluster, stops after 10 idle minutes); if one of "
            + "that name exists it is returned, not duplicated; it is recorded in the project's resources. modify: change "
            + "size, scaling, auto-stop or name (a running warehouse may restart). delete: DESTROYS the warehouse "
            + "permanently; queries using it fail. Warehouses cost money while running: create and delete only when asked.",
        InputSchema.object()
            .action("create, modify or delete.", ACTIONS)
            .string("warehouse_id", "The warehouse, for modify and delete.")
            .string("name", "Name: create (required) and modify.")
            .choice("cluster_size", "Size (default 2X-Small for create).", SIZES)
            .integer("auto_stop_mins", "Idle minutes before it stops (default 10; 0 never, serverless at least 5).")
            .integer("min_num_clusters", "Fewest clusters (default 1).")
            .integer("max_num_clusters", "Most clusters for concurrency (default 1).")
            .bool("enable_serverless_compute", "Serverless (default true).")
            .choice("warehouse_type", "PRO (default) or CLASSIC; serverless needs PRO.", List.of("PRO", "CLASSIC"))
            .freeObject("settings", "Other fields of the SQL Warehouses API, e.g. {\"enable_photon\": true, \"spot_instance_policy\": "
                + "\"COST_OPTIMIZED\", \"channel\": {\"name\": \"CHANNEL_NAME_PREVIEW\"}}."));
  }

  @Override
  String run(ToolCall call, Args args, String action) {
    return switch (action) {
      case "create" -> create(call, args);
      case "modify" -> modify(call, args);
      default -> {
        String id = args.string("warehouse_id", action);
        call.api().delete(API + "/" + WorkspaceApi.encodePath(id), Map.of());
        call.untrack("warehouse", id);
        yield Json.MAPPER.createObjectNode().put("warehouse_id", id).put("deleted", true).toString();
      }
    };
  }

  private static String create(ToolCall call, Args args) {
    String name = args.string("name", "create");
    for (JsonNode existing : call.api().get(API).path("warehouses")) {
      if (existing.path("name").asText().equals(name)) {
        String id = existing.path("id").asText();
        return Json.MAPPER.createObjectNode().put("warehouse_id", id).put("created", false).put("state", existing.path("state").asText())
            .put("url", call.link("/sql/warehouses/" + id))
            .put("message", "A warehouse named '" + name + "' already exists; it was not created again. Use action=modify to change it.")
            .toString();
      }
    }
    ObjectNode body = Json.MAPPER.createObjectNode().put("name", name).put("cluster_size", "2X-Small").put("min_num_clusters", 1)
        .put("max_num_clusters", 1).put("auto_stop_mins", 10).put("enable_serverless_compute", true).put("warehouse_type", "PRO");
    apply(args, body);
    ObjectNode tags = body.has("tags") ? (ObjectNode) body.get("tags") : body.putObject("tags");
    if (!tags.has("custom_tags")) {
      tags.putArray("custom_tags");
    }
    tags.withArray("custom_tags").addObject().put("key", "created_by").put("value", "mason");
    String id = call.api().post(API, body).path("id").asText();
    String url = call.link("/sql/warehouses/" + id);
    call.track("warehouse", id, name, url);
    return Json.MAPPER.createObjectNode().put("warehouse_id", id).put("created", true).put("url", url)
        .put("message", "Warehouse created and starting; it is recorded in the project's resources.").toString();
  }

  private static String modify(ToolCall call, Args args) {
    String id = args.string("warehouse_id", "modify");
    JsonNode current = call.api().get(API + "/" + WorkspaceApi.encodePath(id));
    ObjectNode body = Json.MAPPER.createObjectNode();
    current.properties().forEach(e -> {
      if (EDITABLE.contains(e.getKey())) {
        body.set(e.getKey(), e.getValue());
      }
    });
    ObjectNode changes = apply(args, Json.MAPPER.createObjectNode());
    if (changes.isEmpty()) {
      throw new ToolFailure("modify needs at least one of name, cluster_size, auto_stop_mins, min_num_clusters, max_num_clusters, "
          + "enable_serverless_compute, warehouse_type or settings");
    }
    body.setAll(changes);
    call.api().post(API + "/" + WorkspaceApi.encodePath(id) + "/edit", body);
    return Json.MAPPER.createObjectNode().put("warehouse_id", id).put("modified", true)
        .put("state", current.path("state").asText()).toString();
  }

  private static ObjectNode apply(Args args, ObjectNode body) {
    args.copyInto(body, "name", "cluster_size", "auto_stop_mins", "min_num_clusters", "max_num_clusters",
        "enable_serverless_compute", "warehouse_type");
    if (args.has("cluster_size")) {
      body.put("cluster_size", args.choice("cluster_size", SIZES, null));
    }
    ObjectNode settings = args.optObject("settings");
    if (settings != null) {
      body.setAll(settings);
    }
    return body;
  }
}
