package dev.mason.databricks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mason.agent.tool.ToolFailure;
import dev.mason.web.Json;
import java.util.List;
import java.util.Map;

/**
 * One collection of a workspace REST API that lists, reads, creates, updates (PATCH) and deletes
 * its items by name, as the Unity Catalog, Delta Sharing, vector search and apps APIs do: what
 * the manage_* tools over those APIs share.
 *
 * @param path the collection, e.g. {@code /api/2.1/unity-catalog/connections}
 * @param listField the array a list answers in, e.g. {@code connections}
 * @param type the manifest type of created items, e.g. {@code connection}
 */
record RestCollection(String path, String listField, String type) {
  String item(String name) {
    return path + "/" + WorkspaceApi.encodePath(name);
  }

  JsonNode get(ToolCall call, String name) {
    return call.api().get(item(name));
  }

  /** Up to {@code limit} items, each cut down to {@code fields} (all fields when none are named). */
  ObjectNode list(ToolCall call, Map<String, ?> query, int limit, String... fields) {
    List<JsonNode> items = call.api().collect(path, query, listField, limit);
    ArrayNode out = Json.MAPPER.createArrayNode();
    for (JsonNode item : items) {
      if (fields.length == 0) {
        out.add(item);
        continue;
      }
      ObjectNode brief = out.addObject();
      for (String field : fields) {
        if (item.has(field)) {
          brief.set(field, item.get(field));
        }
      }
    }
    ObjectNode result = Json.MAPPER.createObjectNode().put("count", out.size());
    result.set(listField, out);
    return result;
  }

  /** Creates an item and records it in the project's manifest under {@code name}, linked to {@code url}. */
  JsonNode create(ToolCall call, String name, ObjectNode body, String url) {
    JsonNode created = call.api().post(path, body);
    call.track(type, name, name, url);
    return created;
  }

  JsonNode update(ToolCall call, String name, ObjectNode changes) {
    if (changes.isEmpty()) {
      throw new ToolFailure("update needs at least one field to change");
    }
    return call.api().patch(item(name), changes);
  }

  ObjectNode delete(ToolCall call, String name, Map<String, ?> query) {
    call.api().delete(item(name), query);
    call.untrack(type, name);
    return Json.MAPPER.createObjectNode().put("deleted", name).put("type", type);
  }
}
