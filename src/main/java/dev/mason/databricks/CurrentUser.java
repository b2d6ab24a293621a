package dev.mason.databricks;

import dev.mason.agent.tool.ToolFailure;

/** The workspace user name the calls act as: the caller's, or Mason's own identity without a user token. */
final class CurrentUser {
  private CurrentUser() {}

  static String name(ToolCall call) {
    String name = call.api().get("/api/2.0/preview/scim/v2/Me").path("userName").asText("");
    if (name.isEmpty()) {
      throw new ToolFailure("the workspace did not say who the current user is (SCIM Me has no userName)");
    }
    return name;
  }

  /** The user's home folder in the workspace file tree. */
  static String home(ToolCall call) {
    return "/Workspace/Users/" + name(call);
  }
}
