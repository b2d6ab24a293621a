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
 * manage_vs_data: the rows of a Direct Access Vector Search index: upsert and delete by primary
 * key, and scan. The API takes upserted rows as a JSON string ({@code inputs_json}) and answers a
 * scan as typed field lists; the tool speaks plain rows both ways.
 */
final class ManageVsDataTool extends ActionTool {
  private static final List<String> ACTIONS = List.of("upsert", "delete", "scan");

  ManageVsDataTool(ToolRuntime runtime) {
    super(runtime, ACTIONS, "manage_vs_data",
        "Rows of a DIRECT_ACCESS Vector Search index, as the user (Delta Sync indexes follow their table instead). upsert: "
            + "insert or replace rows, e.g. [{\"id\": 1, \"text\": \"...\", \"vector\": [0.1, ...]}], each with the primary "
            + "key and, for a vector column, a vector of the index's dimension. delete: REMOVES the rows with primary_keys. "
            + "scan: read rows in primary key order, num_results at a time (pass last_primary_key for the next page).",
        InputSchema.object()
            .action("upsert, delete or scan.", ACTIONS)
            .string("index_name", "The index, catalog.schema.index.")
            .objects("rows", "For upsert: the rows, as objects keyed by column.")
            .strings("primary_keys", "For delete: the keys of the rows to remove.")
            .integer("num_results", "For scan: rows per page (default 20, at most 1000).")
            .string("last_primary_key", "For scan: continue after this key.")
            .required("index_name"));
  }

  @Override
  String run(ToolCall call, Args args, String action) {
    String index = ManageVsIndexTool.item(args.string("index_name"));
    return switch (action) {
      case "upsert" -> {
        ArrayNode rows = args.optArray("rows");
        if (rows == null || rows.isEmpty()) {
          throw new ToolFailure("rows is required for action upsert: [{\"<primary key>\": ..., \"<column>\": ...}]");
        }
        JsonNode answer = call.api().post(index + "/upsert-data", Json.MAPPER.createObjectNode().put("inputs_json", rows.toString()));
        yield outcome(answer).toString();
      }
      case "delete" -> {
        List<String> keys = args.strings("primary_keys");
        if (keys.isEmpty()) {
          throw new ToolFailure("primary_keys is required for action delete");
        }
        yield outcome(call.api().delete(index + "/delete-data", Map.of("primary_keys", keys))).toString();
      }
      default -> {
        ObjectNode body = Json.MAPPER.createObjectNode().put("num_results", args.optInt("num_results", 20, 1, 1000));
        args.copyInto(body, "last_primary_key");
        JsonNode answer = call.api().post(index + "/scan", body);
        ArrayNode rows = Json.MAPPER.createArrayNode();
        for (JsonNode struct : answer.path("data")) {
          ObjectNode row = rows.addObject();
          struct.path("fields").forEach(f -> row.set(f.path("key").asText(), plain(f.path("value"))));
        }
        ObjectNode out = Json.MAPPER.createObjectNode().put("row_count", rows.size());
        out.set("rows", rows);
        out.put("last_primary_key", answer.path("last_primary_key").asText(null));
        yield out.toString();
      }
    };
  }

  private static ObjectNode outcome(JsonNode answer) {
    ObjectNode out = Json.MAPPER.createObjectNode().put("status", answer.path("status").asText());
    out.put("success_row_count", answer.path("result").path("success_row_count").asLong(0));
    out.set("failed_primary_keys", answer.path("result").path("failed_primary_keys").isArray()
        ? answer.path("result").path("failed_primary_keys") : Json.MAPPER.createArrayNode());
    return out;
  }

  /** A Value of the scan API ({string_value}, {number_value}, {bool_value}, {list_value: {values}}) as plain JSON. */
  private static JsonNode plain(JsonNode value) {
    if (value.has("string_value")) {
      return value.get("string_value");
    }
    if (value.has("number_value")) {
      return value.get("number_value");
    }
    if (value.has("bool_value")) {
      return value.get("bool_value");
    }
    if (value.has("list_value")) {
      ArrayNode list = Json.MAPPER.createArrayNode();
      value.path("list_value").path("values").forEach(v -> list.add(plain(v)));
      return list;
    }
    return value;
  }
}
