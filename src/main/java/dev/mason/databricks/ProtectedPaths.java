package dev.mason.databricks;

import dev.mason.agent.tool.ToolFailure;
import java.util.Set;

/**
 * Workspace folders the agent must never replace or delete: the roots, the shared folders, every
 * user's home and the roots of Git folders under /Repos. Work happens in sub-folders of these.
 */
final class ProtectedPaths {
  private static final Set<String> ROOTS = Set.of("/", "/Users", "/Shared", "/Repos");

  private ProtectedPaths() {}

  /** The path without the /Workspace prefix or a trailing slash: /Workspace/Users/a and /Users/a/ are one folder. */
  static String normalize(String path) {
    String p = path.trim();
    if (p.equals("/Workspace") || p.equals("/Workspace/")) {
      return "/";
    }
    if (p.startsWith("/Workspace/")) {
      p = p.substring("/Workspace".length());
    }
    while (p.length() > 1 && p.endsWith("/")) {
      p = p.substring(0, p.length() - 1);
    }
    return p;
  }

  /** Why {@code path} is protected, or null when it is not. */
  static String reason(String path) {
    String p = normalize(path);
    if (ROOTS.contains(p)) {
      return p.equals("/") ? "the workspace root" : "a top-level workspace folder";
    }
    String[] parts = p.substring(1).split("/");
    if (parts[0].equals("Users") && parts.length == 2) {
      return "a user's home folder";
    }
    if (parts[0].equals("Repos") && parts.length <= 3) {
      return parts.length == 2 ? "a user's Repos folder" : "the root of a Git folder";
    }
    return null;
  }

  static void check(String path, String action) {
    if (!path.startsWith("/")) {
      throw new ToolFailure("workspace_path must be absolute, such as /Workspace/Users/<you>/project");
    }
    String reason = reason(path);
    if (reason != null) {
      throw new ToolFailure("refusing to " + action + " " + path + ": it is " + reason
          + ". Use a folder inside it, such as /Workspace/Users/<you>/<project>.");
    }
  }
}
