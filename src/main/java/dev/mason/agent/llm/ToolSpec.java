package dev.mason.agent.llm;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mason.agent.tool.Tool;
import java.util.Objects;

/**
 * A tool as offered to a model. The schema is sent after {@link SchemaSanitizer} has removed the
 * keywords some endpoints reject; this record keeps it as given.
 */
public record ToolSpec(String name, String description, ObjectNode inputSchema) {
  public ToolSpec {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(inputSchema, "inputSchema");
    description = description == null ? "" : description;
  }

  public static ToolSpec of(Tool tool) {
    return new ToolSpec(tool.name(), tool.description(), tool.inputSchema());
  }
}
