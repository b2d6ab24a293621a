package dev.mason.databricks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mason.web.Json;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;

/**
 * Mosaic AI Vector Search: endpoints (EndpointInfo, ONLINE at once) and indexes (VectorIndex).
 * A Delta Sync index copies its source table's rows from the fake's PostgreSQL on create and on
 * sync; a Direct Access index takes rows through upsert-data ({@code inputs_json}, a string) and
 * delete-data. A query scores rows by the share of the query's words found in the embedded text
 * column (or by dot product with a query vector), applies equality filters from
 * {@code filters_json}, and answers the requested columns plus {@code score}, as
 * QueryVectorIndexResponse does.
 *
 * <p>Thread-safe: state is in concurrent maps.
 */
final class FakeVectorSearch {
  private static final String INDEXES = "/api/2.0/vector-search/indexes";
  private final FakeWorkspace fake;
  private final FakeSqlEngine engine;
  final FakeCollection endpoints;
  private final Map<String, ObjectNode> indexes = new ConcurrentSkipListMap<>();
  private final Map<String, Map<String, ObjectNode>> rows = new ConcurrentHashMap<>();

  FakeVectorSearch(FakeWorkspace fake, FakeSqlEngine engine) {
    this.fake = fake;
    this.engine = engine;
    endpoints = new FakeCollection("/api/2.0/vector-search/endpoints", "endpoints", "name", "Vector search endpoint")
        .onCreate((ctx, e) -> {
          e.put("id", UUID.randomUUID().toString()).put("creator", fake.user(ctx)).put("creation_timestamp", System.currentTimeMillis())
              .put("num_indexes", 0).putObject("endpoint_status").put("state", "ONLINE").put("message", "Endpoint is online");
        });
  }

  void addTo(RoutesConfig routes) {
    endpoints.addTo(routes);
    routes.post(INDEXES, this::create);
    routes.get(INDEXES, ctx -> {
      String endpoint = ctx.queryParam("endpoint_name");
      endpoints.get(endpoint);
      ObjectNode body = FakeWorkspace.object();
      ArrayNode list = body.putArray("vector_indexes");
      indexes.values().stream().filter(i -> i.path("endpoint_name").asText().equals(endpoint)).forEach(i -> list.addObject()
          .put("name", i.path("name").asText()).put("endpoint_name", endpoint).put("index_type", i.path("index_type").asText())
          .put("primary_key", i.path("primary_key").asText()).put("creator", i.path("creator").asText()));
      ctx.json(body);
    });
    routes.get(INDEXES + "/{name}", ctx -> ctx.json(index(ctx.pathParam("name"))));
    routes.delete(INDEXES + "/{name}", ctx -> {
      ObjectNode index = index(ctx.pathParam("name"));
      indexes.remove(ctx.pathParam("name"));
      rows.remove(ctx.pathParam("name"));
      ObjectNode endpoint = endpoints.get(index.path("endpoint_name").asText());
      endpoint.put("num_indexes", endpoint.path("num_indexes").asInt() - 1);
      ctx.json(FakeWorkspace.object());
    });
    routes.post(INDEXES + "/{name}/sync", ctx -> {
      ObjectNode index = index(ctx.pathParam("name"));
      if (!index.path("index_type").asText().equals("DELTA_SYNC")) {
        throw FakeError.invalid("Sync is only supported for Delta Sync indexes.");
      }
      load(index);
      ctx.json(FakeWorkspace.object());
    });
    routes.post(INDEXES + "/{name}/query", this::query);
    routes.post(INDEXES + "/{name}/upsert-data", this::upsert);
    routes.delete(INDEXES + "/{name}/delete-data", ctx -> {
      directAccess(ctx.pathParam("name"));
      List<String> keys = ctx.queryParams("primary_keys");
      keys.forEach(rows.get(ctx.pathParam("name"))::remove);
      ObjectNode body = FakeWorkspace.object().put("status", "SUCCESS");
      body.putObject("result").put("success_row_count", keys.size()).putArray("failed_primary_keys");
      refreshCount(index(ctx.pathParam("name")));
      ctx.json(body);
    });
    routes.post(INDEXES + "/{name}/scan", this::scan);
  }

