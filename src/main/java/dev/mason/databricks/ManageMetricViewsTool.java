package dev.mason.databricks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mason.agent.tool.InputSchema;
import dev.mason.agent.tool.ToolFailure;
import dev.mason.web.Json;
import java.util.List;

/**
 * manage_metric_views: Unity Catalog metric views (dimensions and measures over a source table,
 * defined in YAML). They exist only through SQL: CREATE VIEW ... WITH METRICS LANGUAGE YAML, read
 * with MEASURE(); Unity Catalog lists them as tables of type METRIC_VIEW.
 */
final class ManageMetricViewsTool extends ActionTool {
  private static final List<String> ACTIONS = List.of("create", "alter", "get", "list", "query", "drop");

  ManageMetricViewsTool(ToolRuntime runtime) {
    super(runtime, ACTIONS, "manage_metric_views",
        "Unity Catalog metric views, as the user, through SQL on a warehouse. create: CREATE OR REPLACE VIEW full_name WITH "
            + "METRICS from a YAML definition (version: 1.1, source: catalog.schema.table, dimensions: [{name, expr}], "
            + "measures: [{name, expr: SUM(amount)}], optional filter and joins); recorded in the project's resources. "
            + "alter: replace the definition. get: its definition and columns. list: metric views of catalog.schema. query: "
            + "the measures by the dimensions asked for (SELECT dims, MEASURE(m) ... GROUP BY ALL). drop: DESTROYS the view.",
        InputSchema.object()
            .action("create, alter, get, list, query or drop.", ACTIONS)
            .string("full_name", "The metric view, catalog.schema.name (all actions but list).")
            .string("yaml", "For create and alter: the YAML definition.")
            .string("comment", "For create: a description.")
            .string("catalog_name", "For list.")
            .string("schema_name", "For list.")
            .strings("dimensions", "For query: the dimensions to group by.")
            .strings("measures", "For query: the measures to compute.")
            .string("where", "For query: an optional SQL condition on dimensions.")
            .integer("limit", "For query: most rows (default 100, at most 1000).")
            .string("warehouse_id", "SQL warehouse; default: the best available."));
  }

  @Override
  String run(ToolCall call, Args args, String action) {
    if (action.equals("list")) {
      return list(call, args.string("catalog_name", action), args.string("schema_name", action));
    }
    String fullName = args.string("full_name", action);
    String view = SqlNames.qualified(fullName, 3, "full_name");
    StatementRunner sql = new StatementRunner(call);
    return switch (action) {
      case "create", "alter" -> {
        String yaml = args.string("yaml", action);
        if (yaml.contains("$$")) {
          throw new ToolFailure("yaml must not contain $$ (it delimits the definition)");
        }
        sql.require("CREATE OR REPLACE VIEW " + view + (args.has("comment") ? " COMMENT " + SqlNames.literal(args.string("comment")) : "")
            + " WITH METRICS LANGUAGE YAML AS $$\n" + yaml.strip() + "\n$$", 1);
        if (action.equals("create")) {
          call.track("metric_view", fullName, fullName, call.link("/explore/data/" + fullName.replace('.', '/')));
        }
        yield Json.MAPPER.createObjectNode().put(action.equals("create") ? "created" : "altered", fullName).toString();
      }
      case "get" -> {
        JsonNode table = call.api().get("/api/2.1/unity-catalog/tables/" + WorkspaceApi.encodePath(fullName));
        ObjectNode out = Json.MAPPER.createObjectNode().put("full_name", fullName).put("table_type", table.path("table_type").asText())
            .put("owner", table.path("owner").asText(null)).put("comment", table.path("comment").asText(null))
            .put("yaml", table.path("view_definition").asText(null));
        ArrayNode columns = out.putArray("columns");
        table.path("columns").forEach(c -> columns.addObject().put("name", c.path("name").asText()).put("type", c.path("type_text").asText()));
        yield out.toString();
      }
      case "query" -> query(args, sql, view);
      default -> {
        sql.require("DROP VIEW IF EXISTS " + view, 1);
        call.untrack("metric_view", fullName);
        yield Json.MAPPER.createObjectNode().put("dropped", fullName).toString();
      }
    };
  }

  private static String list(ToolCall call, String catalog, String schema) {
    ArrayNode views = Json.MAPPER.createArrayNode();
    for (JsonNode table : call.api().collect("/api/2.1/unity-catalog/tables", ToolCall.query("catalog_name", catalog,
        "schema_name", schema, "max_results", 1000), "tables", 10_000)) {
      if (table.path("table_type").asText().equals("METRIC_VIEW")) {
        views.addObject().put("full_name", table.path("full_name").asText()).put("comment", table.path("comment").asText(null));
      }
    }
    return Json.MAPPER.createObjectNode().put("count", views.size()).set("metric_views", views).toString();
  }

  private static String query(Args args, StatementRunner sql, String view) {
    List<String> dimensions = args.strings("dimensions");
    List<String> measures = args.strings("measures");
    if (measures.isEmpty()) {
      throw new ToolFailure("measures is required for action query: the measures to compute");
    }
    StringBuilder select = new StringBuilder("SELECT ");
    dimensions.forEach(d -> select.append(SqlNames.quote(d)).append(", "));
    select.append(String.join(", ", measures.stream().map(m -> "MEASURE(" + SqlNames.quote(m) + ") AS " + SqlNames.quote(m)).toList()))
        .append(" FROM ").append(view);
    if (args.has("where")) {
      select.append(" WHERE ").append(args.string("where"));
    }
    if (!dimensions.isEmpty()) {
      select.append(" GROUP BY ALL");
    }
    int limit = args.optInt("limit", 100, 1, 1000);
    select.append(" LIMIT ").append(limit);
    StatementOutcome.Succeeded result = sql.require(select.toString(), limit);
    ObjectNode out = Json.MAPPER.createObjectNode().put("sql", select.toString()).put("row_count", result.rows().size());
    out.set("rows", ResultTable.rowsAsObjects(result, limit));
    return out.toString();
  }
}
