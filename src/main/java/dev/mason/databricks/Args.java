package dev.mason.databricks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mason.agent.tool.ToolFailure;
import dev.mason.web.Json;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * A tool's input, read with rules: a missing required argument or a value of the wrong type is a
 * {@link ToolFailure} that names the argument, so the model can correct its call.
 */
final class Args {
  private final JsonNode input;

  Args(JsonNode input) {
    this.input = input == null || input.isNull() ? MissingNode.getInstance() : input;
  }

  boolean has(String name) {
    JsonNode value = input.get(name);
    return value != null && !value.isNull() && !(value.isTextual() && value.asText().isBlank());
  }

  String string(String name) {
    if (!has(name)) {
      throw new ToolFailure(name + " is required");
    }
    return text(name);
  }

  /** A required argument that only some actions need: the message names the action. */
  String string(String name, String action) {
    if (!has(name)) {
      throw new ToolFailure(name + " is required for action " + action);
    }
    return text(name);
  }

  String optString(String name, String fallback) {
    return has(name) ? text(name) : fallback;
  }

  /** One of {@code allowed}, case-insensitive; {@code fallback} when absent (null makes it required). */
  String choice(String name, List<String> allowed, String fallback) {
    if (!has(name)) {
      if (fallback == null) {
        throw new ToolFailure(name + " is required: one of " + String.join(", ", allowed));
      }
      return fallback;
    }
    String value = text(name).trim();
    for (String option : allowed) {
      if (option.equalsIgnoreCase(value)) {
        return option;
      }
    }
    throw new ToolFailure(name + " must be one of " + String.join(", ", allowed) + ", not '" + value + "'");
  }

  int optInt(String name, int fallback, int min, int max) {
    if (!has(name)) {
      return fallback;
    }
    JsonNode value = input.get(name);
    long number;
    if (value.isIntegralNumber()) {
      number = value.asLong();
    } else if (value.isTextual() && value.asText().trim().matches("-?\\d+")) {
      number = Long.parseLong(value.asText().trim());
    } else {
      throw new ToolFailure(name + " must be a whole number");
    }
    if (number < min || number > max) {
      throw new ToolFailure(name + " must be between " + min + " and " + max + ", was " + number);
    }
    return (int) number;
  }

  long requiredLong(String name) {
    if (!has(name)) {
      throw new ToolFailure(name + " is required");
    }
    JsonNode value = input.get(name);
    if (value.isIntegralNumber()) {
      return value.asLong();
    }
    if (value.isTextual() && value.asText().trim().matches("\\d+")) {
      return Long.parseLong(value.asText().trim());
    }
    throw new ToolFailure(name + " must be a whole number");
  }

  boolean optBool(String name, boolean fallback) {
    if (!has(name)) {
      return fallback;
    }
    JsonNode value = input.get(name);
    if (value.isBoolean()) {
      return value.asBoolean();
    }
    if (value.isTextual() && (value.asText().equalsIgnoreCase("true") || value.asText().equalsIgnoreCase("false"))) {
      return Boolean.parseBoolean(value.asText());
    }
    throw new ToolFailure(name + " must be true or false");
  }

  /** An array of strings; a single string is taken as a list of one. Empty when absent. */
  List<String> strings(String name) {
    List<String> values = new ArrayList<>();
    if (!has(name)) {
      return values;
    }
    JsonNode value = input.get(name);
    if (value.isTextual()) {
      values.add(value.asText());
      return values;
    }
    if (!value.isArray()) {
      throw new ToolFailure(name + " must be an array of strings");
    }
    for (JsonNode item : value) {
      if (!item.isTextual()) {
        throw new ToolFailure(name + " must be an array of strings");
      }
      values.add(item.asText());
    }
    return values;
  }

  /**
   * Copies each present argument of {@code names} into {@code target} under the same name, as
   * the model sent it (a string stays a string, an object an object): for fields that go to an
   * API unchanged.
   */
  ObjectNode copyInto(ObjectNode target, String... names) {
    for (String name : names) {
      if (has(name)) {
        target.set(name, input.get(name).deepCopy());
      }
    }
    return target;
  }

  /**
   * An object argument (a job's settings, a request body, a dashboard's definition), or null when
   * absent; the same JSON in a string is taken too.
   */
  ObjectNode optObject(String name) {
    return structured(name, ObjectNode.class, "a JSON object");
  }

  /** An array argument (a job's tasks, chat messages), or null when absent. */
  ArrayNode optArray(String name) {
    return structured(name, ArrayNode.class, "a JSON array");
  }

  /**
   * A nested JSON argument of {@code type}, or null when absent. Models sometimes send nested
   * JSON as a string; it is accepted when it parses to the right type.
   */
  private <T extends JsonNode> T structured(String name, Class<T> type, String expected) {
    if (!has(name)) {
      return null;
    }
    JsonNode value = input.get(name);
    if (value.isTextual()) {
      try {
        JsonNode parsed = Json.MAPPER.readTree(value.asText());
        if (type.isInstance(parsed)) {
          return type.cast(parsed);
        }
      } catch (IOException e) {
        // fall through to the type error
      }
    }
    if (!type.isInstance(value)) {
      throw new ToolFailure(name + " must be " + expected);
    }
    return type.cast(value.deepCopy());
  }

  private String text(String name) {
    JsonNode value = input.get(name);
    if (value.isTextual()) {
      return value.asText();
    }
    if (value.isNumber() || value.isBoolean()) {
      return value.asText();
    }
    throw new ToolFailure(name + " must be a string");
  }
}
