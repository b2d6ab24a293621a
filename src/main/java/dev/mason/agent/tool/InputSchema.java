package dev.mason.agent.tool;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Objects;

/**
 * Builds a tool's input schema: a JSON schema object whose every property has a type and a
 * description. Only the keywords that model endpoints accept everywhere are used (type,
 * description, properties, required, enum, items).
 */
final class InputSchema {
  private final ObjectNode root = JsonNodeFactory.instance.objectNode();
  private final ObjectNode properties;
  private final ArrayNode required;

  private InputSchema() {
    root.put("type", "object");
    properties = root.putObject("properties");
    required = root.putArray("required");
  }

  static InputSchema object() {
    return new InputSchema();
  }

  InputSchema string(String name, String description) {
    return property(name, "string", description);
  }

  InputSchema integer(String name, String description) {
    return property(name, "integer", description);
  }

  InputSchema bool(String name, String description) {
    return property(name, "boolean", description);
  }

  InputSchema oneOf(String name, String description, String... values) {
    ObjectNode property = add(name, "string", description);
    ArrayNode allowed = property.putArray("enum");
    for (String value : values) {
      allowed.add(value);
    }
    return this;
  }

  InputSchema array(String name, String description, InputSchema items) {
    add(name, "array", description).set("items", items.build());
    return this;
  }

  InputSchema required(String... names) {
    for (String name : names) {
      if (!properties.has(name)) {
        throw new IllegalArgumentException("required property '" + name + "' is not declared");
      }
      required.add(name);
    }
    return this;
  }

  /** A new copy each time: callers (model clients) may strip or rewrite keywords. */
  ObjectNode build() {
    return root.deepCopy();
  }

  private InputSchema property(String name, String type, String description) {
    add(name, type, description);
    return this;
  }

  private ObjectNode add(String name, String type, String description) {
    Objects.requireNonNull(description, "description");
    if (properties.has(name)) {
      throw new IllegalArgumentException("property '" + name + "' is declared twice");
    }
    ObjectNode property = properties.putObject(name);
    property.put("type", type);
    property.put("description", description);
    return property;
  }
}
