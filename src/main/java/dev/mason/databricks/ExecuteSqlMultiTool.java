package dev.mason.databricks;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mason.agent.tool.InputSchema;
import dev.mason.web.Json;
import java.time.Duration;
import java.util.List;

/**
 * execute_sql_multi: a script of statements, run one after another (later statements usually
 * depend on earlier ones), each reported with its status, timing, sample rows and, on failure,
 * an error category and a suggestion.
 */
final class ExecuteSqlMultiTool extends DatabricksTool {
  private static final int SQL_PREVIEW_CHARS = 200;

  ExecuteSqlMultiTool(ToolRuntime runtime) {
    super(runtime, "execute_sql_multi",
        "Runs a SQL script of several statements separated by semicolons, in order, on a SQL warehouse as the user. "
            + "Semicolons inside strings, quoted identifiers and comments do not split. Reports per statement: status, "
            + "time, row count, sample rows, and for failures an error category (MISSING_TABLE, MISSING_COLUMN, "
            + "SYNTAX_ERROR, PERMISSION_ERROR, TIMEOUT_ERROR, WAREHOUSE_ERROR, GENERAL_ERROR) with a suggestion. "
            + "By default it stops at the first failure and marks the rest SKIPPED.",
        InputSchema.object()
            .string("sql_content", "The SQL script: statements separated by semicolons.")
            .string("warehouse_id", "SQL warehouse id; default: the best available.")
            .string("catalog", "Default catalog for unqualified names.")
            .string("schema", "Default schema for unqualified names.")
            .integer("timeout", "Seconds each statement may run before it is cancelled (default 180, at most 3600).")
            .integer("sample_rows", "Rows shown per statement (default 5, at most 50).")
            .bool("stop_on_error", "Stop at the first failed statement (default true).")
            .freeObject("query_tags", "Tags for the query history, as {\"key\": \"value\"} pairs.")
            .required("sql_content"));
  }

  @Override
  String run(ToolCall call) {
    Args args = call.args();
    List<String> statements = SqlScript.split(args.string("sql_content"));
    if (statements.isEmpty()) {
      throw new ToolFailure("sql_content holds no statement (only whitespace or comments)");
    }
    int timeout = args.optInt("timeout", ExecuteSqlTool.DEFAULT_TIMEOUT_SECONDS, 1, 3600);
    int sampleRows = args.optInt("sample_rows", 5, 0, 50);
    boolean stopOnError = args.optBool("stop_on_error", true);
    String warehouse = args.has("warehouse_id") ? args.string("warehouse_id") : WarehouseRanking.bestId(call);
    var tags = ExecuteSqlTool.tags(args, name());
    var runner = new StatementRunner(call);

    ObjectNode out = Json.MAPPER.createObjectNode().put("warehouse_id", warehouse).put("statements", statements.size());
    ArrayNode results = Json.MAPPER.createArrayNode();
    int succeeded = 0;
    int failed = 0;
    boolean skipping = false;
    for (int i = 0; i < statements.size(); i++) {
      String sql = statements.get(i);
      ObjectNode entry = results.addObject().put("index", i + 1).put("sql", preview(sql));
      if (skipping) {
        entry.put("status", "SKIPPED");
        continue;
      }
      var request = new StatementRunner.Request(sql, warehouse, args.optString("catalog", null), args.optString("schema", null), tags);
      StatementOutcome outcome = runner.run(request, Duration.ofSeconds(timeout), Math.max(sampleRows, 1));
      entry.put("elapsed_ms", outcome.elapsed().toMillis()).put("statement_id", outcome.statementId());
      switch (outcome) {
        case StatementOutcome.Succeeded ok -> {
          succeeded++;
          entry.put("status", "SUCCEEDED");
          if (!ok.columns().isEmpty()) {
            ArrayNode columns = entry.putArray("columns");
            ok.columns().forEach(c -> columns.add(c.name()));
            entry.put("rows_shown", Math.min(sampleRows, ok.rows().size())).put("more_rows", ok.truncated() || ok.rows().size() > sampleRows);
            entry.set("sample_rows", ResultTable.rowsAsObjects(ok, sampleRows));
          }
        }
        case StatementOutcome.Failed bad -> {
          failed++;
          entry.put("status", "FAILED").put("error", bad.message()).put("error_category", bad.category().name())
              .put("suggestion", bad.category().suggestion);
          skipping = stopOnError;
        }
        case StatementOutcome.TimedOut late -> {
          failed++;
          entry.put("status", "TIMEOUT").put("error", ExecuteSqlTool.timeoutText(late, timeout))
              .put("error_category", SqlErrorCategory.TIMEOUT_ERROR.name()).put("suggestion", SqlErrorCategory.TIMEOUT_ERROR.suggestion);
          skipping = stopOnError;
        }
      }
    }
    out.put("succeeded", succeeded).put("failed", failed).put("skipped", statements.size() - succeeded - failed);
    out.set("results", results);
    return out.toString();
  }

  private static String preview(String sql) {
    String flat = sql.replaceAll("\\s+", " ");
    return flat.length() <= SQL_PREVIEW_CHARS ? flat : flat.substring(0, SQL_PREVIEW_CHARS) + "…";
  }
}
