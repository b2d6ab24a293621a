package dev.mason.agent.claudecode;

/**
 * A Claude Code tool name as people read it: {@code mcp__mason__execute_sql} is {@code execute_sql}
 * of the server {@code mason}; a built-in tool ({@code Write}) has no server.
 *
 * @param server the MCP server's name, or null for one of Claude Code's own tools
 */
record ToolName(String shown, String server) {
  private static final String PREFIX = "mcp__";

  static ToolName of(String raw) {
    if (raw.startsWith(PREFIX)) {
      int split = raw.indexOf("__", PREFIX.length());
      if (split > PREFIX.length() && split + 2 < raw.length()) {
        return new ToolName(raw.substring(split + 2), raw.substring(PREFIX.length(), split));
      }
    }
    return new ToolName(raw, null);
  }
}