  private void create(Context ctx) {
    ObjectNode request = FakeWorkspace.body(ctx);
    String name = request.path("name").asText();
    ObjectNode endpoint = endpoints.get(request.path("endpoint_name").asText());
    if (name.split("\\.").length != 3) {
      throw FakeError.invalid("Index name must be a three-part name catalog.schema.index.");
    }
    if (indexes.containsKey(name)) {
      throw FakeError.exists("Index " + name + " already exists.");
    }
    request.put("creator", fake.user(ctx)).put("endpoint_id", endpoint.path("id").asText());
    if (request.path("index_type").asText().equals("DELTA_SYNC")) {
      String source = request.path("delta_sync_index_spec").path("source_table").asText();
      if (!fake.catalog.tableExists(source)) {
        throw new FakeError(404, "TABLE_DOES_NOT_EXIST", "Table '" + source + "' does not exist.");
      }
    }
    request.putObject("status").put("ready", true).put("indexed_row_count", 0).put("message", "Index is ready")
        .put("index_url", fake.url() + "/" + name);
    indexes.put(name, request);
    rows.put(name, new ConcurrentSkipListMap<>());
    endpoint.put("num_indexes", endpoint.path("num_indexes").asInt() + 1);
    if (request.path("index_type").asText().equals("DELTA_SYNC")) {
      load(request);
    }
    ctx.json(request);
  }

  /** A Delta Sync index's rows, read again from its source table. */
  private void load(ObjectNode index) {
    String[] source = index.path("delta_sync_index_spec").path("source_table").asText().split("\\.");
    Map<String, ObjectNode> copied = rows.get(index.path("name").asText());
    copied.clear();
    for (List<String> row : engine.query("SELECT row_to_json(t)::text FROM \"" + source[1] + "\".\"" + source[2] + "\" t")) {
      ObjectNode json = (ObjectNode) parse(row.getFirst());
      copied.put(json.path(index.path("primary_key").asText()).asText(), json);
    }
    refreshCount(index);
  }

  private void refreshCount(ObjectNode index) {
    ((ObjectNode) index.get("status")).put("indexed_row_count", rows.get(index.path("name").asText()).size());
  }

  boolean hasIndex(String name) {
    return indexes.containsKey(name);
  }

  private ObjectNode index(String name) {
    ObjectNode index = indexes.get(name);
    if (index == null) {
      throw FakeError.notFound("Vector index " + name + " does not exist.");
    }
    return index;
  }

  private ObjectNode directAccess(String name) {
    ObjectNode index = index(name);
    if (!index.path("index_type").asText().equals("DIRECT_ACCESS")) {
      throw FakeError.invalid("Data can only be written to Direct Access indexes.");
    }
    return index;
  }

  private void upsert(Context ctx) {
    ObjectNode index = directAccess(ctx.pathParam("name"));
    JsonNode inputs = FakeWorkspace.body(ctx).get("inputs_json");
    if (inputs == null || !inputs.isTextual()) {
      throw FakeError.invalid("inputs_json must be a JSON string.");
    }
    String key = index.path("primary_key").asText();
    int count = 0;
    for (JsonNode row : parse(inputs.asText())) {
      if (!row.has(key)) {
        throw FakeError.invalid("Row without primary key " + key + ": " + row);
      }
      rows.get(ctx.pathParam("name")).put(row.get(key).asText(), (ObjectNode) row);
      count++;
    }
    refreshCount(index);
    ObjectNode body = FakeWorkspace.object().put("status", "SUCCESS");
    body.putObject("result").put("success_row_count", count).putArray("failed_primary_keys");
    ctx.json(body);
  }

