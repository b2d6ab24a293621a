package dev.mason.databricks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mason.agent.tool.InputSchema;
import dev.mason.agent.tool.ToolFailure;
import dev.mason.web.Json;
import java.util.List;
import java.util.Map;

/**
 * manage_uc_sharing: Delta Sharing. Shares (what is shared), recipients (who receives it) and
 * providers (who shares with this metastore), plus adding tables to a share and granting a share
 * to a recipient. A recipient's bearer tokens are never shown; its activation link is, because
 * that is what the recipient is sent.
 */
final class ManageUcSharingTool extends ActionTool {
  private static final List<String> ACTIONS = List.of("list", "get", "create", "update", "delete", "add_table", "remove_table",
      "grant", "revoke");
  private static final List<String> TYPES = List.of("share", "recipient", "provider");
  private static final String UC = "/api/2.1/unity-catalog";
  private static final Map<String, RestCollection> COLLECTIONS = Map.of(
      "share", new RestCollection(UC + "/shares", "shares", "share"),
      "recipient", new RestCollection(UC + "/recipients", "recipients", "recipient"),
      "provider", new RestCollection(UC + "/providers", "providers", "provider"));

  ManageUcSharingTool(ToolRuntime runtime) {
    super(runtime, ACTIONS, "manage_uc_sharing",
        "Delta Sharing in Unity Catalog, as the user. resource_type share, recipient or provider. list, get: by name. "
            + "create: a share; a recipient (authentication_type TOKEN for open sharing, answering its activation_url, or "
            + "DATABRICKS with data_recipient_global_metastore_id); a provider from recipient_profile_str. Created ones are "
            + "recorded in the project's resources. update: comment, owner or new_name. delete: DESTROYS it (recipients "
            + "lose access at once). add_table: a table (table_name, optionally shared_as) into a share; remove_table REMOVES it from the share. grant "
            + "/ revoke: give or take SELECT on a share to recipient_name.",
        InputSchema.object()
            .action("list, get, create, update, delete, add_table, remove_table, grant or revoke.", ACTIONS)
            .choice("resource_type", "share, recipient or provider (add_table, remove_table, grant and revoke are on shares).", TYPES)
            .string("name", "The share, recipient or provider (all actions but list).")
            .string("comment", "For create and update.")
            .string("owner", "For update.")
            .string("new_name", "For update: rename.")
            .string("table_name", "For add_table and remove_table: catalog.schema.table.")
            .string("shared_as", "For add_table: the name recipients see, schema.table (default the table's own).")
            .bool("history_sharing", "For add_table: share the table's history for time travel and streaming (default false).")
            .string("recipient_name", "For grant and revoke: the recipient.")
            .choice("authentication_type", "For create of a recipient: TOKEN (open sharing, default) or DATABRICKS.",
                List.of("TOKEN", "DATABRICKS"))
            .string("data_recipient_global_metastore_id", "For create of a DATABRICKS recipient: its metastore's sharing identifier.")
            .string("recipient_profile_str", "For create of a provider: the credential file's JSON as received.")
            .required("resource_type"));
  }

  @Override
  String run(ToolCall call, Args args, String action) {
    String type = args.choice("resource_type", TYPES, null);
    RestCollection collection = COLLECTIONS.get(type);
    if (List.of("add_table", "remove_table", "grant", "revoke").contains(action) && !type.equals("share")) {
      throw new ToolFailure(action + " works on shares: use resource_type share");
    }
    return switch (action) {
      case "list" -> {
        ObjectNode listed = collection.list(call, ToolCall.query("max_results", 100), 1000, "name", "owner", "comment",
            "authentication_type", "activated", "created_at");
        yield listed.toString();
      }
      case "get" -> withoutTokens(collection.get(call, args.string("name", action)).deepCopy()).toString();
      case "create" -> create(call, args, type, collection);
      case "update" -> withoutTokens(collection.update(call, args.string("name", action),
          args.copyInto(Json.MAPPER.createObjectNode(), "comment", "owner", "new_name")).deepCopy()).toString();
      case "delete" -> collection.delete(call, args.string("name", action), Map.of()).toString();
      case "add_table", "remove_table" -> {
        ObjectNode object = Json.MAPPER.createObjectNode().put("name", args.string("table_name", action)).put("data_object_type", "TABLE");
        if (action.equals("add_table")) {
          args.copyInto(object, "shared_as");
          if (args.optBool("history_sharing", false)) {
            object.put("history_data_sharing_status", "ENABLED");
          }
        }
        ObjectNode body = Json.MAPPER.createObjectNode();
        body.putArray("updates").addObject().put("action", action.equals("add_table") ? "ADD" : "REMOVE").set("data_object", object);
        JsonNode share = collection.update(call, args.string("name", action), body);
        ArrayNode objects = Json.MAPPER.createArrayNode();
        share.path("objects").forEach(o -> objects.add(o.path("name").asText()));
        yield Json.MAPPER.createObjectNode().put("share", args.string("name")).set("objects", objects).toString();
      }
      default -> {
        String recipient = args.string("recipient_name", action);
        ObjectNode change = Json.MAPPER.createObjectNode().put("principal", recipient);
        change.putArray(action.equals("grant") ? "add" : "remove").add("SELECT");
        ObjectNode body = Json.MAPPER.createObjectNode();
        body.putArray("changes").add(change);
        String share = args.string("name", action);
        call.api().patch(collection.item(share) + "/permissions", body);
        yield call.api().get(collection.item(share) + "/permissions").toString();
      }
    };
  }

  private static String create(ToolCall call, Args args, String type, RestCollection collection) {
    String name = args.string("name", "create");
    ObjectNode body = args.copyInto(Json.MAPPER.createObjectNode().put("name", name), "comment");
    switch (type) {
      case "recipient" -> {
        String authentication = args.choice("authentication_type", List.of("TOKEN", "DATABRICKS"), "TOKEN");
        body.put("authentication_type", authentication);
        if (authentication.equals("DATABRICKS")) {
          body.put("data_recipient_global_metastore_id", args.string("data_recipient_global_metastore_id", "create of a DATABRICKS recipient"));
        }
      }
      case "provider" -> body.put("authentication_type", "TOKEN")
          .put("recipient_profile_str", args.string("recipient_profile_str", "create of a provider"));
      default -> { }
    }
    JsonNode created = collection.create(call, name, body, call.link("/explore/sharing/" + type + "s/" + name));
    return withoutTokens(created.deepCopy()).put("created", name).put("resource_type", type).toString();
  }

  /** A recipient's tokens are bearer secrets; the activation link is what its owner sends. */
  private static ObjectNode withoutTokens(ObjectNode item) {
    JsonNode tokens = item.remove("tokens");
    if (tokens != null && !item.has("activation_url")) {
      for (JsonNode token : tokens) {
        if (token.hasNonNull("activation_url")) {
          item.put("activation_url", token.get("activation_url").asText());
        }
      }
    }
    item.remove("recipient_profile_str");
    item.remove("recipient_profile");
    return item;
  }
}
