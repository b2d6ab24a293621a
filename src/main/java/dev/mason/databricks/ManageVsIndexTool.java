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
 * manage_vs_index: Vector Search indexes. A Delta Sync index follows a Unity Catalog table
 * (embeddings computed by a serving endpoint from a text column, or taken from a vector column);
 * a Direct Access index is written through manage_vs_data.
 */
final class ManageVsIndexTool extends ActionTool {
  private static final List<String> ACTIONS = List.of("create", "get", "list", "delete", "sync");
  private static final List<String> TYPES = List.of("DELTA_SYNC", "DIRECT_ACCESS");
  static final String API = "/api/2.0/vector-search/indexes";

  ManageVsIndexTool(ToolRuntime runtime) {
    super(runtime, ACTIONS, "manage_vs_index",
        "Vector Search indexes, as the user. create: index name (catalog.schema.index) on endpoint_name with primary_key. "
            + "DELTA_SYNC (default) follows source_table: give embedding_source_column and embedding_model_endpoint_name (e.g. "
            + "databricks-gte-large-en) to embed a text column, or embedding_vector_column and embedding_dimension for "
            + "precomputed vectors; pipeline_type TRIGGERED (default; refresh with sync) or CONTINUOUS; the source table "
            + "needs Change Data Feed. DIRECT_ACCESS: give schema_json ({\"id\": \"int\", \"text\": \"string\", \"vector\": "
            + "\"array<float>\"}) with embedding_vector_column and embedding_dimension, then write rows with manage_vs_data. "
            + "Created indexes are recorded in the project's resources. get: status and row count. list: the indexes of "
            + "endpoint_name. sync: refresh a TRIGGERED index from its table. delete: DESTROYS the index.",
        InputSchema.object()
            .action("create, get, list, delete or sync.", ACTIONS)
            .string("name", "The index, catalog.schema.index (all actions but list).")
            .string("endpoint_name", "For create and list: the vector search endpoint.")
            .string("primary_key", "For create: the primary key column.")
            .choice("index_type", "For create: DELTA_SYNC (default) or DIRECT_ACCESS.", TYPES)
            .string("source_table", "For a DELTA_SYNC create: the Unity Catalog table, catalog.schema.table.")
            .string("embedding_source_column", "For create: the text column to embed.")
            .string("embedding_model_endpoint_name", "With embedding_source_column: the serving endpoint that embeds.")
            .string("embedding_vector_column", "For create: the column holding precomputed vectors.")
            .integer("embedding_dimension", "With embedding_vector_column: the vectors' length.")
            .choice("pipeline_type", "For a DELTA_SYNC create: TRIGGERED (default) or CONTINUOUS.", List.of("TRIGGERED", "CONTINUOUS"))
            .strings("columns_to_sync", "For a DELTA_SYNC create: the columns to copy into the index (default all).")
            .objectOrString("schema_json", "For a DIRECT_ACCESS create: column names and types."));
  }

  @Override
  String run(ToolCall call, Args args, String action) {
    return switch (action) {
      case "create" -> create(call, args);
      case "get" -> brief(call.api().get(item(args.string("name", action)))).toString();
      case "list" -> {
        ArrayNode list = Json.MAPPER.createArrayNode();
        call.api().collect(API, Map.of("endpoint_name", args.string("endpoint_name", action)), "vector_indexes", 1000)
            .forEach(i -> list.addObject().put("name", i.path("name").asText()).put("index_type", i.path("index_type").asText())
                .put("primary_key", i.path("primary_key").asText()));
        yield Json.MAPPER.createObjectNode().put("count", list.size()).set("vector_indexes", list).toString();
      }
      case "sync" -> {
        String name = args.string("name", action);
        call.api().post(item(name) + "/sync", Json.MAPPER.createObjectNode());
        yield Json.MAPPER.createObjectNode().put("name", name).put("message", "Sync started; check progress with action=get.").toString();
      }
      default -> {
        String name = args.string("name", action);
        call.api().delete(item(name), Map.of());
        call.untrack("vs_index", name);
        yield Json.MAPPER.createObjectNode().put("deleted", name).toString();
      }
    };
  }

  private static String create(ToolCall call, Args args) {
    String name = args.string("name", "create");
    SqlNames.qualified(name, 3, "name");
    String type = args.choice("index_type", TYPES, "DELTA_SYNC");
    ObjectNode body = Json.MAPPER.createObjectNode().put("name", name).put("endpoint_name", args.string("endpoint_name", "create"))
        .put("primary_key", args.string("primary_key", "create")).put("index_type", type);
    ObjectNode spec = body.putObject(type.equals("DELTA_SYNC") ? "delta_sync_index_spec" : "direct_access_index_spec");
    if (args.has("embedding_source_column")) {
      spec.putArray("embedding_source_columns").addObject().put("name", args.string("embedding_source_column"))
          .put("embedding_model_endpoint_name", args.string("embedding_model_endpoint_name", "an index embedding a text column"));
    } else if (args.has("embedding_vector_column")) {
      if (!args.has("embedding_dimension")) {
        throw new ToolFailure("embedding_dimension is required with embedding_vector_column");
      }
      spec.putArray("embedding_vector_columns").addObject().put("name", args.string("embedding_vector_column"))
          .put("embedding_dimension", args.optInt("embedding_dimension", 0, 1, 8192));
    } else {
      throw new ToolFailure("create needs embedding_source_column (with embedding_model_endpoint_name) or embedding_vector_column "
          + "(with embedding_dimension)");
    }
    if (type.equals("DELTA_SYNC")) {
      spec.put("source_table", args.string("source_table", "a DELTA_SYNC create"))
          .put("pipeline_type", args.choice("pipeline_type", List.of("TRIGGERED", "CONTINUOUS"), "TRIGGERED"));
      List<String> columns = args.strings("columns_to_sync");
      if (!columns.isEmpty()) {
        columns.forEach(spec.putArray("columns_to_sync")::add);
      }
    } else {
      ObjectNode schema = args.optObject("schema_json");
      if (schema == null) {
        throw new ToolFailure("schema_json is required for a DIRECT_ACCESS create, e.g. {\"id\": \"int\", \"text\": \"string\"}");
      }
      spec.put("schema_json", schema.toString());
    }
    JsonNode created = call.api().post(API, body);
    call.track("vs_index", name, name, call.link("/explore/data/" + name.replace('.', '/')));
    return brief(created).put("created", true)
        .put("message", "Index created; it is ready when get shows ready true. Query it with query_vs_index.").toString();
  }

  private static ObjectNode brief(JsonNode index) {
    ObjectNode out = Json.MAPPER.createObjectNode().put("name", index.path("name").asText())
        .put("endpoint_name", index.path("endpoint_name").asText(null)).put("index_type", index.path("index_type").asText(null))
        .put("primary_key", index.path("primary_key").asText(null));
    JsonNode status = index.path("status");
    out.put("ready", status.path("ready").asBoolean(false)).put("indexed_row_count", status.path("indexed_row_count").asLong(0))
        .put("status_message", status.path("message").asText(null));
    return out;
  }

  static String item(String name) {
    return API + "/" + WorkspaceApi.encodePath(name);
  }
}
