package dev.mason.databricks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mason.agent.tool.InputSchema;
import dev.mason.agent.tool.ToolFailure;
import dev.mason.web.Json;
import java.util.ArrayList;
import java.util.List;

/** query_vs_index: similarity search on a Vector Search index, answered as rows with their scores. */
final class QueryVsIndexTool extends DatabricksTool {
  QueryVsIndexTool(ToolRuntime runtime) {
    super(runtime, "query_vs_index",
        "Searches a Vector Search index, as the user: the rows nearest to query_text (embedded by the index's model) or "
            + "query_vector, with the columns asked for and a score (higher is closer). filters narrow the rows first, e.g. "
            + "{\"region\": \"EU\"} or {\"price <\": 100}. query_type HYBRID adds keyword matching to the vector search.",
        InputSchema.object()
            .string("index_name", "The index, catalog.schema.index.")
            .string("query_text", "The text to search for.")
            .numbers("query_vector", "Or a vector to search with (the index's dimension).")
            .strings("columns", "The columns to return.")
            .integer("num_results", "How many rows (default 10, at most 1000).")
            .objectOrString("filters", "Conditions on columns, as an object or its JSON string.")
            .choice("query_type", "ANN (default) or HYBRID.", List.of("ANN", "HYBRID"))
            .required("index_name", "columns"), READ_ONLY, IN_BACKGROUND);
  }

  @Override
  String run(ToolCall call) {
    Args args = call.args();
    String index = args.string("index_name");
    List<String> columns = args.strings("columns");
    if (columns.isEmpty()) {
      throw new ToolFailure("columns is required: the columns to return");
    }
    ObjectNode body = Json.MAPPER.createObjectNode().put("num_results", args.optInt("num_results", 10, 1, 1000))
        .put("query_type", args.choice("query_type", List.of("ANN", "HYBRID"), "ANN"));
    columns.forEach(body.putArray("columns")::add);
    ArrayNode vector = args.optArray("query_vector");
    if (args.has("query_text")) {
      body.put("query_text", args.string("query_text"));
    } else if (vector != null && !vector.isEmpty()) {
      body.set("query_vector", vector);
    } else {
      throw new ToolFailure("query_text or query_vector is required");
    }
    ObjectNode filters = args.optObject("filters");
    if (filters != null) {
      body.put("filters_json", filters.toString());
    }
    JsonNode answer = call.api().post(ManageVsIndexTool.item(index) + "/query", body);
    List<String> names = new ArrayList<>();
    answer.path("manifest").path("columns").forEach(c -> names.add(c.path("name").asText()));
    ArrayNode rows = Json.MAPPER.createArrayNode();
    for (JsonNode values : answer.path("result").path("data_array")) {
      ObjectNode row = rows.addObject();
      for (int i = 0; i < names.size() && i < values.size(); i++) {
        row.set(names.get(i), values.get(i));
      }
    }
    return Json.MAPPER.createObjectNode().put("index_name", index).put("row_count", rows.size()).set("rows", rows).toString();
  }
}
