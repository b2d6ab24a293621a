package dev.mason.databricks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mason.agent.tool.InputSchema;
import dev.mason.agent.tool.ToolFailure;
import dev.mason.web.Json;
import java.util.List;
import java.util.Locale;

/** manage_uc_grants: who holds which privileges on a Unity Catalog object, and changing that. */
final class ManageUcGrantsTool extends ActionTool {
  private static final List<String> ACTIONS = List.of("get", "get_effective", "grant", "revoke");
  private static final List<String> TYPES = List.of("catalog", "schema", "table", "volume", "function", "external_location",
      "storage_credential", "connection");
  private static final String UC = "/api/2.1/unity-catalog";

  ManageUcGrantsTool(ToolRuntime runtime) {
    super(runtime, ACTIONS, "manage_uc_grants",
        "Privileges on a Unity Catalog object. get: the grants made directly on it. get_effective: what each principal can "
            + "do including what is inherited from the catalog and schema. grant / revoke: change the privileges of one "
            + "principal (a user's email, a group or a service principal); this works only where the user may manage "
            + "grants. Grant to the specific people or groups who need access, with the fewest privileges that serve.",
        InputSchema.object()
            .action("get, get_effective, grant or revoke.", ACTIONS)
            .choice("securable_type", "The kind of object.", TYPES)
            .string("full_name", "The object's full name: catalog, catalog.schema or catalog.schema.name.")
            .string("principal", "For grant and revoke (required); for get and get_effective, only this principal.")
            .strings("privileges", "For grant and revoke: e.g. [\"USE_CATALOG\", \"USE_SCHEMA\", \"SELECT\"].")
            .required("securable_type", "full_name"));
  }

  @Override
  String run(ToolCall call, Args args, String action) {
    String type = args.choice("securable_type", TYPES, null);
    String path = "/" + type + "/" + WorkspaceApi.encodePath(args.string("full_name"));
    String principal = args.optString("principal", null);
    return switch (action) {
      case "get" -> render(call.api().get(UC + "/permissions" + path, ToolCall.query("principal", principal)), false);
      case "get_effective" -> render(call.api().get(UC + "/effective-permissions" + path, ToolCall.query("principal", principal)), true);
      default -> {
        String who = args.string("principal", action);
        List<String> privileges = args.strings("privileges").stream()
            .map(p -> p.trim().toUpperCase(Locale.ROOT).replace(' ', '_')).toList();
        if (privileges.isEmpty()) {
          throw new ToolFailure("privileges is required for action " + action);
        }
        ObjectNode change = Json.MAPPER.createObjectNode().put("principal", who);
        ArrayNode list = change.putArray(action.equals("grant") ? "add" : "remove");
        privileges.forEach(list::add);
        ObjectNode body = Json.MAPPER.createObjectNode();
        body.putArray("changes").add(change);
        yield render(call.api().patch(UC + "/permissions" + path, body), false);
      }
    };
  }

  /** Assignments as {principal: [privileges]}; effective ones name where an inherited privilege comes from. */
  private static String render(JsonNode response, boolean effective) {
    ObjectNode out = Json.MAPPER.createObjectNode();
    ArrayNode assignments = out.putArray("privilege_assignments");
    for (JsonNode assignment : response.path("privilege_assignments")) {
      ObjectNode entry = assignments.addObject().put("principal", assignment.path("principal").asText());
      ArrayNode privileges = entry.putArray("privileges");
      for (JsonNode privilege : assignment.path("privileges")) {
        if (!effective) {
          privileges.add(privilege.asText());
        } else if (privilege.hasNonNull("inherited_from_name")) {
          privileges.add(privilege.path("privilege").asText() + " (inherited from " + privilege.path("inherited_from_type").asText()
              .toLowerCase(Locale.ROOT) + " " + privilege.path("inherited_from_name").asText() + ")");
        } else {
          privileges.add(privilege.path("privilege").asText());
        }
      }
    }
    return out.toString();
  }
}
