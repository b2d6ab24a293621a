package dev.mason.agent.tool;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Objects;

/**
 * Builds a tool's input schema: a JSON schema object whose every property has a type and a
 * description. Only the keywords that model endpoints accept everywhere are used (type,
 * description, properties, required, enum, items); defaults and limits go in the descriptions.
 * Shared by the built-in tools and the Databricks tools.
 */
public final class InputSchema {
  private final ObjectNode root = JsonNodeFactory.instance.objectNode();
  private final ObjectNode properties;
  private final ArrayNode required;

  private InputSchema() {
    root.put("type", "object");
    properties = root.putObject("properties");
    required = root.putArray("required");
  }

  public static InputSchema object() {
    return new InputSchema();
  }

  public InputSchema string(String name, String description) {
    return property(name, "string", description);
  }

  public InputSchema integer(String name, String description) {
    return property(name, "integer", description);
  }

  public InputSchema bool(String name, String description) {
    return property(name, "boolean", description);
  }

  /** A string that must be one of {@code values}. */
  public InputSchema choice(String name, String description, List<String> values) {
    values.forEach(add(name, "string", description).putArray("enum")::add);
    return this;
  }

  /** The {@code action} argument of a manage_* tool: required, one of {@code actions}. */
  public InputSchema action(String description, List<String> actions) {
    return choice("action", description, actions).required("action");
  }

  public InputSchema array(String name, String description, InputSchema items) {
    add(name, "array", description).set("items", items.build());
    return this;
  }

  /** An array of strings. */
  public InputSchema strings(String name, String description) {
    add(name, "array", description).putObject("items").put("type", "string");
    return this;
  }

  /** An array of numbers, such as an embedding vector. */
  public InputSchema numbers(String name, String description) {
    add(name, "array", description).putObject("items").put("type", "number");
    return this;
  }

  /** A free-form object, such as a job's settings in the Jobs API shape. */
  public InputSchema freeObject(String name, String description) {
    return property(name, "object", description);
  }

  /**
   * A free-form object that may also come as the same JSON in a string, for definitions an API
   * takes serialized (a dashboard, a Genie space): models send either.
   */
  public InputSchema objectOrString(String name, String description) {
    Objects.requireNonNull(description, "description");
    if (properties.has(name)) {
      throw new IllegalArgumentException("property '" + name + "' is declared twice");
    }
    ObjectNode property = properties.putObject(name);
    property.putArray("type").add("object").add("string");
    property.put("description", description);
    return this;
  }

  /** An array of free-form objects, such as a job's tasks. */
  public InputSchema objects(String name, String description) {
    add(name, "array", description).putObject("items").put("type", "object");
    return this;
  }

  public InputSchema required(String... names) {
    for (String name : names) {
      if (!properties.has(name)) {
        throw new IllegalArgumentException("required property '" + name + "' is not declared");
      }
      required.add(name);
    }
    return this;
  }

  /** A new copy each time: callers (model clients) may strip or rewrite keywords. */
  public ObjectNode build() {
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
