package dev.mason.databricks;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mason.agent.tool.InputSchema;
import dev.mason.agent.tool.ToolFailure;
import dev.mason.web.Json;
import java.util.Map;

/**
 * delete_tracked_resource: forgets a tracked resource, and on request deletes it from the
 * workspace first. A resource that is already gone from the workspace is simply forgotten.
 */
final class DeleteTrackedResourceTool extends DatabricksTool {
  DeleteTrackedResourceTool(ToolRuntime runtime) {
    super(runtime, "delete_tracked_resource",
        "Removes a resource from the project's tracked resources (see list_tracked_resources). With "
            + "delete_from_databricks=true it is first DESTROYED in the workspace: a job, a pipeline, a cluster (permanently), "
            + "a catalog, schema or volume (with everything in it), or any other tracked type with what it holds. Without it "
            + "the resource stays in the workspace.",
        InputSchema.object()
            .choice("type", "The resource's type.", ListTrackedResourcesTool.TYPES)
            .string("id", "The resource's id as listed (job id, pipeline id, cluster id, or full name).")
            .bool("delete_from_databricks", "Also delete it from the workspace (default false).")
            .required("type", "id"));
  }

  @Override
  String run(ToolCall call) {
    String type = call.args().choice("type", ListTrackedResourcesTool.TYPES, null);
    String id = call.args().string("id");
    boolean tracked = runtime.manifest().list(call.context().projectFolder(), type).stream().anyMatch(r -> r.id().equals(id));
    if (!tracked) {
      throw new ToolFailure("no tracked " + type + " with id " + id + "; see list_tracked_resources");
    }
    boolean deleteRemote = call.args().optBool("delete_from_databricks", false);
    String remote = "kept in the workspace";
    if (deleteRemote) {
      try {
        deleteFromWorkspace(call, type, id);
        remote = "deleted from the workspace";
      } catch (WorkspaceException e) {
        if (!e.notFound()) {
          throw e;
        }
        remote = "already gone from the workspace";
      }
    }
    runtime.manifest().remove(call.context().projectFolder(), type, id);
    ObjectNode out = Json.MAPPER.createObjectNode().put("type", type).put("id", id).put("untracked", true).put("workspace", remote);
    return out.toString();
  }

  private static void deleteFromWorkspace(ToolCall call, String type, String id) {
    String uc = "/api/2.1/unity-catalog/";
    switch (type) {
      case "job" -> {
        if (!id.matches("\\d+")) {
          throw new ToolFailure("the tracked job id " + id + " is not a number; delete the job with manage_jobs instead");
        }
        call.api().post("/api/2.2/jobs/delete", Json.MAPPER.createObjectNode().put("job_id", Long.parseLong(id)));
      }
      case "pipeline" -> call.api().delete("/api/2.0/pipelines/" + WorkspaceApi.encodePath(id), Map.of());
      case "cluster" -> call.api().post("/api/2.1/clusters/permanent-delete", Json.MAPPER.createObjectNode().put("cluster_id", id));
      case "catalog" -> call.api().delete(uc + "catalogs/" + WorkspaceApi.encodePath(id), Map.of("force", "true"));
      case "schema" -> call.api().delete(uc + "schemas/" + WorkspaceApi.encodePath(id), Map.of("force", "true"));
      case "volume" -> call.api().delete(uc + "volumes/" + WorkspaceApi.encodePath(id), Map.of());
      case "storage_credential" -> call.api().delete(uc + "storage-credentials/" + WorkspaceApi.encodePath(id), Map.of("force", "true"));
      case "external_location" -> call.api().delete(uc + "external-locations/" + WorkspaceApi.encodePath(id), Map.of("force", "true"));
      case "connection", "share", "recipient", "provider" -> call.api().delete(uc + type + "s/" + WorkspaceApi.encodePath(id), Map.of());
      case "monitor" -> call.api().delete(uc + "tables/" + WorkspaceApi.encodePath(id) + "/monitor", Map.of());
      case "metric_view" -> call.api().delete(uc + "tables/" + WorkspaceApi.encodePath(id), Map.of());
      case "warehouse" -> call.api().delete("/api/2.0/sql/warehouses/" + WorkspaceApi.encodePath(id), Map.of());
      case "dashboard" -> call.api().delete("/api/2.0/lakeview/dashboards/" + WorkspaceApi.encodePath(id), Map.of());
      case "genie_space" -> call.api().delete("/api/2.0/genie/spaces/" + WorkspaceApi.encodePath(id), Map.of());
      case "vs_endpoint" -> call.api().delete("/api/2.0/vector-search/endpoints/" + WorkspaceApi.encodePath(id), Map.of());
      case "vs_index" -> call.api().delete(ManageVsIndexTool.item(id), Map.of());
      case "lakebase_instance" -> call.api().delete(ManageLakebaseDatabaseTool.INSTANCES + "/" + WorkspaceApi.encodePath(id), Map.of("purge", "true"));
      // Postgres API resources are tracked by their full names, e.g. projects/p/branches/b.
      case "lakebase_project", "lakebase_branch" -> call.api().delete("/api/2.0/postgres/" + WorkspaceApi.encodePath(id), Map.of());
      case "synced_table" -> call.api().delete("/api/2.0/database/synced_tables/" + WorkspaceApi.encodePath(id), Map.of());
      case "app" -> call.api().delete("/api/2.0/apps/" + WorkspaceApi.encodePath(id), Map.of());
      // Agent Bricks resources are tracked by their full names, e.g. knowledge-assistants/<id>.
      default -> call.api().delete("/api/2.1/" + WorkspaceApi.encodePath(id), Map.of());
    }
  }
}
