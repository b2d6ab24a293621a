package dev.mason.databricks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;

/**
 * Unity Catalog: catalogs, schemas, tables, volumes, functions and grants. The catalog of the SQL
 * engine is live: its schemas and tables are PostgreSQL's, so a table made with execute_sql is
 * listed here, and a schema created here can hold tables. Other catalogs, volumes, functions and
 * grants are kept in memory.
 */
final class FakeCatalog {
  private static final String UC = "/api/2.1/unity-catalog";
  private final FakeWorkspace fake;
  private final FakeSqlEngine engine;
  private final Map<String, ObjectNode> catalogs = new ConcurrentSkipListMap<>();
  private final Map<String, ObjectNode> schemas = new ConcurrentSkipListMap<>();
  private final Map<String, ObjectNode> volumes = new ConcurrentSkipListMap<>();
  private final Map<String, ObjectNode> functions = new ConcurrentSkipListMap<>();
  /** Row filters by table full name, as TableInfo.row_filter shows them (set through SQL, see FakeGovernedSql). */
  final Map<String, ObjectNode> rowFilters = new ConcurrentHashMap<>();
  /** Column masks by table full name, then column name, as ColumnInfo.mask shows them. */
  final Map<String, Map<String, ObjectNode>> columnMasks = new ConcurrentHashMap<>();
  /** Metric views by full name: their YAML definitions. */
  final Map<String, String> metricViews = new ConcurrentSkipListMap<>();
  /** "type/full_name" to principal to privileges. */
  private final Map<String, Map<String, Set<String>>> grants = new ConcurrentHashMap<>();

  FakeCatalog(FakeWorkspace fake, FakeSqlEngine engine) {
    this.fake = fake;
    this.engine = engine;
    catalogs.put(engine.catalog(), FakeWorkspace.object().put("name", engine.catalog()).put("owner", "admins")
        .put("catalog_type", "MANAGED_CATALOG").put("comment", "Main catalog").put("created_at", 1_700_000_000_000L));
  }

