package dev.mason.databricks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mason.agent.tool.InputSchema;
import dev.mason.web.Json;
import java.util.List;

/**
 * manage_uc_security_policies: row filters and column masks on Unity Catalog tables. They are set
 * with SQL (ALTER TABLE ... SET ROW FILTER / ALTER COLUMN ... SET MASK) on a warehouse, and read
 * back from the table's Unity Catalog entry, which shows the filter and each column's mask.
 */
final class ManageUcSecurityPoliciesTool extends ActionTool {
  private static final List<String> ACTIONS = List.of("get", "set_row_filter", "drop_row_filter", "set_column_mask", "drop_column_mask");

  ManageUcSecurityPoliciesTool(ToolRuntime runtime) {
    super(runtime, ACTIONS, "manage_uc_security_policies",
        "Row filters and column masks on a Unity Catalog table, as the user (who must own the table). The filter or mask is "
            + "a SQL function created first with execute_sql, e.g. CREATE FUNCTION main.sec.us_only(region STRING) RETURN "
            + "is_account_group_member('admins') OR region = 'US'. get: the table's row filter and column masks. "
            + "set_row_filter: rows are visible only where function_name(columns...) is true. drop_row_filter: REMOVES the "
            + "filter, so every row becomes visible. set_column_mask: column_name reads as function_name(column_name, "
            + "using_columns...). drop_column_mask: REMOVES the mask, so the raw values become visible.",
        InputSchema.object()
            .action("get, set_row_filter, drop_row_filter, set_column_mask or drop_column_mask.", ACTIONS)
            .string("table_name", "The table, catalog.schema.table.")
            .string("function_name", "For set_row_filter and set_column_mask: the function, catalog.schema.function.")
            .strings("columns", "For set_row_filter: the table columns passed to the function, in order.")
            .string("column_name", "For set_column_mask and drop_column_mask: the masked column.")
            .strings("using_columns", "For set_column_mask: further columns passed to the mask function after the masked one.")
            .string("warehouse_id", "SQL warehouse for the change; default: the best available.")
            .required("table_name"));
  }

  @Override
  String run(ToolCall call, Args args, String action) {
    String tableName = args.string("table_name");
    String table = SqlNames.qualified(tableName, 3, "table_name");
    String sql = switch (action) {
      case "get" -> null;
      case "set_row_filter" -> {
        List<String> columns = args.strings("columns");
        yield "ALTER TABLE " + table + " SET ROW FILTER " + SqlNames.qualified(args.string("function_name", action), 3, "function_name")
            + " ON (" + SqlNames.columns(columns) + ")";
      }
      case "drop_row_filter" -> "ALTER TABLE " + table + " DROP ROW FILTER";
      case "set_column_mask" -> {
        List<String> using = args.strings("using_columns");
        yield "ALTER TABLE " + table + " ALTER COLUMN " + SqlNames.quote(args.string("column_name", action)) + " SET MASK "
            + SqlNames.qualified(args.string("function_name", action), 3, "function_name")
            + (using.isEmpty() ? "" : " USING COLUMNS (" + SqlNames.columns(using) + ")");
      }
      default -> "ALTER TABLE " + table + " ALTER COLUMN " + SqlNames.quote(args.string("column_name", action)) + " DROP MASK";
    };
    if (sql != null) {
      new StatementRunner(call).require(sql, 1);
    }
    ObjectNode out = policies(call.api().get("/api/2.1/unity-catalog/tables/" + WorkspaceApi.encodePath(tableName)));
    if (sql != null) {
      out.put("applied", sql);
    }
    return out.toString();
  }

  /** The filter and masks of a table as its Unity Catalog entry (TableInfo) shows them. */
  private static ObjectNode policies(JsonNode table) {
    ObjectNode out = Json.MAPPER.createObjectNode().put("table_name", table.path("full_name").asText());
    JsonNode filter = table.path("row_filter");
    if (filter.isMissingNode() || filter.isNull()) {
      out.putNull("row_filter");
    } else {
      out.set("row_filter", filter);
    }
    ArrayNode masks = out.putArray("column_masks");
    for (JsonNode column : table.path("columns")) {
      if (column.hasNonNull("mask")) {
        masks.addObject().put("column_name", column.path("name").asText()).set("mask", column.get("mask"));
      }
    }
    return out;
  }
}
