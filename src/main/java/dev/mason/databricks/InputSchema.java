package dev.mason.databricks;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mason.web.Json;
import java.util.List;

/**
 * Builds a tool's JSON schema: an object with described properties and a required list. Only the
 * keywords every model endpoint accepts are used (type, description, enum, items, properties,
 * required); defaults and limits are stated in the descriptions.
 */
final class InputSchema {
  private final ObjectNode root = Json.MAPPER.createObjectNode().put("type", "object");
  private final ObjectNode properties = root.putObject("properties");
  private final ArrayNode required = Json.MAPPER.createArrayNode();

  private InputSchema() {}

  static InputSchema object() {
    return new InputSchema();
  }

  /** The {@code action} argument of a manage_* tool: required, one of {@code actions}. */
  InputSchema action(String description, List<String> actions) {
    return choice("action", description, actions).required("action");
  }

  InputSchema string(String name, String description) {
    properties.putObject(name).put("type", "string").put("description", description);
    return this;
  }

  InputSchema choice(String name, String description, List<String> values) {
    ObjectNode property = properties.putObject(name).put("type", "string").put("description", description);
    values.forEach(property.putArray("enum")::add);
    return this;
  }

  InputSchema integer(String name, String description) {
    properties.putObject(name).put("type", "integer").put("description", description);
    return this;
  }

  InputSchema bool(String name, String description) {
    properties.putObject(name).put("type", "boolean").put("description", description);
    return this;
  }

  InputSchema strings(String name, String description) {
    ObjectNode property = properties.putObject(name).put("type", "array").put("description", description);
    property.putObject("items").put("type", "string");
    return this;
  }

  /** A free-form object, such as a job's settings in the Jobs API shape. */
  InputSchema freeObject(String name, String description) {
    properties.putObject(name).put("type", "object").put("description", description);
    return this;
  }

  /** An array of free-form objects, such as a job's tasks. */
  InputSchema objects(String name, String description) {
    ObjectNode property = properties.putObject(name).put("type", "array").put("description", description);
    property.putObject("items").put("type", "object");
    return this;
  }

  InputSchema required(String... names) {
    for (String name : names) {
      if (!properties.has(name)) {
        throw new IllegalStateException("required property " + name + " is not defined");
      }
      required.add(name);
    }
    return this;
  }

  /** A copy: callers may change what they get without touching the tool's schema. */
  ObjectNode build() {
    ObjectNode schema = root.deepCopy();
    schema.set("required", required.deepCopy());
    return schema;
  }
}