  void addTo(RoutesConfig routes) {
    routes.get(UC + "/catalogs", ctx -> ctx.json(page("catalogs", new ArrayList<>(catalogs.values()))));
    routes.get(UC + "/catalogs/{name}", ctx -> ctx.json(catalog(ctx.pathParam("name"))));
    routes.post(UC + "/catalogs", this::createCatalog);
    routes.patch(UC + "/catalogs/{name}", ctx -> ctx.json(update(catalog(ctx.pathParam("name")), FakeWorkspace.body(ctx))));
    routes.delete(UC + "/catalogs/{name}", ctx -> {
      catalog(ctx.pathParam("name"));
      catalogs.remove(ctx.pathParam("name"));
      ctx.json(FakeWorkspace.object());
    });

    routes.get(UC + "/schemas", ctx -> ctx.json(page("schemas", schemasOf(required(ctx, "catalog_name")))));
    routes.get(UC + "/schemas/{full}", ctx -> ctx.json(schema(ctx.pathParam("full"))));
    routes.post(UC + "/schemas", this::createSchema);
    routes.patch(UC + "/schemas/{full}", ctx -> ctx.json(update(schema(ctx.pathParam("full")), FakeWorkspace.body(ctx))));
    routes.delete(UC + "/schemas/{full}", this::deleteSchema);

    routes.get(UC + "/tables", ctx -> ctx.json(page("tables", tablesOf(required(ctx, "catalog_name"), required(ctx, "schema_name")))));
    routes.get(UC + "/tables/{full}", ctx -> ctx.json(table(ctx.pathParam("full"))));
    routes.patch(UC + "/tables/{full}", ctx -> ctx.json(update(table(ctx.pathParam("full")), FakeWorkspace.body(ctx))));
    routes.delete(UC + "/tables/{full}", ctx -> {
      String[] parts = parts(ctx.pathParam("full"), 3, "TABLE_DOES_NOT_EXIST");
      table(ctx.pathParam("full"));
      engine.setUp("DROP TABLE \"" + parts[1] + "\".\"" + parts[2] + "\"");
      ctx.json(FakeWorkspace.object());
    });

    routes.get(UC + "/volumes", ctx -> ctx.json(page("volumes", inSchema(volumes, required(ctx, "catalog_name"), required(ctx, "schema_name")))));
    routes.get(UC + "/volumes/{full}", ctx -> ctx.json(volume(ctx.pathParam("full"))));
    routes.post(UC + "/volumes", this::createVolume);
    routes.patch(UC + "/volumes/{full}", ctx -> ctx.json(update(volume(ctx.pathParam("full")), FakeWorkspace.body(ctx))));
    routes.delete(UC + "/volumes/{full}", ctx -> {
      volume(ctx.pathParam("full"));
      volumes.remove(ctx.pathParam("full"));
      ctx.json(FakeWorkspace.object());
    });

    routes.get(UC + "/functions", ctx -> ctx.json(page("functions", inSchema(functions, required(ctx, "catalog_name"), required(ctx, "schema_name")))));
    routes.get(UC + "/functions/{full}", ctx -> ctx.json(function(ctx.pathParam("full"))));
    routes.patch(UC + "/functions/{full}", ctx -> ctx.json(update(function(ctx.pathParam("full")), FakeWorkspace.body(ctx))));
    routes.delete(UC + "/functions/{full}", ctx -> {
      function(ctx.pathParam("full"));
      functions.remove(ctx.pathParam("full"));
      ctx.json(FakeWorkspace.object());
    });

    routes.get(UC + "/permissions/{type}/{full}", ctx -> ctx.json(permissions(ctx, false)));
    routes.get(UC + "/effective-permissions/{type}/{full}", ctx -> ctx.json(permissions(ctx, true)));
    routes.patch(UC + "/permissions/{type}/{full}", this::changePermissions);
  }

  /** Deletes a catalog as someone else would, outside the tools. */
  void dropCatalog(String name) {
    catalogs.remove(name);
  }

  /** A function as UC lists it (functions are created with SQL on a real workspace). */
  void addFunction(String catalog, String schema, String name, String dataType) {
    String full = catalog + "." + schema + "." + name;
    functions.put(full, FakeWorkspace.object().put("name", name).put("catalog_name", catalog).put("schema_name", schema)
        .put("full_name", full).put("data_type", dataType).put("full_data_type", dataType.toLowerCase())
        .put("routine_body", "SQL").put("owner", "admins"));
  }

  private static String required(Context ctx, String name) {
    String value = ctx.queryParam(name);
    if (value == null || value.isBlank()) {
      throw FakeError.invalid(name + " is required");
    }
    return value;
  }

  private static ObjectNode page(String field, List<? extends JsonNode> items) {
    ObjectNode body = FakeWorkspace.object();
    body.putArray(field).addAll(items);
    return body;
  }

  private ObjectNode catalog(String name) {
    ObjectNode catalog = catalogs.get(name);
    if (catalog == null) {
      throw new FakeError(404, "CATALOG_DOES_NOT_EXIST", "Catalog '" + name + "' does not exist.");
    }
    return catalog;
  }

  private void createCatalog(Context ctx) {
    ObjectNode body = FakeWorkspace.body(ctx);
    String name = body.path("name").asText();
    if (catalogs.containsKey(name)) {
      throw new FakeError(409, "CATALOG_ALREADY_EXISTS", "Catalog '" + name + "' already exists.");
    }
    ObjectNode catalog = FakeWorkspace.object().put("name", name).put("owner", fake.user(ctx)).put("catalog_type", "MANAGED_CATALOG")
        .put("comment", body.path("comment").asText(null)).put("created_at", System.currentTimeMillis()).put("created_by", fake.user(ctx));
    catalogs.put(name, catalog);
    ctx.json(catalog);
  }

