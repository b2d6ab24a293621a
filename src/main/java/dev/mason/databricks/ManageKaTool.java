package dev.mason.databricks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mason.agent.tool.InputSchema;
import dev.mason.agent.tool.ToolFailure;
import dev.mason.web.Json;
import java.util.List;
import java.util.Map;

/**
 * manage_ka: Agent Bricks knowledge assistants (a chat agent answering from documents), through
 * the preview REST API {@code /api/2.1/knowledge-assistants} that the SDK's knowledgeassistants
 * service calls. An assistant is named {@code knowledge-assistants/<id>}; its knowledge sources
 * are volume folders, vector search indexes or tables of files.
 */
final class ManageKaTool extends ActionTool {
  private static final List<String> ACTIONS = List.of("create", "get", "list", "update", "delete", "add_source", "list_sources", "sync");
  private static final AgentBricksCollection BRICKS = new AgentBricksCollection("knowledge-assistants", "knowledge_assistants", "knowledge_assistant", "knowledge_assistant",
      "/ml/bricks/ka/configure/", ManageKaTool::brief);

  ManageKaTool(ToolRuntime runtime) {
    super(runtime, ACTIONS, "manage_ka",
        "Agent Bricks knowledge assistants, as the user, through the preview REST API /api/2.1/knowledge-assistants (the "
            + "API may change while in preview). create: an assistant with display_name, description and instructions; "
            + "recorded in the project's resources; it is served by a model serving endpoint once ACTIVE. get, list. "
            + "update: display_name, description or instructions. add_source: a knowledge source: volume_path (a folder of "
            + "documents), or index_name with text_column and doc_uri_column (a vector search index), or table_name with "
            + "file_column (a table of files). list_sources. sync: re-read every source. delete: DESTROYS the assistant "
            + "and its endpoint. Query a ready assistant with manage_serving_endpoint action=query on its endpoint_name.",
        InputSchema.object()
            .action("create, get, list, update, delete, add_source, list_sources or sync.", ACTIONS)
            .string("knowledge_assistant", "The assistant: its id or knowledge-assistants/<id> (all actions but create and list).")
            .string("display_name", "For create (required), update and add_source.")
            .string("description", "For create, update and add_source (what the source holds: it guides retrieval).")
            .string("instructions", "For create and update: how the assistant answers.")
            .string("volume_path", "For add_source: a volume folder of documents, /Volumes/<catalog>/<schema>/<volume>/<folder>.")
            .string("index_name", "For add_source: a vector search index, catalog.schema.index.")
            .string("text_column", "With index_name: the column holding the text.")
            .string("doc_uri_column", "With index_name: the column holding each document's link.")
            .string("table_name", "For add_source: a table of files, catalog.schema.table.")
            .string("file_column", "With table_name: the column holding the files."));
  }

  @Override
  String run(ToolCall call, Args args, String action) {
    return switch (action) {
      case "create" -> BRICKS.create(call, args, action)
          .put("message", "Assistant CREATING; add knowledge sources with action=add_source, then check with action=get.").toString();
      case "get" -> BRICKS.get(call, args, action);
      case "list" -> BRICKS.list(call);
      case "update" -> BRICKS.update(call, args, action);
      case "add_source" -> call.api().post(BRICKS.item(args, action) + "/knowledge-sources", source(args)).toString();
      case "list_sources" -> {
        ObjectNode out = Json.MAPPER.createObjectNode();
        out.set("knowledge_sources", Json.MAPPER.valueToTree(
            call.api().collect(BRICKS.item(args, action) + "/knowledge-sources", Map.of(), "knowledge_sources", 1000)));
        yield out.toString();
      }
      case "sync" -> {
        call.api().post(BRICKS.item(args, action) + "/knowledge-sources:sync", Json.MAPPER.createObjectNode());
        yield Json.MAPPER.createObjectNode().put("knowledge_assistant", BRICKS.name(args, action))
            .put("message", "Sync started; sources show UPDATING until done (action=list_sources).").toString();
      }
      default -> BRICKS.delete(call, args, action);
    };
  }

  private static ObjectNode source(Args args) {
    ObjectNode source = args.copyInto(Json.MAPPER.createObjectNode(), "display_name", "description");
    if (!source.has("display_name")) {
      throw new ToolFailure("display_name is required for action add_source: a short name for the source");
    }
    if (args.has("volume_path")) {
      source.put("source_type", "files").putObject("files").put("path", ManageVolumeFilesTool.volumePath(args.string("volume_path")));
    } else if (args.has("index_name")) {
      source.put("source_type", "index").putObject("index").put("index_name", args.string("index_name"))
          .put("text_col", args.string("text_column", "a source from an index"))
          .put("doc_uri_col", args.string("doc_uri_column", "a source from an index"));
    } else if (args.has("table_name")) {
      source.put("source_type", "file_table").putObject("file_table").put("table_name", args.string("table_name"))
          .put("file_col", args.string("file_column", "a source from a table of files"));
    } else {
      throw new ToolFailure("add_source needs volume_path, index_name (with text_column and doc_uri_column) or table_name (with file_column)");
    }
    return source;
  }

  private static ObjectNode brief(JsonNode assistant) {
    return Json.MAPPER.createObjectNode().put("name", assistant.path("name").asText()).put("id", assistant.path("id").asText(null))
        .put("display_name", assistant.path("display_name").asText(null)).put("state", assistant.path("state").asText(null))
        .put("endpoint_name", assistant.path("endpoint_name").asText(null)).put("description", assistant.path("description").asText(null))
        .put("instructions", assistant.path("instructions").asText(null));
  }
}
