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
 * manage_lakebase_branch: branches of an autoscaling Lakebase project (the Postgres API): a copy
 * of a parent branch's data at a point in time, made in seconds by copy-on-write, for development
 * or tests.
 */
final class ManageLakebaseBranchTool extends ActionTool {
  private static final List<String> ACTIONS = List.of("create", "get", "list", "delete");

  ManageLakebaseBranchTool(ToolRuntime runtime) {
    super(runtime, ACTIONS, "manage_lakebase_branch",
        "Branches of an autoscaling Lakebase project (see manage_lakebase_database type=autoscaling), as the user. create: "
            + "branch branch_id of project from source_branch (default main), holding its data as of now; ttl_hours makes it "
            + "expire (default: never); recorded in the project's resources. get, list. delete: DESTROYS the branch and "
            + "the changes made on it (the default branch cannot be deleted).",
        InputSchema.object()
            .action("create, get, list or delete.", ACTIONS)
            .string("project", "The project's name (without projects/).")
            .string("branch_id", "The branch (all actions but list): lower case, digits and hyphens.")
            .string("source_branch", "For create: the parent branch id (default main).")
            .integer("ttl_hours", "For create: hours until the branch expires and is deleted (default: it does not expire).")
            .required("project"));
  }

  @Override
  String run(ToolCall call, Args args, String action) {
    String project = args.string("project").replaceFirst("^projects/", "");
    String branches = ManageLakebaseDatabaseTool.PROJECTS + "/" + project + "/branches";
    if (action.equals("list")) {
      ArrayNode list = Json.MAPPER.createArrayNode();
      call.api().collect(branches, Map.of(), "branches", 1000).forEach(b -> list.add(brief(b)));
      return Json.MAPPER.createObjectNode().put("count", list.size()).set("branches", list).toString();
    }
    String id = args.string("branch_id", action);
    if (!id.matches("[a-z0-9][a-z0-9-]{0,62}")) {
      throw new ToolFailure("branch_id must be lower-case letters, digits and hyphens, not '" + id + "'");
    }
    String name = "projects/" + project + "/branches/" + id;
    return switch (action) {
      case "create" -> {
        ObjectNode branch = Json.MAPPER.createObjectNode();
        ObjectNode spec = branch.putObject("spec").put("source_branch", "projects/" + project + "/branches/" + args.optString("source_branch", "main"));
        if (args.has("ttl_hours")) {
          spec.put("ttl", args.optInt("ttl_hours", 24, 1, 24 * 30) * 3600 + "s");
        } else {
          spec.put("no_expiry", true);
        }
        JsonNode operation = call.api().post(branches + "?branch_id=" + id, branch);
        call.track("lakebase_branch", name, id, call.link("/lakebase/projects/" + project + "/branches/" + id));
        yield Json.MAPPER.createObjectNode().put("name", name).put("created", true).put("done", operation.path("done").asBoolean(false))
            .put("message", "Branch created from " + spec.path("source_branch").asText() + "; connect to it with generate_lakebase_credential.")
            .toString();
      }
      case "get" -> brief(call.api().get(branches + "/" + id)).toString();
      default -> {
        call.api().delete(branches + "/" + id, Map.of());
        call.untrack("lakebase_branch", name);
        yield Json.MAPPER.createObjectNode().put("deleted", name).toString();
      }
    };
  }

  private static ObjectNode brief(JsonNode branch) {
    JsonNode status = branch.path("status");
    return Json.MAPPER.createObjectNode().put("name", branch.path("name").asText()).put("state", status.path("current_state").asText(null))
        .put("source_branch", status.path("source_branch").asText(branch.path("spec").path("source_branch").asText(null)))
        .put("default", status.path("default").asBoolean(false)).put("expire_time", status.path("expire_time").asText(null));
  }
}
