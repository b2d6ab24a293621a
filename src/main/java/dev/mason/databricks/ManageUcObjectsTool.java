package dev.mason.databricks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mason.agent.tool.InputSchema;
import dev.mason.agent.tool.ToolFailure;
import dev.mason.web.Json;
import java.util.List;
import java.util.Map;

/** manage_uc_objects: Unity Catalog catalogs, schemas, volumes, tables and functions. */
final class ManageUcObjectsTool extends ActionTool {
  private static final List<String> ACTIONS = List.of("list", "get", "create", "update", "delete");
  private static final List<String> TYPES = List.of("catalog", "schema", "volume", "table", "function");
  private static final String UC = "/api/2.1/unity-catalog";

  ManageUcObjectsTool(ToolRuntime runtime) {
    super(runtime, ACTIONS, "manage_uc_objects",
        "Unity Catalog objects, as the user (Unity Catalog applies the user's own privileges). list: catalogs; schemas of "
            + "catalog_name; volumes, tables or functions of catalog_name.schema_name. get: one object by full_name. create: "
            + "a catalog, schema or volume (tables and functions are created with SQL through execute_sql); created objects "
            + "are recorded in the project's resources. update: comment, owner, new_name or properties (tables and functions: "
            + "owner only). delete: DESTROYS it (force also destroys what a catalog or schema holds).",
        InputSchema.object()
            .action("list, get, create, update or delete.", ACTIONS)
            .choice("object_type", "catalog, schema, volume, table or function.", TYPES)
            .string("full_name", "catalog, catalog.schema or catalog.schema.name: for get, update and delete.")
            .string("name", "For create: the new object's own name.")
            .string("catalog_name", "For list and create of schemas, volumes, tables and functions.")
            .string("schema_name", "For list and create of volumes, tables and functions.")
            .string("comment", "For create and update.")
            .string("owner", "For update: the new owner (a user, group or service principal).")
            .string("new_name", "For update: rename to this.")
            .choice("volume_type", "For create of a volume: MANAGED (default) or EXTERNAL.", List.of("MANAGED", "EXTERNAL"))
            .string("storage_location", "For create of an EXTERNAL volume, or a catalog's managed storage root.")
            .freeObject("properties", "For create and update of catalogs and schemas: key/value properties.")
            .bool("force", "For delete of a catalog or schema that still holds objects (default false).")
            .integer("max_results", "For list: most objects (default 100, at most 1000).")
            .required("object_type"));
  }

  @Override
  String run(ToolCall call, Args args, String action) {
    String type = args.choice("object_type", TYPES, null);
    String collection = UC + "/" + (type.equals("catalog") ? "catalogs" : type + "s");
    return switch (action) {
      case "list" -> list(call, args, type, collection);
      case "get" -> call.api().get(collection + "/" + WorkspaceApi.encodePath(args.string("full_name", action))).toString();
      case "create" -> create(call, args, type, collection);
      case "update" -> update(call, args, type, collection);
      default -> {
        String fullName = args.string("full_name", action);
        boolean force = args.optBool("force", false);
        call.api().delete(collection + "/" + WorkspaceApi.encodePath(fullName),
            ToolCall.query("force", force && (type.equals("catalog") || type.equals("schema")) ? "true" : null));
        call.untrack(type, fullName);
        yield Json.MAPPER.createObjectNode().put("deleted", fullName).put("object_type", type).toString();
      }
    };
  }

