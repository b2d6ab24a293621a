package dev.mason.agent.tool;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The common frame of the built-in tools: the input is checked against the schema before the
 * tool runs, and a {@link ToolFailure} becomes an error result. So a tool called without the
 * dispatcher (by the MCP server, by a test) behaves exactly as it does inside an agent run.
 */
abstract class BuiltinTool extends ToolBase {
  BuiltinTool(String name, String description, InputSchema schema, boolean readOnly) {
    super(name, description, schema, readOnly);
  }

  @Override
  public final ToolResult execute(ToolContext context, JsonNode input) throws Exception {
    String problem = SchemaCheck.problem(checkedSchema(), input);
    if (problem != null) {
      return ToolResult.error("Invalid input for " + name() + ": " + problem + ".");
    }
    try {
      return run(context, new ToolInput(input));
    } catch (ToolFailure failure) {
      return ToolResult.error(failure.getMessage());
    }
  }

  abstract ToolResult run(ToolContext context, ToolInput input) throws Exception;
}
