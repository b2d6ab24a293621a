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
 * manage_genie: Genie spaces (AI/BI). A space's configuration travels as a JSON string in
 * {@code serialized_space}, like a dashboard's: the tool builds it from table names, or takes the
 * whole configuration as an object or a string. Questions go to ask_genie.
 */
final class ManageGenieTool extends ActionTool {
  private static final List<String> ACTIONS = List.of("create", "get", "list", "update", "delete");
  private static final String API = "/api/2.0/genie/spaces";

  ManageGenieTool(ToolRuntime runtime) {
    super(runtime, ACTIONS, "manage_genie",
        "Genie spaces, as the user. create: a space titled title over table_identifiers (catalog.schema.table, the user "
            + "needs SELECT on them) with optional description, sample_questions and instructions, on warehouse_id (default: "
            + "the best available); or the full configuration in serialized_space (object or string); recorded in the "
            + "project's resources. get: title, description, warehouse and configuration. list: spaces. update: title, "
            + "description, warehouse_id or a new configuration. delete: moves the space to the trash (its conversations "
            + "are DESTROYED with it). Ask a space questions with ask_genie.",
        InputSchema.object()
            .action("create, get, list, update or delete.", ACTIONS)
            .string("space_id", "The space, for get, update and delete.")
            .string("title", "For create (required) and update.")
            .string("description", "For create and update.")
            .strings("table_identifiers", "For create and update: the tables Genie may query.")
            .strings("sample_questions", "For create and update: questions shown to users.")
            .string("instructions", "For create and update: text instructions for Genie (business terms, rules).")
            .objectOrString("serialized_space", "For create and update: the whole space configuration instead (object or string).")
            .string("warehouse_id", "For create and update: the warehouse Genie runs queries on.")
            .string("parent_path", "For create: workspace folder (default the user's home)."));
  }

  @Override
  String run(ToolCall call, Args args, String action) {
    return switch (action) {
      case "create" -> {
        String title = args.string("title", action);
        String configuration = configuration(args);
        if (configuration == null) {
          throw new ToolFailure("create needs table_identifiers (the tables Genie may query) or serialized_space");
        }
        ObjectNode body = args.copyInto(Json.MAPPER.createObjectNode().put("title", title), "description", "parent_path")
            .put("warehouse_id", args.has("warehouse_id") ? args.string("warehouse_id") : WarehouseRanking.bestId(call))
            .put("serialized_space", configuration);
        JsonNode space = call.api().post(API, body);
        String id = space.path("space_id").asText();
        call.track("genie_space", id, title, call.link("/genie/rooms/" + id));
        yield brief(call, space).put("created", true).toString();
      }
      case "get" -> {
        JsonNode space = call.api().get(item(args.string("space_id", action)), Map.of("include_serialized_space", "true"));
        yield brief(call, space).put("serialized_space", space.path("serialized_space").asText(null)).toString();
      }
      case "list" -> {
        ArrayNode list = Json.MAPPER.createArrayNode();
        call.api().collect(API, Map.of("page_size", 100), "spaces", 1000).forEach(s -> list.add(brief(call, s)));
        yield Json.MAPPER.createObjectNode().put("count", list.size()).set("spaces", list).toString();
      }
      case "update" -> {
        ObjectNode body = args.copyInto(Json.MAPPER.createObjectNode(), "title", "description", "warehouse_id");
        String configuration = configuration(args);
        if (configuration != null) {
          body.put("serialized_space", configuration);
        }
        if (body.isEmpty()) {
          throw new ToolFailure("update needs title, description, warehouse_id, table_identifiers or serialized_space");
        }
        yield brief(call, call.api().patch(item(args.string("space_id", action)), body)).put("updated", true).toString();
      }
      default -> {
        String id = args.string("space_id", action);
        call.api().delete(item(id), Map.of());
        call.untrack("genie_space", id);
        yield Json.MAPPER.createObjectNode().put("space_id", id).put("trashed", true).toString();
      }
    };
  }

  /** The space configuration as the API's string: given whole, or built from tables, questions and instructions; null if none. */
  private static String configuration(Args args) {
    ObjectNode given = args.optObject("serialized_space");
    if (given != null) {
      return given.toString();
    }
    List<String> tables = args.strings("table_identifiers");
    if (tables.isEmpty()) {
      return null;
    }
    ObjectNode space = Json.MAPPER.createObjectNode().put("version", 1);
    ArrayNode sources = space.putObject("data_sources").putArray("tables");
    tables.forEach(t -> sources.addObject().put("identifier", t));
    List<String> questions = args.strings("sample_questions");
    if (!questions.isEmpty()) {
      ArrayNode samples = space.putObject("config").putArray("sample_questions");
      questions.forEach(q -> samples.addObject().putArray("question").add(q));
    }
    if (args.has("instructions")) {
      space.putObject("instructions").putArray("text_instructions").addObject().putArray("content").add(args.string("instructions"));
    }
    return space.toString();
  }

  private static ObjectNode brief(ToolCall call, JsonNode space) {
    String id = space.path("space_id").asText();
    return Json.MAPPER.createObjectNode().put("space_id", id).put("title", space.path("title").asText(null))
        .put("description", space.path("description").asText(null)).put("warehouse_id", space.path("warehouse_id").asText(null))
        .put("url", call.link("/genie/rooms/" + id));
  }

  private static String item(String id) {
    return API + "/" + WorkspaceApi.encodePath(id);
  }
}
