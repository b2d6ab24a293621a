package dev.mason.databricks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mason.agent.tool.InputSchema;
import dev.mason.agent.tool.ToolFailure;
import dev.mason.web.Json;
import java.util.List;
import java.util.Map;

/**
 * manage_mas: Agent Bricks multi-agent supervisors, through the preview REST API
 * {@code /api/2.1/supervisor-agents} that the SDK's supervisoragents service calls. A supervisor
 * routes each question to one of its tools: Genie spaces, knowledge assistants, Unity Catalog
 * functions, apps or connections.
 */
final class ManageMasTool extends ActionTool {
  private static final List<String> ACTIONS = List.of("create", "get", "list", "update", "delete", "add_tool", "list_tools", "remove_tool");
  private static final List<String> TOOL_TYPES = List.of("genie_space", "knowledge_assistant", "uc_function", "app", "uc_connection");
  private static final AgentBricksCollection BRICKS = new AgentBricksCollection("supervisor-agents", "supervisor_agents", "supervisor", "supervisor_agent",
      "/ml/bricks/mas/configure/", ManageMasTool::brief);

  ManageMasTool(ToolRuntime runtime) {
    super(runtime, ACTIONS, "manage_mas",
        "Agent Bricks multi-agent supervisors, as the user, through the preview REST API /api/2.1/supervisor-agents (the "
            + "API may change while in preview). create: a supervisor with display_name, description and instructions "
            + "(how to route); recorded in the project's resources. get, list. update: display_name, description or "
            + "instructions. add_tool: tool_id (lower case) of tool_type genie_space (target: the space id), "
            + "knowledge_assistant (target: its id), uc_function (catalog.schema.function), app (its name) or uc_connection "
            + "(its name), with a description of when to use it. list_tools. remove_tool: REMOVES a tool. delete: DESTROYS "
            + "the supervisor and its endpoint.",
        InputSchema.object()
            .action("create, get, list, update, delete, add_tool, list_tools or remove_tool.", ACTIONS)
            .string("supervisor", "The supervisor: its id or supervisor-agents/<id> (all actions but create and list).")
            .string("display_name", "For create (required) and update.")
            .string("description", "For create, update and add_tool (when the supervisor should use the tool).")
            .string("instructions", "For create and update.")
            .string("tool_id", "For add_tool and remove_tool: the tool's id, lower case, digits and hyphens.")
            .choice("tool_type", "For add_tool.", TOOL_TYPES)
            .string("target", "For add_tool: what the tool calls (see tool_type)."));
  }

  @Override
  String run(ToolCall call, Args args, String action) {
    return switch (action) {
      case "create" -> BRICKS.create(call, args, action).put("message", "Supervisor created; give it tools with action=add_tool.").toString();
      case "get" -> BRICKS.get(call, args, action);
      case "list" -> BRICKS.list(call);
      case "update" -> BRICKS.update(call, args, action);
      case "add_tool" -> {
        String id = toolId(args, action);
        String type = args.choice("tool_type", TOOL_TYPES, null);
        String target = args.string("target", action);
        ObjectNode tool = args.copyInto(Json.MAPPER.createObjectNode().put("tool_type", type), "description");
        switch (type) {
          case "genie_space" -> tool.putObject("genie_space").put("id", target);
          case "knowledge_assistant" -> tool.putObject("knowledge_assistant").put("knowledge_assistant_id",
              target.replaceFirst("^knowledge-assistants/", ""));
          default -> tool.putObject(type).put("name", target);
        }
        yield call.api().post(BRICKS.item(args, action) + "/tools?tool_id=" + id, tool).toString();
      }
      case "list_tools" -> {
        ObjectNode out = Json.MAPPER.createObjectNode();
        out.set("tools", Json.MAPPER.valueToTree(call.api().collect(BRICKS.item(args, action) + "/tools", Map.of(), "tools", 1000)));
        yield out.toString();
      }
      case "remove_tool" -> {
        String id = toolId(args, action);
        call.api().delete(BRICKS.item(args, action) + "/tools/" + id, Map.of());
        yield Json.MAPPER.createObjectNode().put("removed", id).toString();
      }
      default -> BRICKS.delete(call, args, action);
    };
  }

  private static String toolId(Args args, String action) {
    String id = args.string("tool_id", action);
    if (!id.matches("[a-z0-9][a-z0-9-]{0,62}")) {
      throw new ToolFailure("tool_id must be lower-case letters, digits and hyphens, not '" + id + "'");
    }
    return id;
  }

  private static ObjectNode brief(JsonNode supervisor) {
    return Json.MAPPER.createObjectNode().put("name", supervisor.path("name").asText()).put("id", supervisor.path("id").asText(null))
        .put("display_name", supervisor.path("display_name").asText(null)).put("endpoint_name", supervisor.path("endpoint_name").asText(null))
        .put("description", supervisor.path("description").asText(null)).put("instructions", supervisor.path("instructions").asText(null));
  }
}