  private List<ObjectNode> schemasOf(String catalog) {
    catalog(catalog);
    if (!catalog.equals(engine.catalog())) {
      return schemas.values().stream().filter(s -> s.path("catalog_name").asText().equals(catalog)).toList();
    }
    return engine.query("SELECT schema_name FROM information_schema.schemata WHERE schema_name NOT LIKE 'pg\\_%' "
        + "AND schema_name NOT IN ('information_schema', 'public') ORDER BY schema_name").stream()
        .map(row -> schemaNode(catalog, row.getFirst())).toList();
  }

  private ObjectNode schemaNode(String catalog, String name) {
    ObjectNode known = schemas.get(catalog + "." + name);
    return known != null ? known : FakeWorkspace.object().put("name", name).put("catalog_name", catalog)
        .put("full_name", catalog + "." + name).put("owner", "admins");
  }

  private ObjectNode schema(String full) {
    String[] parts = parts(full, 2, "SCHEMA_DOES_NOT_EXIST");
    return schemasOf(parts[0]).stream().filter(s -> s.path("name").asText().equals(parts[1])).findFirst()
        .orElseThrow(() -> new FakeError(404, "SCHEMA_DOES_NOT_EXIST", "Schema '" + full + "' does not exist."));
  }

  private void createSchema(Context ctx) {
    ObjectNode body = FakeWorkspace.body(ctx);
    String catalog = body.path("catalog_name").asText();
    String name = body.path("name").asText();
    catalog(catalog);
    if (schemasOf(catalog).stream().anyMatch(s -> s.path("name").asText().equals(name))) {
      throw new FakeError(409, "SCHEMA_ALREADY_EXISTS", "Schema '" + catalog + "." + name + "' already exists.");
    }
    if (catalog.equals(engine.catalog())) {
      engine.setUp("CREATE SCHEMA \"" + name.replace("\"", "") + "\"");
    }
    ObjectNode schema = FakeWorkspace.object().put("name", name).put("catalog_name", catalog).put("full_name", catalog + "." + name)
        .put("owner", fake.user(ctx)).put("comment", body.path("comment").asText(null)).put("created_at", System.currentTimeMillis());
    schemas.put(catalog + "." + name, schema);
    ctx.json(schema);
  }

  private void deleteSchema(Context ctx) {
    String full = ctx.pathParam("full");
    schema(full);
    String[] parts = parts(full, 2, "SCHEMA_DOES_NOT_EXIST");
    if (parts[0].equals(engine.catalog())) {
      boolean force = "true".equals(ctx.queryParam("force"));
      if (!force && !tablesOf(parts[0], parts[1]).isEmpty()) {
        throw new FakeError(400, "SCHEMA_NOT_EMPTY", "Schema '" + full + "' is not empty.");
      }
      engine.setUp("DROP SCHEMA \"" + parts[1] + "\" CASCADE");
    }
    schemas.remove(full);
    ctx.json(FakeWorkspace.object());
  }

  private List<ObjectNode> tablesOf(String catalog, String schema) {
    schema(catalog + "." + schema);
    if (!catalog.equals(engine.catalog())) {
      return List.of();
    }
    List<ObjectNode> tables = new ArrayList<>(engine.query(
            "SELECT table_name, table_type FROM information_schema.tables WHERE table_schema = ? ORDER BY table_name", schema)
        .stream().map(row -> tableNode(catalog, schema, row.get(0), row.get(1))).toList());
    String prefix = catalog + "." + schema + ".";
    metricViews.forEach((full, yaml) -> {
      if (full.startsWith(prefix)) {
        tables.add(FakeWorkspace.object().put("name", full.substring(prefix.length())).put("catalog_name", catalog)
            .put("schema_name", schema).put("full_name", full).put("table_type", "METRIC_VIEW").put("view_definition", yaml)
            .put("owner", "admins"));
      }
    });
    return tables;
  }

