package dev.mason.databricks;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mason.agent.tool.InputSchema;
import dev.mason.agent.tool.ToolFailure;
import dev.mason.web.Json;
import java.util.List;
import java.util.Map;

/**
 * manage_uc_connections: Lakehouse Federation connections to external databases, and the
 * foreign catalogs that mirror a database through one. Connection options carry secrets
 * (passwords, keys): they go to the API and are never echoed back.
 */
final class ManageUcConnectionsTool extends ActionTool {
  private static final List<String> ACTIONS = List.of("list", "get", "create", "update", "delete", "create_foreign_catalog");
  private static final List<String> CONNECTION_TYPES = List.of("MYSQL", "POSTGRESQL", "SQLSERVER", "SNOWFLAKE", "REDSHIFT",
      "SQLDW", "BIGQUERY", "DATABRICKS", "ORACLE", "TERADATA", "SALESFORCE", "GLUE", "HIVE_METASTORE", "HTTP");
  private static final RestCollection CONNECTIONS = new RestCollection("/api/2.1/unity-catalog/connections", "connections", "connection");
  private static final RestCollection CATALOGS = new RestCollection("/api/2.1/unity-catalog/catalogs", "catalogs", "catalog");

  ManageUcConnectionsTool(ToolRuntime runtime) {
    super(runtime, ACTIONS, "manage_uc_connections",
        "Lakehouse Federation connections (Unity Catalog) to external databases, as the user. list, get: by name "
            + "(options holding secrets are not shown). create: a connection of connection_type with options such as "
            + "{\"host\": ..., \"port\": \"5432\", \"user\": ..., \"password\": ...}; recorded in the project's resources. "
            + "update: new options, owner or new_name. delete: DESTROYS the connection (foreign catalogs using it stop "
            + "working). create_foreign_catalog: a catalog named catalog_name mirroring one database of the connection "
            + "(options {\"database\": ...}), queryable with execute_sql.",
        InputSchema.object()
            .action("list, get, create, update, delete or create_foreign_catalog.", ACTIONS)
            .string("name", "The connection (all actions but list).")
            .choice("connection_type", "For create: the external system.", CONNECTION_TYPES)
            .freeObject("options", "For create and update: connection options (host, port, user, password, ...); for "
                + "create_foreign_catalog: e.g. {\"database\": \"sales\"}.")
            .string("catalog_name", "For create_foreign_catalog: the new catalog's name.")
            .string("comment", "For create, update and create_foreign_catalog.")
            .string("owner", "For update: the new owner.")
            .string("new_name", "For update: rename.")
            .bool("read_only", "For create: read-only connection (default false)."));
  }

  @Override
  String run(ToolCall call, Args args, String action) {
    return switch (action) {
      case "list" -> CONNECTIONS.list(call, ToolCall.query("max_results", 100), 1000,
          "name", "connection_type", "owner", "comment", "read_only", "url").toString();
      case "get" -> withoutOptions(CONNECTIONS.get(call, args.string("name", action)).deepCopy()).toString();
      case "create" -> {
        String name = args.string("name", action);
        ObjectNode body = Json.MAPPER.createObjectNode().put("name", name)
            .put("connection_type", args.choice("connection_type", CONNECTION_TYPES, null));
        body.set("options", required(args, "options", action));
        args.copyInto(body, "comment", "read_only");
        var created = CONNECTIONS.create(call, name, body, call.link("/explore/connections/" + name));
        yield Json.MAPPER.createObjectNode().put("created", name).put("connection_type", created.path("connection_type").asText())
            .put("owner", created.path("owner").asText(null)).toString();
      }
      case "update" -> {
        ObjectNode changes = args.copyInto(Json.MAPPER.createObjectNode(), "owner", "new_name");
        if (args.has("options")) {
          changes.set("options", args.optObject("options"));
        }
        yield withoutOptions(CONNECTIONS.update(call, args.string("name", action), changes).deepCopy()).toString();
      }
      case "delete" -> CONNECTIONS.delete(call, args.string("name", action), Map.of()).toString();
      default -> {
        String catalog = args.string("catalog_name", action);
        ObjectNode body = Json.MAPPER.createObjectNode().put("name", catalog).put("connection_name", args.string("name", action));
        body.set("options", required(args, "options", action));
        args.copyInto(body, "comment");
        var created = CATALOGS.create(call, catalog, body, call.link("/explore/data/" + catalog));
        yield Json.MAPPER.createObjectNode().put("created", catalog).put("connection_name", args.string("name"))
            .put("catalog_type", created.path("catalog_type").asText(null)).toString();
      }
    };
  }

  private static ObjectNode required(Args args, String name, String action) {
    ObjectNode value = args.optObject(name);
    if (value == null) {
      throw new ToolFailure(name + " is required for action " + action);
    }
    return value;
  }

  /** A connection's options may hold secrets; only their names are shown. */
  private static ObjectNode withoutOptions(ObjectNode connection) {
    if (connection.has("options")) {
      var names = Json.MAPPER.createArrayNode();
      connection.get("options").fieldNames().forEachRemaining(names::add);
      connection.remove("options");
      connection.set("option_names", names);
    }
    return connection;
  }
}
