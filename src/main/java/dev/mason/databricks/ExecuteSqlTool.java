package dev.mason.databricks;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mason.agent.tool.InputSchema;
import dev.mason.agent.tool.ToolFailure;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** execute_sql: one statement on a SQL warehouse, as the caller. */
final class ExecuteSqlTool extends DatabricksTool {
  static final int DEFAULT_TIMEOUT_SECONDS = 180;
  static final int DEFAULT_MAX_ROWS = 1000;

  ExecuteSqlTool(ToolRuntime runtime) {
    super(runtime, "execute_sql",
        "Runs one SQL statement on a Databricks SQL warehouse as the user and returns the result as a markdown table "
            + "(or JSON on request). Without warehouse_id the best available warehouse is used (see manage_warehouse). "
            + "Results longer than max_rows are cut and say so. A statement still running at the timeout is cancelled; "
            + "it may already have had effects. For several statements use execute_sql_multi.",
        InputSchema.object()
            .string("sql_query", "The SQL statement (Databricks SQL). Use catalog.schema.table names or set catalog and schema.")
            .string("warehouse_id", "SQL warehouse id; default: the best available (running shared first).")
            .string("catalog", "Default catalog for unqualified table names.")
            .string("schema", "Default schema for unqualified table names.")
            .integer("timeout", "Seconds to wait before cancelling the statement (default 180, at most 3600).")
            .integer("max_rows", "Most rows to return (default 1000, at most 10000).")
            .choice("output_format", "markdown (default, compact) or json (objects keyed by column).", List.of("markdown", "json"))
            .freeObject("query_tags", "Tags for the query history, as {\"key\": \"value\"} pairs.")
            .required("sql_query"));
  }

  @Override
  String run(ToolCall call) {
    Args args = call.args();
    String sql = args.string("sql_query");
    int timeout = args.optInt("timeout", DEFAULT_TIMEOUT_SECONDS, 1, 3600);
    int maxRows = args.optInt("max_rows", DEFAULT_MAX_ROWS, 1, 10_000);
    String format = args.choice("output_format", List.of("markdown", "json"), "markdown");
    String warehouse = args.has("warehouse_id") ? args.string("warehouse_id") : WarehouseRanking.bestId(call);
    var request = new StatementRunner.Request(sql, warehouse, args.optString("catalog", null), args.optString("schema", null),
        tags(args, name()));
    StatementOutcome outcome = new StatementRunner(call).run(request, Duration.ofSeconds(timeout), maxRows);
    return switch (outcome) {
      case StatementOutcome.Succeeded ok -> format.equals("json") ? ResultTable.json(ok, maxRows) : ResultTable.markdown(ok, maxRows);
      case StatementOutcome.Failed failed -> throw new ToolFailure(failureText(failed));
      case StatementOutcome.TimedOut timedOut -> throw new ToolFailure(timeoutText(timedOut, timeout));
    };
  }

  /** The caller's tags plus which tool ran the statement, so the query history shows Mason's queries. */
  static Map<String, String> tags(Args args, String tool) {
    Map<String, String> tags = new LinkedHashMap<>();
    tags.put("client", "mason");
    tags.put("tool", tool);
    ObjectNode given = args.optObject("query_tags");
    if (given != null) {
      given.properties().forEach(e -> tags.put(e.getKey(), e.getValue().asText()));
    }
    return tags;
  }

  static String failureText(StatementOutcome.Failed failed) {
    SqlErrorCategory category = failed.category();
    return "SQL " + failed.state() + " (" + category + "): " + failed.message() + "\nSuggestion: " + category.suggestion
        + "\nstatement_id: " + failed.statementId();
  }

  static String timeoutText(StatementOutcome.TimedOut timedOut, int timeoutSeconds) {
    return "TIMEOUT_ERROR: the statement did not finish within " + timeoutSeconds + " s and a cancel was sent (statement_id "
        + timedOut.statementId() + "). It may already have had effects (rows written, tables created): check before "
        + "running it again. For long work raise timeout, or run it as a job.";
  }
}