  private static String list(ToolCall call, Args args, String type, String collection) {
    int limit = args.optInt("max_results", 100, 1, 1000);
    Map<String, Object> query = switch (type) {
      case "catalog" -> ToolCall.query("max_results", Math.min(limit, 1000));
      case "schema" -> ToolCall.query("catalog_name", args.string("catalog_name", "list of schemas"), "max_results", limit);
      default -> ToolCall.query("catalog_name", args.string("catalog_name", "list of " + type + "s"),
          "schema_name", args.string("schema_name", "list of " + type + "s"), "max_results", limit);
    };
    String field = type.equals("catalog") ? "catalogs" : type + "s";
    ArrayNode items = Json.MAPPER.createArrayNode();
    for (JsonNode object : call.api().collect(collection, query, field, limit)) {
      ObjectNode item = items.addObject()
          .put("full_name", object.path("full_name").asText(object.path("name").asText()))
          .put("owner", object.path("owner").asText(null));
      for (String extra : List.of("table_type", "volume_type", "data_type", "catalog_type")) {
        if (object.has(extra)) {
          item.put(extra, object.path(extra).asText());
        }
      }
      if (object.hasNonNull("comment")) {
        item.put("comment", object.path("comment").asText());
      }
    }
    return Json.MAPPER.createObjectNode().put("object_type", type).put("count", items.size()).set(field, items).toString();
  }

  private static String create(ToolCall call, Args args, String type, String collection) {
    if (type.equals("table") || type.equals("function")) {
      throw new ToolFailure("create " + type + "s with SQL through execute_sql (CREATE " + type.toUpperCase()
          + " catalog.schema.name ...); Unity Catalog's API does not create them");
    }
    String name = args.string("name", "create");
    ObjectNode body = Json.MAPPER.createObjectNode().put("name", name);
    if (args.has("comment")) {
      body.put("comment", args.string("comment"));
    }
    String fullName = name;
    switch (type) {
      case "catalog" -> {
        if (args.has("storage_location")) {
          body.put("storage_root", args.string("storage_location"));
        }
      }
      case "schema" -> {
        body.put("catalog_name", args.string("catalog_name", "create of a schema"));
        fullName = body.path("catalog_name").asText() + "." + name;
      }
      default -> {
        body.put("catalog_name", args.string("catalog_name", "create of a volume"))
            .put("schema_name", args.string("schema_name", "create of a volume"))
            .put("volume_type", args.choice("volume_type", List.of("MANAGED", "EXTERNAL"), "MANAGED"));
        if (body.path("volume_type").asText().equals("EXTERNAL")) {
          body.put("storage_location", args.string("storage_location", "create of an EXTERNAL volume"));
        }
        fullName = body.path("catalog_name").asText() + "." + body.path("schema_name").asText() + "." + name;
      }
    }
    ObjectNode properties = args.optObject("properties");
    if (properties != null && !type.equals("volume")) {
      body.set("properties", properties);
    }
    JsonNode created = call.api().post(collection, body);
    String id = created.path("full_name").asText(fullName);
    call.track(type, id, name, call.link("/explore/data/" + id.replace('.', '/')));
    ObjectNode out = Json.MAPPER.createObjectNode().put("created", id).put("object_type", type)
        .put("owner", created.path("owner").asText(null));
    if (type.equals("volume")) {
      out.put("path", "/Volumes/" + id.replace('.', '/'));
    }
    return out.toString();
  }

  private static String update(ToolCall call, Args args, String type, String collection) {
    String fullName = args.string("full_name", "update");
    ObjectNode body = Json.MAPPER.createObjectNode();
    if (args.has("owner")) {
      body.put("owner", args.string("owner"));
    }
    if (!type.equals("table") && !type.equals("function")) {
      for (String field : List.of("comment", "new_name")) {
        if (args.has(field)) {
          body.put(field, args.string(field));
        }
      }
      ObjectNode properties = args.optObject("properties");
      if (properties != null) {
        body.set("properties", properties);
      }
    } else if (args.has("comment") || args.has("new_name")) {
      throw new ToolFailure("for " + type + "s only owner can be changed here; use SQL (COMMENT ON, ALTER ... RENAME TO) through execute_sql");
    }
    if (body.isEmpty()) {
      throw new ToolFailure("update needs at least one of comment, owner, new_name or properties");
    }
    JsonNode updated = call.api().patch(collection + "/" + WorkspaceApi.encodePath(fullName), body);
    return Json.MAPPER.createObjectNode().put("updated", fullName).put("object_type", type)
        .put("owner", updated.path("owner").asText(null)).put("comment", updated.path("comment").asText(null)).toString();
  }
}
