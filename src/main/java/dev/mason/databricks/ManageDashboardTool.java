package dev.mason.databricks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mason.agent.tool.InputSchema;
import dev.mason.agent.tool.ToolFailure;
import dev.mason.web.Json;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * manage_dashboard: AI/BI (Lakeview) dashboards. The API takes the dashboard's definition as a
 * JSON string in {@code serialized_dashboard} and refuses an object there, a trap models fall
 * into: the tool takes either and always sends the string. create_or_update finds the dashboard
 * by name in its folder, so repeating it updates instead of duplicating.
 */
final class ManageDashboardTool extends ActionTool {
  private static final List<String> ACTIONS = List.of("create_or_update", "get", "list", "delete", "publish", "unpublish");
  private static final String API = "/api/2.0/lakeview/dashboards";

  ManageDashboardTool(ToolRuntime runtime) {
    super(runtime, ACTIONS, "manage_dashboard",
        "AI/BI (Lakeview) dashboards, as the user. create_or_update: a dashboard named display_name in parent_path "
            + "(default the user's home folder) from serialized_dashboard, the dashboard JSON ({\"datasets\": [{\"name\", "
            + "\"displayName\", \"queryLines\": [\"SELECT ...\"]}], \"pages\": [{\"name\", \"displayName\", \"layout\": "
            + "[widgets]}]}) given as an object or a string; if one of that name is in the folder it is updated instead; "
            + "recorded in the project's resources. Test every dataset's SQL with execute_sql first. get: the definition. "
            + "list: dashboards. publish: make the current draft visible to viewers (embed_credentials true: viewers query "
            + "with the publisher's credentials). unpublish: withdraw the published version. delete: moves the dashboard to "
            + "the trash (it DESTROYS it after 30 days) and unpublishes it.",
        InputSchema.object()
            .action("create_or_update, get, list, delete, publish or unpublish.", ACTIONS)
            .string("dashboard_id", "The dashboard, for get, delete, publish and unpublish (or create_or_update of a known one).")
            .string("display_name", "For create_or_update: the dashboard's name.")
            .string("parent_path", "For create_or_update: workspace folder (default /Users/<you>).")
            .objectOrString("serialized_dashboard", "For create_or_update: the dashboard definition (datasets and pages), as a JSON "
                + "object or the same JSON in a string.")
            .string("warehouse_id", "For create_or_update and publish: the warehouse its queries run on (default: the best available).")
            .bool("embed_credentials", "For publish: viewers use the publisher's credentials (default true).")
            .integer("limit", "For list: most dashboards (default 50, at most 1000)."));
  }

  @Override
  String run(ToolCall call, Args args, String action) {
    return switch (action) {
      case "create_or_update" -> save(call, args);
      case "get" -> {
        JsonNode dashboard = call.api().get(item(args.string("dashboard_id", action)));
        yield brief(call, dashboard).put("serialized_dashboard", dashboard.path("serialized_dashboard").asText(null)).toString();
      }
      case "list" -> {
        int limit = args.optInt("limit", 50, 1, 1000);
        ArrayNode list = Json.MAPPER.createArrayNode();
        call.api().collect(API, Map.of("page_size", Math.min(limit, 100)), "dashboards", limit).forEach(d -> list.add(brief(call, d)));
        yield Json.MAPPER.createObjectNode().put("count", list.size()).set("dashboards", list).toString();
      }
      case "publish" -> {
        String id = args.string("dashboard_id", action);
        ObjectNode body = Json.MAPPER.createObjectNode().put("embed_credentials", args.optBool("embed_credentials", true))
            .put("warehouse_id", args.has("warehouse_id") ? args.string("warehouse_id") : WarehouseRanking.bestId(call));
        JsonNode published = call.api().post(item(id) + "/published", body);
        ObjectNode out = Json.MAPPER.createObjectNode().put("dashboard_id", id).put("published", true)
            .put("url", call.link("/dashboardsv3/" + id + "/published"));
        out.set("publication", published);
        yield out.toString();
      }
      case "unpublish" -> {
        String id = args.string("dashboard_id", action);
        call.api().delete(item(id) + "/published", Map.of());
        yield Json.MAPPER.createObjectNode().put("dashboard_id", id).put("published", false).toString();
      }
      default -> {
        String id = args.string("dashboard_id", action);
        call.api().delete(item(id), Map.of());
        call.untrack("dashboard", id);
        yield Json.MAPPER.createObjectNode().put("dashboard_id", id).put("trashed", true)
            .put("message", "The dashboard is in the trash; it can be restored from there for 30 days.").toString();
      }
    };
  }

  private static String save(ToolCall call, Args args) {
    ObjectNode definition = args.optObject("serialized_dashboard");
    if (definition == null) {
      throw new ToolFailure("serialized_dashboard is required for action create_or_update: the dashboard JSON with datasets and pages");
    }
    if (!definition.has("pages")) {
      throw new ToolFailure("serialized_dashboard has no pages: a dashboard needs {\"datasets\": [...], \"pages\": [...]}");
    }
    Optional<String> existing = args.has("dashboard_id") ? Optional.of(args.string("dashboard_id")) : Optional.empty();
    String name = existing.isPresent() ? args.optString("display_name", null) : args.string("display_name", "create_or_update");
    String parent = args.optString("parent_path", "/Users/" + CurrentUser.name(call));
    parent = parent.startsWith("/Workspace/") ? parent.substring("/Workspace".length()) : parent;
    if (existing.isEmpty()) {
      String path = parent + "/" + name + ".lvdash.json";
      existing = call.api().collect(API, Map.of("page_size", 100), "dashboards", 10_000).stream()
          .filter(d -> path.equals(d.path("path").asText()) || ("/Workspace" + path).equals(d.path("path").asText()))
          .map(d -> d.path("dashboard_id").asText()).findFirst();
    }
    // The API's field is a string holding the JSON; an object there is refused.
    ObjectNode body = Json.MAPPER.createObjectNode().put("serialized_dashboard", definition.toString())
        .put("warehouse_id", args.has("warehouse_id") ? args.string("warehouse_id") : WarehouseRanking.bestId(call));
    if (name != null) {
      body.put("display_name", name);
    }
    JsonNode saved;
    if (existing.isPresent()) {
      saved = call.api().patch(item(existing.get()), body);
    } else {
      body.put("parent_path", parent);
      saved = call.api().post(API, body);
      String id = saved.path("dashboard_id").asText();
      call.track("dashboard", id, name, call.link("/dashboardsv3/" + id));
    }
    return brief(call, saved).put("created", existing.isEmpty())
        .put("message", "Saved as a draft; publish it with action=publish so viewers see it.").toString();
  }

  private static ObjectNode brief(ToolCall call, JsonNode dashboard) {
    String id = dashboard.path("dashboard_id").asText();
    return Json.MAPPER.createObjectNode().put("dashboard_id", id).put("display_name", dashboard.path("display_name").asText(null))
        .put("path", dashboard.path("path").asText(null)).put("warehouse_id", dashboard.path("warehouse_id").asText(null))
        .put("lifecycle_state", dashboard.path("lifecycle_state").asText(null)).put("update_time", dashboard.path("update_time").asText(null))
        .put("url", call.link("/dashboardsv3/" + id));
  }

  private static String item(String id) {
    return API + "/" + WorkspaceApi.encodePath(id);
  }
}
