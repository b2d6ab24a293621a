package dev.mason.agent.tool;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The common frame of the built-in tools: the input is checked against the schema before the
 * tool runs, and a {@link ToolFailure} becomes an error result. So a tool called without the
 * dispatcher (by the MCP server, by a test) behaves exactly as it does inside an agent run.
 */
abstract class BuiltinTool implements Tool {
  private final String name;
  private final String description;
  private final InputSchema schema;
  /** Read only, never handed out: the copy the input is checked against. */
  private final ObjectNode checkedSchema;

  BuiltinTool(String name, String description, InputSchema schema) {
    this.name = name;
    this.description = description;
    this.schema = schema;
    this.checkedSchema = schema.build();
  }

  @Override
  public final String name() {
    return name;
  }

  @Override
  public final String description() {
    return description;
  }

  @Override
  public final ObjectNode inputSchema() {
    return schema.build();
  }

  @Override
  public final ToolResult execute(ToolContext context, JsonNode input) throws Exception {
    String problem = SchemaCheck.problem(checkedSchema, input);
    if (problem != null) {
      return ToolResult.error("Invalid input for " + name + ": " + problem + ".");
    }
    try {
      return run(context, new ToolInput(input));
    } catch (ToolFailure failure) {
      return ToolResult.error(failure.getMessage());
    }
  }

  abstract ToolResult run(ToolContext context, ToolInput input) throws Exception;
}
