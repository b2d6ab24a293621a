package dev.mason.agent.tool;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * A built-in tool's input after {@link SchemaCheck} accepted it: typed reads with defaults, and
 * range checks that the schema cannot express. Failures are {@link ToolFailure}s naming the field.
 */
final class ToolInput {
  private final JsonNode node;

  ToolInput(JsonNode node) {
    this.node = node;
  }

  JsonNode raw() {
    return node;
  }

  boolean has(String field) {
    return node.hasNonNull(field);
  }

  /** A string the schema requires; the empty string is refused too. */
  String text(String field) {
    String value = node.path(field).asText("");
    if (value.isEmpty()) {
      throw new ToolFailure(field + " is empty");
    }
    return value;
  }

  /** A string that may be empty, or {@code fallback} when absent. */
  String text(String field, String fallback) {
    return has(field) ? node.get(field).asText() : fallback;
  }

  boolean flag(String field, boolean fallback) {
    return has(field) ? node.get(field).asBoolean() : fallback;
  }

  /** An integer within [min, max], or {@code fallback} when absent. */
  int number(String field, int fallback, int min, int max) {
    if (!has(field)) {
      return fallback;
    }
    JsonNode value = node.get(field);
    if (!value.canConvertToLong() || value.asLong() < min || value.asLong() > max) {
      throw new ToolFailure(field + " must be between " + min + " and " + max + ", not " + value);
    }
    return (int) value.asLong();
  }
}
