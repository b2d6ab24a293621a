package dev.mason.databricks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mason.agent.tool.InputSchema;
import dev.mason.agent.tool.ToolFailure;
import dev.mason.web.Json;
import java.util.List;
import java.util.Map;

/**
 * manage_uc_tags: governed tags on Unity Catalog objects through the entity tag assignments API.
 * Setting a tag that is already there changes its value (create answers 409, then update).
 */
final class ManageUcTagsTool extends ActionTool {
  private static final List<String> ACTIONS = List.of("list", "set", "unset");
  private static final List<String> ENTITIES = List.of("catalogs", "schemas", "tables", "columns", "volumes");
  private static final String API = "/api/2.1/unity-catalog/entity-tag-assignments";

  ManageUcTagsTool(ToolRuntime runtime) {
    super(runtime, ACTIONS, "manage_uc_tags",
        "Tags on Unity Catalog objects, as the user (needs APPLY TAG on the object and, for governed tags, ASSIGN on the tag "
            + "policy). list: the tags of one object. set: add tags or change their values, e.g. tags {\"pii\": \"email\", "
            + "\"owner_team\": \"finance\"} (a tag without a value: \"\"). unset: REMOVES the tags named in tag_keys.",
        InputSchema.object()
            .action("list, set or unset.", ACTIONS)
            .choice("entity_type", "What is tagged: catalogs, schemas, tables, columns or volumes.", ENTITIES)
            .string("entity_name", "Its full name: catalog, catalog.schema, catalog.schema.table, or catalog.schema.table.column.")
            .freeObject("tags", "For set: tag keys and values.")
            .strings("tag_keys", "For unset: the tag keys to remove.")
            .required("entity_type", "entity_name"));
  }

  @Override
  String run(ToolCall call, Args args, String action) {
    String type = args.choice("entity_type", ENTITIES, null);
    String name = args.string("entity_name");
    String tagsOf = API + "/" + type + "/" + WorkspaceApi.encodePath(name) + "/tags";
    switch (action) {
      case "set" -> {
        ObjectNode tags = args.optObject("tags");
        if (tags == null || tags.isEmpty()) {
          throw new ToolFailure("tags is required for action set, e.g. {\"pii\": \"email\"}");
        }
        for (var tag : tags.properties()) {
          ObjectNode assignment = Json.MAPPER.createObjectNode().put("entity_type", type).put("entity_name", name)
              .put("tag_key", tag.getKey()).put("tag_value", tag.getValue().asText());
          try {
            call.api().post(API, assignment);
          } catch (WorkspaceException e) {
            if (e.status() != 409) {
              throw e;
            }
            call.api().patch(tagsOf + "/" + WorkspaceApi.encodePath(tag.getKey()) + "?update_mask=tag_value", assignment);
          }
        }
      }
      case "unset" -> {
        List<String> keys = args.strings("tag_keys");
        if (keys.isEmpty()) {
          throw new ToolFailure("tag_keys is required for action unset");
        }
        for (String key : keys) {
          call.api().delete(tagsOf + "/" + WorkspaceApi.encodePath(key), Map.of());
        }
      }
      default -> { }
    }
    List<JsonNode> assignments = call.api().collect(tagsOf, Map.of(), "tag_assignments", 1000);
    ObjectNode out = Json.MAPPER.createObjectNode().put("entity_type", type).put("entity_name", name);
    ObjectNode tags = out.putObject("tags");
    assignments.forEach(a -> tags.put(a.path("tag_key").asText(), a.path("tag_value").asText("")));
    return out.toString();
  }
}