  /** Whether {@code full} (catalog.schema.table) is a table or view of the SQL catalog. */
  boolean tableExists(String full) {
    try {
      table(full);
      return true;
    } catch (FakeError e) {
      return false;
    }
  }

  private ObjectNode tableNode(String catalog, String schema, String name, String type) {
    String full = catalog + "." + schema + "." + name;
    ObjectNode table = FakeWorkspace.object().put("name", name).put("catalog_name", catalog).put("schema_name", schema)
        .put("full_name", full).put("table_type", type.equals("VIEW") ? "VIEW" : "MANAGED")
        .put("data_source_format", "DELTA").put("owner", "admins").put("created_at", 1_700_000_000_000L);
    ArrayNode columns = table.putArray("columns");
    for (List<String> column : engine.query("SELECT column_name, udt_name, is_nullable, ordinal_position FROM information_schema.columns "
        + "WHERE table_schema = ? AND table_name = ? ORDER BY ordinal_position", schema, name)) {
      String typeName = FakeSqlEngine.databricksType(column.get(1));
      columns.addObject().put("name", column.get(0)).put("type_name", typeName)
          .put("type_text", typeName.equals("LONG") ? "bigint" : typeName.toLowerCase())
          .put("position", Integer.parseInt(column.get(3)) - 1).put("nullable", column.get(2).equals("YES"));
    }
    if (rowFilters.containsKey(full)) {
      table.set("row_filter", rowFilters.get(full));
    }
    columnMasks.getOrDefault(full, Map.of()).forEach((column, mask) -> {
      for (var c : columns) {
        if (c.path("name").asText().equals(column)) {
          ((ObjectNode) c).set("mask", mask);
        }
      }
    });
    return table;
  }

  private ObjectNode table(String full) {
    String[] parts = parts(full, 3, "TABLE_DOES_NOT_EXIST");
    List<ObjectNode> tables;
    try {
      tables = tablesOf(parts[0], parts[1]);
    } catch (FakeError e) {
      throw new FakeError(404, "TABLE_DOES_NOT_EXIST", "Table '" + full + "' does not exist.");
    }
    return tables.stream().filter(t -> t.path("name").asText().equals(parts[2])).findFirst()
        .orElseThrow(() -> new FakeError(404, "TABLE_DOES_NOT_EXIST", "Table '" + full + "' does not exist."));
  }

  private List<ObjectNode> inSchema(Map<String, ObjectNode> objects, String catalog, String schema) {
    schema(catalog + "." + schema);
    return objects.values().stream()
        .filter(o -> o.path("catalog_name").asText().equals(catalog) && o.path("schema_name").asText().equals(schema)).toList();
  }

  private ObjectNode volume(String full) {
    ObjectNode volume = volumes.get(full);
    if (volume == null) {
      throw new FakeError(404, "VOLUME_DOES_NOT_EXIST", "Volume '" + full + "' does not exist.");
    }
    return volume;
  }

  private void createVolume(Context ctx) {
    ObjectNode body = FakeWorkspace.body(ctx);
    String catalog = body.path("catalog_name").asText();
    String schema = body.path("schema_name").asText();
    String name = body.path("name").asText();
    schema(catalog + "." + schema);
    String full = catalog + "." + schema + "." + name;
    if (volumes.containsKey(full)) {
      throw new FakeError(409, "VOLUME_ALREADY_EXISTS", "Volume '" + full + "' already exists.");
    }
    ObjectNode volume = FakeWorkspace.object().put("name", name).put("catalog_name", catalog).put("schema_name", schema)
        .put("full_name", full).put("volume_type", body.path("volume_type").asText("MANAGED"))
        .put("storage_location", "s3://fake-bucket/volumes/" + full.replace('.', '/'))
        .put("owner", fake.user(ctx)).put("comment", body.path("comment").asText(null))
        .put("volume_id", UUID.randomUUID().toString());
    volumes.put(full, volume);
    fake.volumes.mkdirs("/Volumes/" + catalog + "/" + schema + "/" + name);
    ctx.json(volume);
  }

