package dev.mason.databricks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mason.agent.tool.InputSchema;
import dev.mason.web.Json;

/** get_current_user: who the tools act as in the workspace, and where their home folder is. */
final class GetCurrentUserTool extends DatabricksTool {
  GetCurrentUserTool(ToolRuntime runtime) {
    super(runtime, "get_current_user",
        "Returns the workspace identity the Databricks tools act as (the person chatting): user name, display name, "
            + "groups, home folder and workspace URL. Use it to build paths such as /Workspace/Users/<user_name>/... .",
        InputSchema.object(), READ_ONLY, IN_BACKGROUND);
  }

  @Override
  String run(ToolCall call) {
    JsonNode me = call.api().get("/api/2.0/preview/scim/v2/Me");
    String userName = me.path("userName").asText();
    ObjectNode out = Json.MAPPER.createObjectNode()
        .put("user_name", userName)
        .put("display_name", me.path("displayName").asText(null))
        .put("id", me.path("id").asText(null))
        .put("home_folder", "/Workspace/Users/" + userName)
        .put("workspace_url", call.api().host())
        .put("credentials", call.caller().accessToken() != null ? "the user's own token (on-behalf-of)" : "Mason's own workspace credentials");
    var groups = out.putArray("groups");
    me.path("groups").forEach(g -> groups.add(g.path("display").asText()));
    return out.toString();
  }
}
