package dev.mason.databricks;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mason.agent.tool.InputSchema;
import dev.mason.agent.tool.ToolFailure;
import dev.mason.web.Json;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * execute_sql_multi: a script of statements, split into groups that do not depend on each other
 * ({@link SqlGroups}); the groups run one after another, the statements of a group at the same
 * time on up to {@code max_workers} threads. Each statement is reported with its group, status,
 * timing, sample rows and, on failure, an error category and a suggestion.
 */
final class ExecuteSqlMultiTool extends DatabricksTool {
  private static final int SQL_PREVIEW_CHARS = 200;
  private static final int DEFAULT_WORKERS = 4;
  private static final int MAX_WORKERS = 16;

  ExecuteSqlMultiTool(ToolRuntime runtime) {
    super(runtime, "execute_sql_multi",
        "Runs a SQL script of several statements separated by semicolons on a SQL warehouse as the user. Statements "
            + "are split into groups that do not depend on each other (a statement waits for every earlier one that writes "
            + "a table it names, or that it writes; USE, SET and other statements of unknown effect wait for all before "
            + "them); groups run in order, the statements of a group in parallel, up to max_workers at once. Semicolons "
            + "inside strings, quoted identifiers and comments do not split. Reports per statement: group, status, time, "
            + "row count, sample rows, and for failures an error category (MISSING_TABLE, MISSING_COLUMN, SYNTAX_ERROR, "
            + "PERMISSION_ERROR, TIMEOUT_ERROR, WAREHOUSE_ERROR, GENERAL_ERROR) with a suggestion. By default a failure "
            + "stops the script after its group and marks the later groups SKIPPED.",
        InputSchema.object()
            .string("sql_content", "The SQL script: statements separated by semicolons.")
            .string("warehouse_id", "SQL warehouse id; default: the best available.")
            .string("catalog", "Default catalog for unqualified names.")
            .string("schema", "Default schema for unqualified names.")
            .integer("timeout", "Seconds each statement may run before it is cancelled (default 180, at most 3600).")
            .integer("sample_rows", "Rows shown per statement (default 5, at most 50).")
            .integer("max_workers", "Statements of one group run at the same time (default 4, at most 16).")
            .bool("stop_on_error", "Skip the later groups once a statement fails (default true).")
            .freeObject("query_tags", "Tags for the query history, as {\"key\": \"value\"} pairs.")
            .required("sql_content"));
  }

  @Override
  String run(ToolCall call) throws InterruptedException {
    Args args = call.args();
    List<String> statements = SqlScript.split(args.string("sql_content"));
    if (statements.isEmpty()) {
      throw new ToolFailure("sql_content holds no statement (only whitespace or comments)");
    }
    int timeout = args.optInt("timeout", ExecuteSqlTool.DEFAULT_TIMEOUT_SECONDS, 1, 3600);
    int sampleRows = args.optInt("sample_rows", 5, 0, 50);
    int maxWorkers = args.optInt("max_workers", DEFAULT_WORKERS, 1, MAX_WORKERS);
    boolean stopOnError = args.optBool("stop_on_error", true);
    String warehouse = args.has("warehouse_id") ? args.string("warehouse_id") : WarehouseRanking.bestId(call);
    var tags = ExecuteSqlTool.tags(args, name());
    var runner = new StatementRunner(call);
    int[] groups = SqlGroups.of(statements);
    int groupCount = Arrays.stream(groups).max().orElse(0) + 1;

    ObjectNode[] entries = new ObjectNode[statements.size()];
    boolean skipping = false;
    try (ExecutorService workers = Executors.newFixedThreadPool(maxWorkers, Thread.ofVirtual().name("execute-sql-multi-", 0).factory())) {
      for (int group = 0; group < groupCount; group++) {
        Map<Integer, Future<ObjectNode>> running = new LinkedHashMap<>();
        for (int i = 0; i < statements.size(); i++) {
          if (groups[i] != group) {
            continue;
          }
          String sql = statements.get(i);
          if (skipping) {
            entries[i] = entry(i, group, sql).put("status", "SKIPPED");
            continue;
          }
          var request = new StatementRunner.Request(sql, warehouse, args.optString("catalog", null), args.optString("schema", null), tags);
          int index = i;
          int inGroup = group;
          running.put(i, workers.submit(() -> report(entry(index, inGroup, sql),
              runner.run(request, Duration.ofSeconds(timeout), Math.max(sampleRows, 1)), sampleRows, timeout)));
        }
        for (var statement : running.entrySet()) {
          entries[statement.getKey()] = outcome(statement.getValue());
          skipping |= stopOnError && !entries[statement.getKey()].path("status").asText().equals("SUCCEEDED");
        }
      }
    }
    ArrayNode results = Json.MAPPER.createArrayNode();
    int succeeded = 0;
    int skipped = 0;
    for (ObjectNode entry : entries) {
      results.add(entry);
      succeeded += entry.path("status").asText().equals("SUCCEEDED") ? 1 : 0;
      skipped += entry.path("status").asText().equals("SKIPPED") ? 1 : 0;
    }
    ObjectNode out = Json.MAPPER.createObjectNode().put("warehouse_id", warehouse).put("statements", statements.size())
        .put("groups", groupCount).put("max_workers", maxWorkers)
        .put("succeeded", succeeded).put("failed", statements.size() - succeeded - skipped).put("skipped", skipped);
    out.set("results", results);
    return out.toString();
  }

  /** A statement's result; a worker's failure (a stopped run, a workspace error) is the call's failure. */
  private static ObjectNode outcome(Future<ObjectNode> future) throws InterruptedException {
    try {
      return future.get();
    } catch (ExecutionException e) {
      if (e.getCause() instanceof RuntimeException failure) {
        throw failure;
      }
      throw new IllegalStateException(e.getCause());
    }
  }

  private static ObjectNode entry(int index, int group, String sql) {
    return Json.MAPPER.createObjectNode().put("index", index + 1).put("group", group + 1).put("sql", preview(sql));
  }

  private static ObjectNode report(ObjectNode entry, StatementOutcome outcome, int sampleRows, int timeout) {
    entry.put("elapsed_ms", outcome.elapsed().toMillis()).put("statement_id", outcome.statementId());
    switch (outcome) {
      case StatementOutcome.Succeeded ok -> {
        entry.put("status", "SUCCEEDED");
        if (!ok.columns().isEmpty()) {
          ArrayNode columns = entry.putArray("columns");
          ok.columns().forEach(c -> columns.add(c.name()));
          entry.put("rows_shown", Math.min(sampleRows, ok.rows().size())).put("more_rows", ok.truncated() || ok.rows().size() > sampleRows);
          entry.set("sample_rows", ResultTable.rowsAsObjects(ok, sampleRows));
        }
      }
      case StatementOutcome.Failed bad -> entry.put("status", "FAILED").put("error", bad.message())
          .put("error_category", bad.category().name()).put("suggestion", bad.category().suggestion);
      case StatementOutcome.TimedOut late -> entry.put("status", "TIMEOUT").put("error", ExecuteSqlTool.timeoutText(late, timeout))
          .put("error_category", SqlErrorCategory.TIMEOUT_ERROR.name()).put("suggestion", SqlErrorCategory.TIMEOUT_ERROR.suggestion);
    }
    return entry;
  }

  private static String preview(String sql) {
    String flat = sql.replaceAll("\\s+", " ");
    return flat.length() <= SQL_PREVIEW_CHARS ? flat : flat.substring(0, SQL_PREVIEW_CHARS) + "…";
  }
}