  private void query(Context ctx) {
    ObjectNode index = index(ctx.pathParam("name"));
    ObjectNode request = FakeWorkspace.body(ctx);
    List<String> columns = FakeWorkspace.list(request.path("columns")).stream().map(JsonNode::asText).toList();
    if (columns.isEmpty()) {
      throw FakeError.invalid("columns is required");
    }
    JsonNode filters = request.has("filters_json") ? parse(request.path("filters_json").asText()) : FakeWorkspace.object();
    String textColumn = spec(index).path("embedding_source_columns").path(0).path("name").asText(null);
    String vectorColumn = spec(index).path("embedding_vector_columns").path(0).path("name").asText(null);
    List<String> words = List.of(request.path("query_text").asText("").toLowerCase(Locale.ROOT).split("\\W+"));
    record Scored(ObjectNode row, double score) {}
    List<Scored> scored = new ArrayList<>();
    for (ObjectNode row : rows.get(index.path("name").asText()).values()) {
      boolean kept = true;
      for (var filter : filters.properties()) {
        kept &= row.path(filter.getKey()).asText().equals(filter.getValue().asText());
      }
      if (!kept) {
        continue;
      }
      double score;
      if (request.has("query_vector") && vectorColumn != null) {
        score = 0;
        for (int i = 0; i < request.path("query_vector").size(); i++) {
          score += request.path("query_vector").get(i).asDouble() * row.path(vectorColumn).path(i).asDouble();
        }
      } else {
        String text = row.path(textColumn == null ? "" : textColumn).asText("").toLowerCase(Locale.ROOT);
        score = words.stream().filter(w -> !w.isEmpty() && text.contains(w)).count() / (double) Math.max(1, words.size());
      }
      scored.add(new Scored(row, score));
    }
    scored.sort(Comparator.comparingDouble(Scored::score).reversed());
    ObjectNode body = FakeWorkspace.object();
    ObjectNode manifest = body.putObject("manifest").put("column_count", columns.size() + 1);
    ArrayNode described = manifest.putArray("columns");
    columns.forEach(c -> described.addObject().put("name", c));
    described.addObject().put("name", "score");
    ArrayNode data = body.putObject("result").putArray("data_array");
    scored.stream().limit(request.path("num_results").asInt(10)).forEach(s -> {
      ArrayNode values = data.addArray();
      columns.forEach(c -> values.add(s.row().path(c)));
      values.add(s.score());
    });
    ((ObjectNode) body.get("result")).put("row_count", data.size());
    ctx.json(body);
  }

  private void scan(Context ctx) {
    index(ctx.pathParam("name"));
    ObjectNode request = FakeWorkspace.body(ctx);
    String after = request.path("last_primary_key").asText(null);
    ObjectNode body = FakeWorkspace.object();
    ArrayNode data = body.putArray("data");
    String last = null;
    for (var entry : rows.get(ctx.pathParam("name")).entrySet()) {
      if ((after != null && entry.getKey().compareTo(after) <= 0) || data.size() >= request.path("num_results").asInt(20)) {
        continue;
      }
      ArrayNode fields = data.addObject().putArray("fields");
      entry.getValue().properties().forEach(f -> fields.addObject().put("key", f.getKey()).set("value", value(f.getValue())));
      last = entry.getKey();
    }
    if (last != null) {
      body.put("last_primary_key", last);
    }
    ctx.json(body);
  }

  /** A plain JSON value as the API's Value message. */
  private static ObjectNode value(JsonNode plain) {
    ObjectNode value = FakeWorkspace.object();
    if (plain.isNumber()) {
      return value.put("number_value", plain.asDouble());
    }
    if (plain.isBoolean()) {
      return value.put("bool_value", plain.asBoolean());
    }
    if (plain.isArray()) {
      ArrayNode values = value.putObject("list_value").putArray("values");
      plain.forEach(v -> values.add(value(v)));
      return value;
    }
    return value.put("string_value", plain.asText());
  }

  private static JsonNode spec(ObjectNode index) {
    return index.has("delta_sync_index_spec") ? index.get("delta_sync_index_spec") : index.path("direct_access_index_spec");
  }

  private static JsonNode parse(String json) {
    try {
      return Json.MAPPER.readTree(json);
    } catch (IOException e) {
      throw FakeError.invalid("Malformed JSON: " + e.getMessage());
    }
  }
}
