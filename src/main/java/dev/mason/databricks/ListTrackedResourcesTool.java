package dev.mason.databricks;

import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.mason.agent.tool.InputSchema;
import dev.mason.web.Json;
import java.util.List;

/** list_tracked_resources: the workspace resources the agent created for this project. */
final class ListTrackedResourcesTool extends DatabricksTool {
  static final List<String> TYPES = List.of("job", "pipeline", "cluster", "catalog", "schema", "volume", "warehouse",
      "storage_credential", "external_location", "connection", "share", "recipient", "provider", "monitor", "metric_view",
      "dashboard", "genie_space", "vs_endpoint", "vs_index", "lakebase_instance", "lakebase_project", "lakebase_branch",
      "synced_table", "app", "knowledge_assistant", "supervisor_agent");

  ListTrackedResourcesTool(ToolRuntime runtime) {
    super(runtime, "list_tracked_resources",
        "Lists the workspace resources created for this project (jobs, pipelines, clusters, warehouses, Unity Catalog "
            + "objects, dashboards, Genie spaces, vector search endpoints and indexes, Lakebase databases, apps, agents) as recorded in the project's .mason/resources.json, with their ids and links.",
        InputSchema.object()
            .choice("type", "Only this type (default: all).", TYPES), READ_ONLY, IN_FOREGROUND);
  }

  @Override
  String run(ToolCall call) {
    String type = call.args().has("type") ? call.args().choice("type", TYPES, null) : null;
    ArrayNode list = Json.MAPPER.createArrayNode();
    runtime.manifest().list(call.context().projectFolder(), type).forEach(r -> list.add(Json.MAPPER.valueToTree(r)));
    return Json.MAPPER.createObjectNode().put("count", list.size()).set("resources", list).toString();
  }
}
