package dev.mason.databricks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mason.agent.tool.InputSchema;
import dev.mason.agent.tool.ToolFailure;
import dev.mason.web.Json;
import java.util.List;
import java.util.Map;

/**
 * manage_lakebase_database: Lakebase PostgreSQL databases. A provisioned one is a database
 * instance of fixed capacity (the Database API); an autoscaling one is a project whose compute
 * scales and which has branches (the Postgres API). Both are made as the user.
 */
final class ManageLakebaseDatabaseTool extends ActionTool {
  private static final List<String> ACTIONS = List.of("create", "get", "list", "update", "start", "stop", "delete");
  private static final List<String> TYPES = List.of("provisioned", "autoscaling");
  private static final List<String> CAPACITIES = List.of("CU_1", "CU_2", "CU_4", "CU_8");
  static final String INSTANCES = "/api/2.0/database/instances";
  static final String PROJECTS = "/api/2.0/postgres/projects";

  ManageLakebaseDatabaseTool(ToolRuntime runtime) {
    super(runtime, ACTIONS, "manage_lakebase_database",
        "Lakebase (managed PostgreSQL) databases, as the user. type provisioned (default): a database instance of fixed "
            + "capacity (CU_1 default, CU_2, CU_4, CU_8). type autoscaling: a project whose compute scales to zero, with "
            + "branches (manage_lakebase_branch). create: named name (lower case, digits and hyphens); if it exists it is "
            + "returned, not made again; it takes a few minutes to become AVAILABLE (check with get); recorded in the "
            + "project's resources. get, list. update: capacity or retention (provisioned), display_name (autoscaling). "
            + "start / stop: a provisioned instance (a stopped one costs only storage). delete: DESTROYS the database and "
            + "all its data. Connect with generate_lakebase_credential; copy tables in with manage_lakebase_sync.",
        InputSchema.object()
            .action("create, get, list, update, start, stop or delete.", ACTIONS)
            .choice("type", "provisioned (default) or autoscaling.", TYPES)
            .string("name", "The instance or project (all actions but list).")
            .choice("capacity", "For a provisioned create or update: compute units.", CAPACITIES)
            .integer("retention_window_in_days", "For provisioned: point-in-time restore window (2 to 35 days, default 7).")
            .string("display_name", "For autoscaling create and update.")
            .integer("pg_version", "For create: PostgreSQL major version (default 16 provisioned, 17 autoscaling)."));
  }

  @Override
  String run(ToolCall call, Args args, String action) {
    boolean provisioned = args.choice("type", TYPES, "provisioned").equals("provisioned");
    if (action.equals("list")) {
      return provisioned
          ? new RestCollection(INSTANCES, "database_instances", "lakebase_instance").list(call, Map.of(), 1000,
              "name", "state", "capacity", "read_write_dns", "creator", "stopped").toString()
          : new RestCollection(PROJECTS, "projects", "lakebase_project").list(call, Map.of(), 1000, "name", "status").toString();
    }
    String name = args.string("name", action);
    if (!name.matches("[a-z0-9][a-z0-9-]{0,62}")) {
      throw new ToolFailure("name must be lower-case letters, digits and hyphens (at most 63), not '" + name + "'");
    }
    return provisioned ? instance(call, args, action, name) : project(call, args, action, name);
  }

