package dev.mason.databricks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mason.agent.tool.InputSchema;
import dev.mason.agent.tool.ToolFailure;
import dev.mason.web.Json;
import java.util.List;
import java.util.Map;

/**
 * manage_lakebase_sync: synced tables, which copy a Unity Catalog table into a provisioned
 * Lakebase instance's PostgreSQL (reverse ETL, run by a managed pipeline) so applications read it
 * with low latency.
 */
final class ManageLakebaseSyncTool extends ActionTool {
  private static final List<String> ACTIONS = List.of("create", "get", "delete");
  private static final List<String> POLICIES = List.of("SNAPSHOT", "TRIGGERED", "CONTINUOUS");
  private static final String API = "/api/2.0/database/synced_tables";

  ManageLakebaseSyncTool(ToolRuntime runtime) {
    super(runtime, ACTIONS, "manage_lakebase_sync",
        "Synced tables: a Unity Catalog table copied into a provisioned Lakebase instance, as the user. create: synced table "
            + "name (catalog.schema.table, where it is registered in Unity Catalog) from source_table on instance_name, "
            + "into database database_name (default databricks_postgres), keyed by primary_key_columns; scheduling_policy "
            + "SNAPSHOT (default, one full copy per sync), TRIGGERED (incremental; the source needs Change Data Feed) or "
            + "CONTINUOUS; recorded in the project's resources. get: its sync status. delete: DESTROYS the synced table "
            + "in Unity Catalog and stops its pipeline (drop the PostgreSQL table yourself if it should go too).",
        InputSchema.object()
            .action("create, get or delete.", ACTIONS)
            .string("name", "The synced table, catalog.schema.table.")
            .string("source_table", "For create: the Unity Catalog table to copy, catalog.schema.table.")
            .string("instance_name", "For create: the provisioned Lakebase instance.")
            .string("database_name", "For create: the PostgreSQL database (default databricks_postgres).")
            .strings("primary_key_columns", "For create: the primary key of the copy.")
            .choice("scheduling_policy", "For create: SNAPSHOT (default), TRIGGERED or CONTINUOUS.", POLICIES)
            .required("name"));
  }

  @Override
  String run(ToolCall call, Args args, String action) {
    String name = args.string("name");
    SqlNames.qualified(name, 3, "name");
    return switch (action) {
      case "create" -> {
        List<String> keys = args.strings("primary_key_columns");
        if (keys.isEmpty()) {
          throw new ToolFailure("primary_key_columns is required for action create");
        }
        ObjectNode body = Json.MAPPER.createObjectNode().put("name", name)
            .put("database_instance_name", args.string("instance_name", action))
            .put("logical_database_name", args.optString("database_name", "databricks_postgres"));
        ObjectNode spec = body.putObject("spec").put("source_table_full_name", args.string("source_table", action))
            .put("scheduling_policy", args.choice("scheduling_policy", POLICIES, "SNAPSHOT"))
            .put("create_database_objects_if_missing", true);
        keys.forEach(spec.putArray("primary_key_columns")::add);
        JsonNode created = call.api().post(API, body);
        call.track("synced_table", name, name, call.link("/explore/data/" + name.replace('.', '/')));
        yield brief(created).put("created", true).toString();
      }
      case "get" -> brief(call.api().get(API + "/" + WorkspaceApi.encodePath(name))).toString();
      default -> {
        call.api().delete(API + "/" + WorkspaceApi.encodePath(name), Map.of());
        call.untrack("synced_table", name);
        yield Json.MAPPER.createObjectNode().put("deleted", name).toString();
      }
    };
  }

  private static ObjectNode brief(JsonNode table) {
    ObjectNode out = Json.MAPPER.createObjectNode().put("name", table.path("name").asText())
        .put("instance_name", table.path("database_instance_name").asText(null))
        .put("database_name", table.path("logical_database_name").asText(null))
        .put("source_table", table.path("spec").path("source_table_full_name").asText(null))
        .put("scheduling_policy", table.path("spec").path("scheduling_policy").asText(null));
    JsonNode status = table.path("data_synchronization_status");
    out.put("state", status.path("detailed_state").asText(null)).put("message", status.path("message").asText(null))
        .put("pipeline_id", status.path("pipeline_id").asText(null));
    return out;
  }
}
