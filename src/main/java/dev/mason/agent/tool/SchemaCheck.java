package dev.mason.agent.tool;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * Checks a tool call's input against the tool's JSON schema before the tool sees it, so a tool
 * can trust the shape of its input and the model gets one clear sentence about what is wrong.
 *
 * <p>Understood keywords: {@code type} (a name or a list of names), {@code required},
 * {@code properties}, {@code enum} and {@code items}, at every depth. Others are ignored, and so
 * are properties the schema does not declare (models sometimes send extra ones; they are harmless).
 */
final class SchemaCheck {
  private SchemaCheck() {}

  /** The first problem found, phrased for the model, or null when the input fits the schema. */
  static String problem(JsonNode schema, JsonNode input) {
    if (input == null || !input.isObject()) {
      return "the input must be a JSON object, not " + kind(input);
    }
    return check(schema, input, "");
  }

  private static String check(JsonNode schema, JsonNode value, String where) {
    List<String> types = types(schema.get("type"));
    if (!types.isEmpty() && types.stream().noneMatch(type -> fits(type, value))) {
      return name(where) + " must be " + String.join(" or ", withArticles(types)) + ", not " + kind(value);
    }
    JsonNode allowed = schema.get("enum");
    if (allowed != null && allowed.isArray() && !contains(allowed, value)) {
      List<String> names = new ArrayList<>();
      allowed.forEach(option -> names.add(option.asText()));
      return name(where) + " must be one of " + String.join(", ", names) + ", not " + value;
    }
    if (value.isObject()) {
      for (JsonNode required : schema.path("required")) {
        JsonNode field = value.get(required.asText());
        if (field == null || field.isNull()) {
          return join(where, required.asText()) + " is required";
        }
      }
      Iterator<String> names = schema.path("properties").fieldNames();
      while (names.hasNext()) {
        String field = names.next();
        JsonNode present = value.get(field);
        if (present != null && !present.isNull()) {
          String problem = check(schema.get("properties").get(field), present, join(where, field));
          if (problem != null) {
            return problem;
          }
        }
      }
    }
    if (value.isArray() && schema.has("items")) {
      for (int i = 0; i < value.size(); i++) {
        String problem = check(schema.get("items"), value.get(i), where + "[" + i + "]");
        if (problem != null) {
          return problem;
        }
      }
    }
    return null;
  }

  private static boolean fits(String type, JsonNode value) {
    return switch (type) {
      case "string" -> value.isTextual();
      case "integer" -> value.isIntegralNumber() || (value.isNumber() && value.asDouble() == Math.rint(value.asDouble()));
      case "number" -> value.isNumber();
      case "boolean" -> value.isBoolean();
      case "array" -> value.isArray();
      case "object" -> value.isObject();
      case "null" -> value.isNull();
      default -> true;
    };
  }

  private static List<String> types(JsonNode type) {
    List<String> types = new ArrayList<>();
    if (type != null && type.isTextual()) {
      types.add(type.asText());
    } else if (type != null && type.isArray()) {
      type.forEach(t -> types.add(t.asText()));
    }
    return types;
  }

  private static boolean contains(JsonNode allowed, JsonNode value) {
    for (JsonNode option : allowed) {
      if (option.equals(value)) {
        return true;
      }
    }
    return false;
  }

  private static List<String> withArticles(List<String> types) {
    return types.stream().map(type -> switch (type) {
      case "integer", "array", "object" -> "an " + type;
      case "null" -> "null";
      default -> "a " + type;
    }).toList();
  }

  static String kind(JsonNode value) {
    if (value == null || value.isNull()) {
      return "null";
    }
    return switch (value.getNodeType()) {
      case STRING -> "a string";
      case NUMBER -> value.isIntegralNumber() ? "an integer" : "a number";
      case BOOLEAN -> "a boolean";
      case ARRAY -> "an array";
      case OBJECT -> "an object";
      default -> value.getNodeType().name().toLowerCase();
    };
  }

  private static String join(String where, String field) {
    return where.isEmpty() ? field : where + "." + field;
  }

  private static String name(String where) {
    return where.isEmpty() ? "the input" : where;
  }
}
