package dev.mason.databricks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mason.agent.tool.InputSchema;
import dev.mason.agent.tool.ToolFailure;
import dev.mason.web.Json;
import java.nio.file.FileSystems;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * get_table_stats_and_schema: the columns of tables from Unity Catalog and, on request, their
 * statistics computed by SQL on a warehouse (row counts; per column nulls, distinct values, min
 * and max).
 */
final class TableStatsTool extends DatabricksTool {
  private static final List<String> LEVELS = List.of("NONE", "SIMPLE", "DETAILED");
  private static final int MAX_TABLES = 50;
  private static final int MAX_DETAILED_COLUMNS = 50;
  private static final Set<String> ORDERED_TYPES = Set.of("BYTE", "SHORT", "INT", "LONG", "FLOAT", "DOUBLE", "DECIMAL",
      "DATE", "TIMESTAMP", "TIMESTAMP_NTZ", "STRING", "CHAR");

  TableStatsTool(ToolRuntime runtime) {
    super(runtime, "get_table_stats_and_schema",
        "Describes tables of one schema: columns with types and comments from Unity Catalog, and optionally statistics "
            + "computed on a SQL warehouse. table_stat_level NONE gives the schema only; SIMPLE (default) adds row counts; "
            + "DETAILED adds per-column null counts, distinct counts and min/max. table_names takes exact names or globs "
            + "such as 'sales_*'; without it every table of the schema (up to 50) is described.",
        InputSchema.object()
            .string("catalog", "The catalog.")
            .string("schema", "The schema.")
            .strings("table_names", "Table names or glob patterns within the schema; default: all tables.")
            .choice("table_stat_level", "NONE, SIMPLE (default) or DETAILED.", LEVELS)
            .string("warehouse_id", "SQL warehouse for statistics; default: the best available.")
            .required("catalog", "schema"), READ_ONLY, IN_BACKGROUND);
  }

  @Override
  String run(ToolCall call) {
    Args args = call.args();
    String catalog = args.string("catalog");
    String schema = args.string("schema");
    String level = args.choice("table_stat_level", LEVELS, "SIMPLE");
    List<JsonNode> tables = tables(call, catalog, schema, args.strings("table_names"));
    String warehouse = level.equals("NONE") ? null
        : args.has("warehouse_id") ? args.string("warehouse_id") : WarehouseRanking.bestId(call);

    ObjectNode out = Json.MAPPER.createObjectNode().put("catalog", catalog).put("schema", schema).put("table_stat_level", level);
    ArrayNode described = out.putArray("tables");
    for (JsonNode table : tables) {
      ObjectNode entry = describe(table);
      if (warehouse != null) {
        addStats(call, warehouse, table, entry, level.equals("DETAILED"));
      }
      described.add(entry);
    }
    return out.toString();
  }

  private static List<JsonNode> tables(ToolCall call, String catalog, String schema, List<String> names) {
    boolean anyGlob = names.isEmpty() || names.stream().anyMatch(n -> n.contains("*") || n.contains("?") || n.contains("["));
    List<JsonNode> found = new ArrayList<>();
    if (!anyGlob) {
      for (String name : names) {
        found.add(call.api().get("/api/2.1/unity-catalog/tables/" + WorkspaceApi.encodePath(catalog + "." + schema + "." + name)));
      }
      return found;
    }
    List<PathMatcher> matchers = names.stream().map(n -> FileSystems.getDefault().getPathMatcher("glob:" + n.toLowerCase())).toList();
    for (JsonNode table : call.api().collect("/api/2.1/unity-catalog/tables",
        Map.of("catalog_name", catalog, "schema_name", schema, "max_results", 200), "tables", 5_000)) {
      Path name = Path.of(table.path("name").asText().toLowerCase());
      if (matchers.isEmpty() || matchers.stream().anyMatch(m -> m.matches(name))) {
        found.add(table);
      }
    }
    if (found.isEmpty()) {
      throw new ToolFailure("no table in " + catalog + "." + schema + (names.isEmpty() ? "" : " matches " + String.join(", ", names)));
    }
    if (found.size() > MAX_TABLES) {
      throw new ToolFailure(found.size() + " tables match; name at most " + MAX_TABLES + " (use table_names with exact names or a narrower glob)");
    }
    return found;
  }