  private static String instance(ToolCall call, Args args, String action, String name) {
    String item = INSTANCES + "/" + name;
    return switch (action) {
      case "create" -> {
        JsonNode existing = existing(call, item);
        if (existing != null) {
          yield instanceBrief(existing).put("created", false).put("message", "An instance named '" + name + "' already exists.").toString();
        }
        ObjectNode body = Json.MAPPER.createObjectNode().put("name", name)
            .put("capacity", args.choice("capacity", CAPACITIES, "CU_1"))
            .put("pg_version", Integer.toString(args.optInt("pg_version", 16, 14, 18)));
        args.copyInto(body, "retention_window_in_days");
        JsonNode created = call.api().post(INSTANCES, body);
        call.track("lakebase_instance", name, name, call.link("/compute/database-instances/" + name));
        yield instanceBrief(created).put("created", true)
            .put("message", "Instance starting; it is AVAILABLE in a few minutes (check with action=get).").toString();
      }
      case "get" -> instanceBrief(call.api().get(item)).toString();
      case "update", "start", "stop" -> {
        ObjectNode body = Json.MAPPER.createObjectNode().put("name", name);
        if (action.equals("update")) {
          if (args.has("capacity")) {
            body.put("capacity", args.choice("capacity", CAPACITIES, null));
          }
          args.copyInto(body, "retention_window_in_days");
        } else {
          body.put("stopped", action.equals("stop"));
        }
        String mask = String.join(",", body.properties().stream().map(Map.Entry::getKey).filter(k -> !k.equals("name")).toList());
        if (mask.isEmpty()) {
          throw new ToolFailure("update needs capacity or retention_window_in_days");
        }
        yield instanceBrief(call.api().patch(item + "?update_mask=" + mask, body)).toString();
      }
      default -> {
        call.api().delete(item, Map.of("purge", "true"));
        call.untrack("lakebase_instance", name);
        yield Json.MAPPER.createObjectNode().put("deleted", name).toString();
      }
    };
  }

  private static String project(ToolCall call, Args args, String action, String name) {
    String item = PROJECTS + "/" + name;
    return switch (action) {
      case "create" -> {
        JsonNode existing = existing(call, item);
        if (existing != null) {
          yield projectBrief(existing).put("created", false).put("message", "A project named '" + name + "' already exists.").toString();
        }
        ObjectNode project = Json.MAPPER.createObjectNode();
        project.putObject("spec").put("display_name", args.optString("display_name", name)).put("pg_version", args.optInt("pg_version", 17, 15, 18));
        JsonNode operation = call.api().post(PROJECTS + "?project_id=" + name, project);
        call.track("lakebase_project", "projects/" + name, name, call.link("/lakebase/projects/" + name));
        yield Json.MAPPER.createObjectNode().put("name", "projects/" + name).put("created", true)
            .put("operation", operation.path("name").asText(null)).put("done", operation.path("done").asBoolean(false))
            .put("message", "Project creating with its main branch; check with action=get.").toString();
      }
      case "get" -> projectBrief(call.api().get(item)).toString();
      case "update" -> {
        if (!args.has("display_name")) {
          throw new ToolFailure("update of an autoscaling project needs display_name");
        }
        ObjectNode project = Json.MAPPER.createObjectNode();
        project.putObject("spec").put("display_name", args.string("display_name"));
        call.api().patch(item + "?update_mask=spec.display_name", project);
        yield Json.MAPPER.createObjectNode().put("name", "projects/" + name).put("updated", true).toString();
      }
      case "start", "stop" -> throw new ToolFailure("an autoscaling project starts and suspends by itself; " + action
          + " is for provisioned instances");
      default -> {
        call.api().delete(item, Map.of());
        call.untrack("lakebase_project", "projects/" + name);
        yield Json.MAPPER.createObjectNode().put("deleted", "projects/" + name).toString();
      }
    };
  }

  /** The item, or null when the workspace says it does not exist. */
  static JsonNode existing(ToolCall call, String item) {
    try {
      return call.api().get(item);
    } catch (WorkspaceException e) {
      if (e.notFound()) {
        return null;
      }
      throw e;
    }
  }

  private static ObjectNode instanceBrief(JsonNode instance) {
    return Json.MAPPER.createObjectNode().put("name", instance.path("name").asText()).put("type", "provisioned")
        .put("state", instance.path("state").asText(null)).put("capacity", instance.path("capacity").asText(null))
        .put("host", instance.path("read_write_dns").asText(null)).put("pg_version", instance.path("pg_version").asText(null))
        .put("stopped", instance.path("stopped").asBoolean(false)).put("creator", instance.path("creator").asText(null));
  }

  private static ObjectNode projectBrief(JsonNode project) {
    ObjectNode out = Json.MAPPER.createObjectNode().put("name", project.path("name").asText()).put("type", "autoscaling");
    out.set("status", project.path("status"));
    return out;
  }
}
