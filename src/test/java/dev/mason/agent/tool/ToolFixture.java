package dev.mason.agent.tool;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mason.identity.Caller;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/** A project folder and the calls tests make on tools in it. */
final class ToolFixture {
  static final ObjectMapper MAPPER = new ObjectMapper();

  final Path folder;
  final ManualCancellation cancellation = new ManualCancellation();
  final List<List<ToolContext.Todo>> todos = new ArrayList<>();

  ToolFixture(Path folder) {
    this.folder = folder;
  }

  ToolContext context() {
    return new ToolContext(new Caller("alice@example.com", "dapi-secret-token", Caller.Source.LOCAL),
        UUID.randomUUID(), folder, "exec-test", cancellation, todos::add);
  }

  static Tool builtin(String name) {
    return BuiltinTools.all().stream().filter(tool -> tool.name().equals(name)).findFirst().orElseThrow();
  }

  ToolResult call(String toolName, Object... fields) throws Exception {
    return call(builtin(toolName), fields);
  }

  ToolResult call(Tool tool, Object... fields) throws Exception {
    return tool.execute(context(), input(fields));
  }

  /** An input object from name, value pairs; values are strings, numbers, booleans or JSON nodes. */
  static ObjectNode input(Object... fields) {
    ObjectNode node = MAPPER.createObjectNode();
    for (int i = 0; i < fields.length; i += 2) {
      String name = (String) fields[i];
      Object value = fields[i + 1];
      switch (value) {
        case String text -> node.put(name, text);
        case Integer number -> node.put(name, number);
        case Long number -> node.put(name, number);
        case Boolean flag -> node.put(name, flag);
        case JsonNode json -> node.set(name, json);
        default -> throw new IllegalArgumentException("unsupported value " + value);
      }
    }
    return node;
  }

  static JsonNode json(String text) {
    try {
      return MAPPER.readTree(text);
    } catch (Exception e) {
      throw new IllegalArgumentException(e);
    }
  }
}