  private ObjectNode function(String full) {
    ObjectNode function = functions.get(full);
    if (function == null) {
      throw new FakeError(404, "FUNCTION_DOES_NOT_EXIST", "Function '" + full + "' does not exist.");
    }
    return function;
  }

  /** Applies the fields UC PATCH endpoints accept: new_name is not renamed here, the rest are set. */
  private static ObjectNode update(ObjectNode object, ObjectNode changes) {
    changes.properties().forEach(e -> {
      if (!e.getKey().equals("new_name")) {
        object.set(e.getKey(), e.getValue());
      }
    });
    return object;
  }

  private static String[] parts(String full, int count, String code) {
    String[] parts = full.split("\\.");
    if (parts.length != count) {
      throw new FakeError(404, code, "'" + full + "' is not a " + count + "-part name.");
    }
    return parts;
  }

  private ObjectNode permissions(Context ctx, boolean effective) {
    String type = ctx.pathParam("type");
    String full = ctx.pathParam("full");
    exists(type, full);
    String principal = ctx.queryParam("principal");
    ObjectNode body = FakeWorkspace.object();
    ArrayNode assignments = body.putArray("privilege_assignments");
    Map<String, Map<String, Set<String>>> sources = new LinkedHashMap<>();
    sources.put(type + "/" + full, grants.getOrDefault(type + "/" + full, Map.of()));
    if (effective) {
      String[] parts = full.split("\\.");
      if (parts.length >= 2) {
        sources.put("catalog/" + parts[0], grants.getOrDefault("catalog/" + parts[0], Map.of()));
      }
      if (parts.length == 3) {
        sources.put("schema/" + parts[0] + "." + parts[1], grants.getOrDefault("schema/" + parts[0] + "." + parts[1], Map.of()));
      }
    }
    Map<String, ArrayNode> byPrincipal = new TreeMap<>();
    sources.forEach((source, granted) -> granted.forEach((who, privileges) -> {
      if (principal != null && !principal.equals(who)) {
        return;
      }
      ArrayNode list = byPrincipal.computeIfAbsent(who, k -> FakeWorkspace.object().arrayNode());
      for (String privilege : new TreeSet<>(privileges)) {
        if (effective) {
          ObjectNode p = list.addObject().put("privilege", privilege);
          if (!source.equals(type + "/" + full)) {
            p.put("inherited_from_type", source.substring(0, source.indexOf('/')).toUpperCase())
                .put("inherited_from_name", source.substring(source.indexOf('/') + 1));
          }
        } else {
          list.add(privilege);
        }
      }
    }));
    byPrincipal.forEach((who, privileges) -> assignments.addObject().put("principal", who).set("privileges", privileges));
    return body;
  }

  private void changePermissions(Context ctx) {
    String type = ctx.pathParam("type");
    String full = ctx.pathParam("full");
    exists(type, full);
    Map<String, Set<String>> granted = grants.computeIfAbsent(type + "/" + full, k -> new ConcurrentHashMap<>());
    for (JsonNode change : FakeWorkspace.body(ctx).path("changes")) {
      Set<String> privileges = granted.computeIfAbsent(change.path("principal").asText(), k -> ConcurrentHashMap.newKeySet());
      change.path("add").forEach(p -> privileges.add(p.asText()));
      change.path("remove").forEach(p -> privileges.remove(p.asText()));
    }
    granted.values().removeIf(Set::isEmpty);
    ctx.json(permissions(ctx, false));
  }

  private void exists(String type, String full) {
    switch (type) {
      case "catalog" -> catalog(full);
      case "schema" -> schema(full);
      case "table" -> table(full);
      case "volume" -> volume(full);
      case "function" -> function(full);
      default -> throw FakeError.invalid("Unsupported securable type " + type);
    }
  }
}
