package dev.mason.databricks;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * SQL warehouses and the Statement Execution API. Statements run for real on the fake's
 * PostgreSQL, in the background: the submit answers PENDING, the first poll PENDING, later polls
 * RUNNING until PostgreSQL is done, then SUCCEEDED with the rows split into chunks of
 * {@link #chunkSize} (or FAILED with a Databricks-style error class). Cancel cancels the
 * PostgreSQL statement.
 */
final class FakeStatements {
  private final FakeWorkspace fake;
  private final FakeSqlEngine engine;
  private final Map<String, ObjectNode> warehouses = new ConcurrentHashMap<>();
  private final Map<String, Submitted> statements = new ConcurrentHashMap<>();
  /** The statements PostgreSQL cannot run, answered or rewritten first; set once the catalog exists. */
  volatile FakeGovernedSql governed;
  /** Rows per result chunk; small, so every test exercises several chunks. */
  volatile int chunkSize = 2;

  private static final class Submitted {
    final String id = "01f0" + UUID.randomUUID().toString().replace("-", "").substring(0, 28);
    final String user;
    final AtomicInteger polls = new AtomicInteger();
    final CompletableFuture<FakeSqlEngine.Result> result = new CompletableFuture<>();
    final Long rowLimit;
    volatile Statement jdbc;
    volatile boolean cancelled;

    Submitted(String user, Long rowLimit) {
      this.user = user;
      this.rowLimit = rowLimit;
    }
  }

  FakeStatements(FakeWorkspace fake, FakeSqlEngine engine) {
    this.fake = fake;
    this.engine = engine;
  }

  /** Adds a warehouse as the list API shows it; {@code state} RUNNING, STOPPED, STARTING, ... */
  ObjectNode addWarehouse(String id, String name, String state, String creator) {
    ObjectNode warehouse = FakeWorkspace.object()
        .put("id", id).put("name", name).put("state", state).put("cluster_size", "2X-Small")
        .put("creator_name", creator).put("enable_serverless_compute", true).put("warehouse_type", "PRO")
        .put("num_clusters", 1).put("auto_stop_mins", 10);
    warehouses.put(id, warehouse);
    return warehouse;
  }

  void removeWarehouse(String id) {
    warehouses.remove(id);
  }

  FakeSqlEngine sqlEngine() {
    return engine;
  }

  /** Whether a statement of this fake is still executing in PostgreSQL. */
  boolean anyRunning() {
    return statements.values().stream().anyMatch(s -> !s.result.isDone());
  }

  void addTo(RoutesConfig routes) {
    routes.get("/api/2.0/sql/warehouses", ctx -> {
      ObjectNode body = FakeWorkspace.object();
      ArrayNode list = body.putArray("warehouses");
      warehouses.values().stream().sorted((a, b) -> a.path("id").asText().compareTo(b.path("id").asText())).forEach(list::add);
      ctx.json(body);
    });
    routes.get("/api/2.0/sql/warehouses/{id}", ctx -> ctx.json(warehouse(ctx.pathParam("id"))));
    routes.post("/api/2.0/sql/warehouses", this::createWarehouse);
    routes.post("/api/2.0/sql/warehouses/{id}/edit", ctx -> {
      ObjectNode warehouse = warehouse(ctx.pathParam("id"));
      ObjectNode edit = FakeWorkspace.body(ctx);
      if (!edit.hasNonNull("name") || !edit.hasNonNull("cluster_size")) {
        throw FakeError.invalid("An edit replaces the warehouse: name and cluster_size are required.");
      }
      edit.properties().forEach(e -> warehouse.set(e.getKey(), e.getValue()));
      ctx.json(FakeWorkspace.object());
    });
    routes.delete("/api/2.0/sql/warehouses/{id}", ctx -> {
      warehouse(ctx.pathParam("id"));
      warehouses.remove(ctx.pathParam("id"));
      ctx.json(FakeWorkspace.object());
    });
    routes.post("/api/2.0/sql/statements", this::submit);
    routes.get("/api/2.0/sql/statements/{id}", this::poll);
    routes.get("/api/2.0/sql/statements/{id}/result/chunks/{n}", this::chunk);
    routes.post("/api/2.0/sql/statements/{id}/cancel", this::cancel);
  }

  /** warehouses create (CreateWarehouseRequest): the new warehouse starts, answering {@code {"id"}}. */
  private void createWarehouse(Context ctx) {
    ObjectNode request = FakeWorkspace.body(ctx);
    if (!request.hasNonNull("name")) {
      throw FakeError.invalid("name is required");
    }
    if (request.path("enable_serverless_compute").asBoolean() && !request.path("warehouse_type").asText("PRO").equals("PRO")) {
      throw FakeError.invalid("Serverless warehouses must be of type PRO.");
    }
    String id = UUID.randomUUID().toString().replace("-", "").substring(0, 16);
    ObjectNode warehouse = request.deepCopy().put("id", id).put("state", "STARTING").put("creator_name", fake.user(ctx)).put("num_clusters", 0);
    warehouses.put(id, warehouse);
    ctx.json(FakeWorkspace.object().put("id", id));
  }

  private ObjectNode warehouse(String id) {
    ObjectNode warehouse = warehouses.get(id);
    if (warehouse == null) {
      throw FakeError.notFound("SQL warehouse " + id + " does not exist.");
    }
    return warehouse;
  }

  private void submit(Context ctx) {
    ObjectNode request = FakeWorkspace.body(ctx);
    String sql = request.path("statement").asText("");
    if (sql.isBlank()) {
      throw FakeError.invalid("statement is required");
    }
    warehouse(request.path("warehouse_id").asText());
    Submitted statement = new Submitted(fake.user(ctx), request.has("row_limit") ? request.get("row_limit").asLong() : null);
    String catalog = request.path("catalog").asText(null);
    String schema = request.path("schema").asText(null);
    statements.put(statement.id, statement);
    Thread.ofVirtual().name("fake-sql-" + statement.id).start(() -> execute(statement, catalog, schema, sql));
    ObjectNode body = FakeWorkspace.object().put("statement_id", statement.id);
    body.putObject("status").put("state", "PENDING");
    ctx.json(body);
  }

  private void execute(Submitted statement, String catalog, String schema, String sql) {
    if (catalog != null && !catalog.equals(engine.catalog())) {
      statement.result.completeExceptionally(new SQLException("Catalog '" + catalog + "' was not found.", "3D000"));
      return;
    }
    try (Connection connection = engine.connect(schema); Statement jdbc = connection.createStatement()) {
      statement.jdbc = jdbc;
      if (statement.cancelled) {
        throw new SQLException("canceling statement due to user request", "57014");
      }
      Optional<String> translated = governed == null ? Optional.of(sql) : governed.translate(sql);
      statement.result.complete(translated.isEmpty() ? new FakeSqlEngine.Result(List.of(), List.of())
          : FakeSqlEngine.run(jdbc, translated.get()));
    } catch (SQLException e) {
      statement.result.completeExceptionally(e);
    }
  }

  private Submitted find(Context ctx) {
    Submitted statement = statements.get(ctx.pathParam("id"));
    if (statement == null || !statement.user.equals(fake.user(ctx))) {
      throw FakeError.notFound("Statement " + ctx.pathParam("id") + " not found.");
    }
    return statement;
  }

  private void poll(Context ctx) {
    Submitted statement = find(ctx);
    int poll = statement.polls.incrementAndGet();
    ObjectNode body = FakeWorkspace.object().put("statement_id", statement.id);
    ObjectNode status = body.putObject("status");
    if (statement.cancelled) {
      status.put("state", "CANCELED");
    } else if (poll == 1) {
      status.put("state", "PENDING");
    } else if (poll == 2 || !statement.result.isDone()) {
      status.put("state", "RUNNING");
    } else if (statement.result.isCompletedExceptionally()) {
      SQLException failure = failure(statement);
      status.put("state", "FAILED");
      status.putObject("error").put("error_code", "BAD_REQUEST").put("message", databricksMessage(failure));
    } else {
      status.put("state", "SUCCEEDED");
      FakeSqlEngine.Result result = statement.result.join();
      List<List<String>> rows = limited(statement, result);
      ObjectNode manifest = body.putObject("manifest").put("format", "JSON_ARRAY");
      ObjectNode schema = manifest.putObject("schema").put("column_count", result.columns().size());
      ArrayNode columns = schema.putArray("columns");
      for (int i = 0; i < result.columns().size(); i++) {
        var column = result.columns().get(i);
        columns.addObject().put("name", column.name()).put("type_text", column.typeText())
            .put("type_name", column.typeName()).put("position", i);
      }
      int chunkCount = (rows.size() + chunkSize - 1) / chunkSize;
      manifest.put("total_chunk_count", chunkCount).put("total_row_count", rows.size())
          .put("truncated", rows.size() < result.rows().size());
      ArrayNode chunks = manifest.putArray("chunks");
      for (int n = 0; n < chunkCount; n++) {
        chunks.addObject().put("chunk_index", n).put("row_offset", (long) n * chunkSize)
            .put("row_count", Math.min(chunkSize, rows.size() - n * chunkSize));
      }
      body.set("result", chunkBody(statement, rows, 0));
    }
    ctx.json(body);
  }

  private void chunk(Context ctx) {
    Submitted statement = find(ctx);
    if (!statement.result.isDone() || statement.result.isCompletedExceptionally()) {
      throw new FakeError(400, "BAD_REQUEST", "Statement " + statement.id + " has no result to fetch.");
    }
    List<List<String>> rows = limited(statement, statement.result.join());
    int n = Integer.parseInt(ctx.pathParam("n"));
    if (n < 0 || (long) n * chunkSize >= Math.max(rows.size(), 1)) {
      throw FakeError.invalid("Chunk index " + n + " is out of range.");
    }
    ctx.json(chunkBody(statement, rows, n));
  }

  private ObjectNode chunkBody(Submitted statement, List<List<String>> rows, int n) {
    int from = n * chunkSize;
    int to = Math.min(rows.size(), from + chunkSize);
    ObjectNode chunk = FakeWorkspace.object().put("chunk_index", n).put("row_offset", from).put("row_count", to - from);
    if (to > from) {
      ArrayNode data = chunk.putArray("data_array");
      for (List<String> row : rows.subList(from, to)) {
        ArrayNode values = data.addArray();
        row.forEach(values::add);
      }
    }
    if (to < rows.size()) {
      chunk.put("next_chunk_index", n + 1)
          .put("next_chunk_internal_link", "/api/2.0/sql/statements/" + statement.id + "/result/chunks/" + (n + 1));
    }
    return chunk;
  }

  private static List<List<String>> limited(Submitted statement, FakeSqlEngine.Result result) {
    if (statement.rowLimit == null || result.rows().size() <= statement.rowLimit) {
      return result.rows();
    }
    return result.rows().subList(0, statement.rowLimit.intValue());
  }

  private void cancel(Context ctx) {
    Submitted statement = find(ctx);
    statement.cancelled = true;
    Statement jdbc = statement.jdbc;
    if (jdbc != null) {
      try {
        jdbc.cancel();
      } catch (SQLException e) {
        // Already finished: nothing to cancel.
      }
    }
    ctx.json(FakeWorkspace.object());
  }

  private static SQLException failure(Submitted statement) {
    try {
      statement.result.join();
      throw new IllegalStateException("not failed");
    } catch (CompletionException e) {
      return (SQLException) e.getCause();
    }
  }

  /** PostgreSQL's error, dressed as the Databricks error class a warehouse would report. */
  static String databricksMessage(SQLException e) {
    String state = e.getSQLState() == null ? "" : e.getSQLState();
    String message = e.getMessage().lines().findFirst().orElse("");
    String errorClass = switch (state) {
      case "42P01", "0A000" -> "TABLE_OR_VIEW_NOT_FOUND";
      case "3F000" -> "SCHEMA_NOT_FOUND";
      case "3D000" -> "NO_SUCH_CATALOG_EXCEPTION";
      case "42703" -> "UNRESOLVED_COLUMN.WITH_SUGGESTION";
      case "42601" -> "PARSE_SYNTAX_ERROR";
      case "42501" -> "INSUFFICIENT_PERMISSIONS";
      case "22012" -> "DIVIDE_BY_ZERO";
      case "57014" -> "OPERATION_CANCELED";
      default -> "INTERNAL_ERROR";
    };
    return "[" + errorClass + "] " + message.replaceFirst("^ERROR: ", "") + " SQLSTATE: " + state;
  }
}
