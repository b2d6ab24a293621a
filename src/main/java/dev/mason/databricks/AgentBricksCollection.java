package dev.mason.databricks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mason.agent.tool.ToolFailure;
import dev.mason.web.Json;
import java.util.Map;
import java.util.function.Function;

/**
 * One collection of the Agent Bricks preview REST API ({@code /api/2.1/<collection>}): the
 * create, get, list, update and delete that manage_ka and manage_mas share. An item is named
 * {@code <collection>/<id>}; a tool's argument may give the id or the whole name.
 *
 * @param collection the path segment, e.g. {@code knowledge-assistants}
 * @param listKey the field of a list answer that holds the items
 * @param argument the tool's argument naming an item
 * @param resourceType the type the project's manifest records
 * @param configurePage the workspace page of a new item, before its id
 * @param brief what a tool answers about one item
 */
record AgentBricksCollection(String collection, String listKey, String argument, String resourceType, String configurePage,
    Function<JsonNode, ObjectNode> brief) {
  static final String API = "/api/2.1";

  /** The item's API path, from its id or full name. */
  String item(Args args, String action) {
    String given = args.string(argument, action);
    String name = given.startsWith(collection + "/") ? given : collection + "/" + given;
    return API + "/" + WorkspaceApi.encodePath(name);
  }

  /** Creates an item with display_name, description and instructions, recorded in the manifest. */
  ObjectNode create(ToolCall call, Args args, String action) {
    ObjectNode body = args.copyInto(Json.MAPPER.createObjectNode().put("display_name", args.string("display_name", action)),
        "description", "instructions");
    JsonNode created = call.api().post(API + "/" + collection, body);
    call.track(resourceType, created.path("name").asText(), body.path("display_name").asText(),
        call.link(configurePage + created.path("id").asText()));
    return brief.apply(created).put("created", true);
  }

  String get(ToolCall call, Args args, String action) {
    return brief.apply(call.api().get(item(args, action))).toString();
  }

  String list(ToolCall call) {
    ArrayNode list = Json.MAPPER.createArrayNode();
    call.api().collect(API + "/" + collection, Map.of("page_size", 100), listKey, 1000).forEach(item -> list.add(brief.apply(item)));
    return Json.MAPPER.createObjectNode().put("count", list.size()).set(listKey, list).toString();
  }

  /** Changes display_name, description or instructions, naming exactly those in the update mask. */
  String update(ToolCall call, Args args, String action) {
    ObjectNode changes = args.copyInto(Json.MAPPER.createObjectNode(), "display_name", "description", "instructions");
    if (changes.isEmpty()) {
      throw new ToolFailure("update needs display_name, description or instructions");
    }
    String mask = String.join(",", changes.properties().stream().map(Map.Entry::getKey).toList());
    return brief.apply(call.api().patch(item(args, action) + "?update_mask=" + mask, changes)).toString();
  }

  String delete(ToolCall call, Args args, String action) {
    String name = name(args, action);
    call.api().delete(API + "/" + name, Map.of());
    call.untrack(resourceType, name);
    return Json.MAPPER.createObjectNode().put("deleted", name).toString();
  }

  /** The item's full name, {@code <collection>/<id>}. */
  String name(Args args, String action) {
    return item(args, action).substring(API.length() + 1);
  }
}
