package dev.mason.databricks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mason.agent.tool.InputSchema;
import dev.mason.agent.tool.ToolFailure;
import dev.mason.web.Json;
import java.util.List;
import java.util.Map;

/**
 * manage_app: Databricks Apps through the Apps API: create, deploy source code from the
 * workspace, follow the app and its deployments, delete. The Apps API has no log endpoint (the
 * CLI streams them from the app's own /logz), so logs answers with the status messages of the app,
 * its compute and its latest deployments, and the address of the live log.
 */
final class ManageAppTool extends ActionTool {
  private static final List<String> ACTIONS = List.of("create", "deploy", "get", "list", "logs", "start", "stop", "delete");
  private static final String API = "/api/2.0/apps";

  ManageAppTool(ToolRuntime runtime) {
    super(runtime, ACTIONS, "manage_app",
        "Databricks Apps, as the user. create: an app named name (lower case, digits and hyphens, 2-30) with its own "
            + "compute and service principal; if it exists it is returned; recorded in the project's resources. deploy: "
            + "deploy source_code_path (a workspace folder with app.yaml and the code; upload it first with "
            + "manage_workspace_files) as a SNAPSHOT (default) or AUTO_SYNC. get: state, URL, active and pending "
            + "deployment. list: apps. logs: the app's, its compute's and its latest deployments' status messages, and "
            + "the URL of its live log (<app url>/logz). start / stop: its compute (a stopped app costs nothing). delete: "
            + "DESTROYS the app, its URL and its service principal.",
        InputSchema.object()
            .action("create, deploy, get, list, logs, start, stop or delete.", ACTIONS)
            .string("name", "The app (all actions but list).")
            .string("description", "For create.")
            .string("source_code_path", "For deploy: the workspace folder, e.g. /Workspace/Users/<you>/my-app.")
            .choice("mode", "For deploy: SNAPSHOT (default) or AUTO_SYNC.", List.of("SNAPSHOT", "AUTO_SYNC"))
            .integer("limit", "For logs: how many deployments (default 5, at most 20)."));
  }

  @Override
  String run(ToolCall call, Args args, String action) {
    if (action.equals("list")) {
      ArrayNode list = Json.MAPPER.createArrayNode();
      call.api().collect(API, Map.of("page_size", 100), "apps", 1000).forEach(a -> list.add(brief(a)));
      return Json.MAPPER.createObjectNode().put("count", list.size()).set("apps", list).toString();
    }
    String name = args.string("name", action);
    if (!name.matches("[a-z0-9][a-z0-9-]{1,29}")) {
      throw new ToolFailure("name must be 2 to 30 lower-case letters, digits and hyphens, not '" + name + "'");
    }
    String item = API + "/" + name;
    return switch (action) {
      case "create" -> {
        JsonNode existing = ManageLakebaseDatabaseTool.existing(call, item);
        if (existing != null) {
          yield brief(existing).put("created", false).put("message", "An app named '" + name + "' already exists.").toString();
        }
        ObjectNode body = args.copyInto(Json.MAPPER.createObjectNode().put("name", name), "description");
        JsonNode created = call.api().post(API, body);
        call.track("app", name, name, created.path("url").asText(call.link("/apps/" + name)));
        yield brief(created).put("created", true)
            .put("message", "App created; its compute starts in a few minutes. Deploy code with action=deploy.").toString();
      }
      case "deploy" -> {
        ObjectNode body = Json.MAPPER.createObjectNode().put("source_code_path", args.string("source_code_path", action))
            .put("mode", args.choice("mode", List.of("SNAPSHOT", "AUTO_SYNC"), "SNAPSHOT"));
        JsonNode deployment = call.api().post(item + "/deployments", body);
        yield deployment(deployment).put("message", "Deployment started; follow it with action=get or action=logs.").toString();
      }
      case "get" -> brief(call.api().get(item)).toString();
      case "logs" -> logs(call, args, item);
      case "start", "stop" -> brief(call.api().post(item + "/" + action, Json.MAPPER.createObjectNode())).toString();
      default -> {
        call.api().delete(item, Map.of());
        call.untrack("app", name);
        yield Json.MAPPER.createObjectNode().put("deleted", name).toString();
      }
    };
  }

  private static String logs(ToolCall call, Args args, String item) {
    JsonNode app = call.api().get(item);
    ObjectNode out = brief(app);
    ArrayNode deployments = out.putArray("deployments");
    call.api().collect(item + "/deployments", Map.of("page_size", 20), "app_deployments", args.optInt("limit", 5, 1, 20))
        .forEach(d -> deployments.add(deployment(d)));
    if (app.hasNonNull("url")) {
      out.put("live_log", app.path("url").asText() + "/logz");
    }
    return out.toString();
  }

  private static ObjectNode brief(JsonNode app) {
    ObjectNode out = Json.MAPPER.createObjectNode().put("name", app.path("name").asText()).put("url", app.path("url").asText(null))
        .put("app_state", app.path("app_status").path("state").asText(null)).put("app_message", app.path("app_status").path("message").asText(null))
        .put("compute_state", app.path("compute_status").path("state").asText(null))
        .put("compute_message", app.path("compute_status").path("message").asText(null))
        .put("service_principal", app.path("service_principal_name").asText(null)).put("creator", app.path("creator").asText(null));
    if (app.has("active_deployment")) {
      out.set("active_deployment", deployment(app.get("active_deployment")));
    }
    if (app.has("pending_deployment")) {
      out.set("pending_deployment", deployment(app.get("pending_deployment")));
    }
    return out;
  }

  private static ObjectNode deployment(JsonNode deployment) {
    return Json.MAPPER.createObjectNode().put("deployment_id", deployment.path("deployment_id").asText())
        .put("source_code_path", deployment.path("source_code_path").asText(null)).put("mode", deployment.path("mode").asText(null))
        .put("state", deployment.path("status").path("state").asText(null)).put("message", deployment.path("status").path("message").asText(null))
        .put("create_time", deployment.path("create_time").asText(null));
  }
}