  private static ObjectNode describe(JsonNode table) {
    ObjectNode entry = Json.MAPPER.createObjectNode()
        .put("name", table.path("name").asText())
        .put("full_name", table.path("full_name").asText())
        .put("table_type", table.path("table_type").asText(null))
        .put("format", table.path("data_source_format").asText(null))
        .put("comment", table.path("comment").asText(null))
        .put("owner", table.path("owner").asText(null));
    ArrayNode columns = entry.putArray("columns");
    for (JsonNode column : table.path("columns")) {
      ObjectNode c = columns.addObject().put("name", column.path("name").asText()).put("type", column.path("type_text").asText());
      if (column.has("comment")) {
        c.put("comment", column.path("comment").asText());
      }
      if (column.has("nullable")) {
        c.put("nullable", column.path("nullable").asBoolean());
      }
    }
    return entry;
  }

  private static void addStats(ToolCall call, String warehouse, JsonNode table, ObjectNode entry, boolean detailed) {
    List<JsonNode> columns = new ArrayList<>();
    table.path("columns").forEach(columns::add);
    if (detailed) {
      columns = columns.subList(0, Math.min(columns.size(), MAX_DETAILED_COLUMNS));
    }
    StringBuilder sql = new StringBuilder("SELECT COUNT(*) AS row_count");
    if (detailed) {
      for (int i = 0; i < columns.size(); i++) {
        String c = SqlNames.quote(columns.get(i).path("name").asText());
        sql.append(", COUNT(").append(c).append(") AS c").append(i).append("_non_null");
        if (ORDERED_TYPES.contains(columns.get(i).path("type_name").asText())) {
          sql.append(", COUNT(DISTINCT ").append(c).append(") AS c").append(i).append("_distinct")
              .append(", MIN(").append(c).append(") AS c").append(i).append("_min")
              .append(", MAX(").append(c).append(") AS c").append(i).append("_max");
        }
      }
    }
    sql.append(" FROM ").append(SqlNames.quote(table.path("catalog_name").asText())).append('.')
        .append(SqlNames.quote(table.path("schema_name").asText())).append('.').append(SqlNames.quote(table.path("name").asText()));
    var request = new StatementRunner.Request(sql.toString(), warehouse, null, null, Map.of("client", "mason", "tool", "get_table_stats_and_schema"));
    StatementOutcome outcome = new StatementRunner(call).run(request, Duration.ofSeconds(ExecuteSqlTool.DEFAULT_TIMEOUT_SECONDS), 1);
    switch (outcome) {
      case StatementOutcome.Succeeded ok when !ok.rows().isEmpty() -> {
        ObjectNode values = (ObjectNode) ResultTable.rowsAsObjects(ok, 1).get(0);
        entry.put("row_count", Long.parseLong(values.path("row_count").asText("0")));
        if (detailed) {
          ArrayNode described = (ArrayNode) entry.get("columns");
          for (int i = 0; i < columns.size(); i++) {
            ObjectNode c = (ObjectNode) described.get(i);
            long nonNull = values.path("c" + i + "_non_null").asLong();
            c.put("null_count", entry.get("row_count").asLong() - nonNull);
            if (values.has("c" + i + "_distinct")) {
              c.put("distinct_count", values.path("c" + i + "_distinct").asLong());
              c.set("min", values.get("c" + i + "_min"));
              c.set("max", values.get("c" + i + "_max"));
            }
          }
        }
      }
      case StatementOutcome.Failed failed -> entry.put("stats_error", failed.category() + ": " + failed.message());
      case StatementOutcome.TimedOut late -> entry.put("stats_error", "statistics timed out and were cancelled");
      default -> entry.put("stats_error", "the statistics query returned no row");
    }
  }
}
