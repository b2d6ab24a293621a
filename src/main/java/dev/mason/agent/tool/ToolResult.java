package dev.mason.agent.tool;

import java.util.Objects;

/** What a tool call returns to the model: text, marked as an error or not. */
public record ToolResult(String content, boolean isError) {
  public ToolResult {
    Objects.requireNonNull(content, "content");
  }

  public static ToolResult ok(String content) {
    return new ToolResult(content, false);
  }

  public static ToolResult error(String message) {
    return new ToolResult(message, true);
  }
}
