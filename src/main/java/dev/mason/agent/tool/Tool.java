package dev.mason.agent.tool;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * A tool the agent can call, the same contract for the built-in tools, the Databricks tools and
 * the MCP server.
 *
 * <p>Implementations are stateless and thread-safe: one instance serves every user and run, and
 * several calls may run at once. Everything about the caller comes in the {@link ToolContext}.
 */
public interface Tool {
  /** The name the model calls it by, e.g. {@code Read} or {@code execute_sql}. */
  String name();

  /** What it does and when to use it, written for a model. */
  String description();

  /** A complete JSON schema of the input: type object, properties with descriptions, required. */
  ObjectNode inputSchema();

  /** Whether it only reads (so it may run concurrently with other read-only calls of the same turn). */
  default boolean readOnly() {
    return false;
  }

  /**
   * Runs the tool. Failures the model should see (bad input, a missing file, an API error) are
   * returned as {@link ToolResult#error}; exceptions are for bugs, and are turned into an error
   * result by the dispatcher.
   */
  ToolResult execute(ToolContext context, JsonNode input) throws Exception;
}
