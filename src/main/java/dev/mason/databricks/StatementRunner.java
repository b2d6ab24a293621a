package dev.mason.databricks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mason.agent.tool.ToolFailure;
import dev.mason.web.Json;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Runs SQL through the Statement Execution API: submits with {@code wait_timeout=0s}, polls until
 * the statement is final or the timeout passes (then cancels it), and reads every result chunk up
 * to the row limit.
 */
final class StatementRunner {
  private static final Set<String> FINAL = Set.of("SUCCEEDED", "FAILED", "CANCELED", "CLOSED");
  private static final String PATH = "/api/2.0/sql/statements";

  /**
   * @param catalog default catalog for unqualified names, or null
   * @param schema default schema, or null
   * @param tags query tags, shown in the query history
   */
  record Request(String sql, String warehouseId, String catalog, String schema, Map<String, String> tags) {}

  private final ToolCall call;

  StatementRunner(ToolCall call) {
    this.call = call;
  }

  StatementOutcome run(Request request, Duration timeout, int maxRows) {
    Instant started = Instant.now();
    ObjectNode body = Json.MAPPER.createObjectNode()
        .put("statement", request.sql())
        .put("warehouse_id", request.warehouseId())
        .put("wait_timeout", "0s")
        .put("on_wait_timeout", "CONTINUE")
        .put("disposition", "INLINE")
        .put("format", "JSON_ARRAY")
        .put("row_limit", maxRows);
    if (request.catalog() != null) {
      body.put("catalog", request.catalog());
    }
    if (request.schema() != null) {
      body.put("schema", request.schema());
    }
    ArrayNode tags = body.putArray("query_tags");
    request.tags().forEach((key, value) -> tags.addObject().put("key", key).put("value", value));

    JsonNode submitted = call.api().post(PATH, body);
    String id = submitted.path("statement_id").asText();
    Optional<JsonNode> done;
    try {
      done = isFinal(submitted) ? Optional.of(submitted) : call.polling().until(timeout, () -> {
        JsonNode status = call.api().get(PATH + "/" + id);
        return isFinal(status) ? status : null;
      });
    } catch (Polling.Cancelled e) {
      cancelQuietly(id);
      throw e;
    }
    if (done.isEmpty()) {
      cancelQuietly(id);
      return new StatementOutcome.TimedOut(id, Duration.between(started, Instant.now()));
    }
    JsonNode statement = done.get();
    String state = statement.path("status").path("state").asText();
    if (!state.equals("SUCCEEDED")) {
      JsonNode error = statement.path("status").path("error");
      String message = error.path("message").asText(state.equals("CANCELED") ? "the statement was cancelled" : "no error message");
      return new StatementOutcome.Failed(id, state, message, Duration.between(started, Instant.now()));
    }
    return succeeded(id, statement, maxRows, started);
  }

  /**
   * Runs a statement a tool composed itself (DDL, a metric view query) on the warehouse the call
   * names or the best one; a failure or timeout is the tool's failure, naming the statement.
   */
  StatementOutcome.Succeeded require(String sql, int maxRows) {
    Args args = call.args();
    String warehouse = args.has("warehouse_id") ? args.string("warehouse_id") : WarehouseRanking.bestId(call);
    StatementOutcome outcome = run(new Request(sql, warehouse, null, null, Map.of()), Duration.ofSeconds(ExecuteSqlTool.DEFAULT_TIMEOUT_SECONDS), maxRows);
    return switch (outcome) {
      case StatementOutcome.Succeeded ok -> ok;
      case StatementOutcome.Failed bad -> throw new ToolFailure("the statement failed: " + bad.message() + "\nStatement: " + sql
          + "\nSuggestion: " + bad.category().suggestion);
      case StatementOutcome.TimedOut late -> throw new ToolFailure(ExecuteSqlTool.timeoutText(late, ExecuteSqlTool.DEFAULT_TIMEOUT_SECONDS)
          + "\nStatement: " + sql);
    };
  }

  private StatementOutcome.Succeeded succeeded(String id, JsonNode statement, int maxRows, Instant started) {
    JsonNode manifest = statement.path("manifest");
    List<StatementOutcome.Column> columns = new ArrayList<>();
    for (JsonNode column : manifest.path("schema").path("columns")) {
      columns.add(new StatementOutcome.Column(column.path("name").asText(), column.path("type_text").asText(column.path("type_name").asText())));
    }
    List<List<String>> rows = new ArrayList<>();
    JsonNode chunk = statement.path("result");
    boolean more = false;
    while (!chunk.isMissingNode()) {
      for (JsonNode row : chunk.path("data_array")) {
        if (rows.size() >= maxRows) {
          more = true;
          break;
        }
        List<String> values = new ArrayList<>(row.size());
        row.forEach(v -> values.add(v.isNull() ? null : v.asText()));
        rows.add(values);
      }
      if (more || !chunk.has("next_chunk_index") || rows.size() >= maxRows) {
        more |= chunk.has("next_chunk_index");
        break;
      }
      chunk = call.api().get(PATH + "/" + id + "/result/chunks/" + chunk.get("next_chunk_index").asInt());
    }
    boolean truncated = more || manifest.path("truncated").asBoolean(false);
    return new StatementOutcome.Succeeded(id, columns, rows, truncated, Duration.between(started, Instant.now()));
  }

  private static boolean isFinal(JsonNode statement) {
    return FINAL.contains(statement.path("status").path("state").asText());
  }

  /** Best effort: a statement that already ended cannot be cancelled, and that is fine. */
  private void cancelQuietly(String id) {
    try {
      call.api().post(PATH + "/" + id + "/cancel", Json.MAPPER.createObjectNode());
    } catch (WorkspaceException e) {
      // Reported through the outcome; the cancel itself is advisory.
    }
  }
}
