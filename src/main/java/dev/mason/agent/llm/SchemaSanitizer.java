package dev.mason.agent.llm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Map;
import java.util.Set;

/**
 * Reduces a tool's JSON schema to the keywords every endpoint accepts. Databricks serving endpoints
 * (and the models behind them: Gemini is the strictest) reject many JSON-schema keywords, so the
 * rule is a whitelist, applied at every level: {@code type, properties, required, description,
 * items, enum, default, minimum, maximum, minItems, maxItems}. Everything else ({@code $schema},
 * {@code $id}, {@code $ref}/{@code $defs}, {@code additionalProperties}, {@code format},
 * {@code pattern}, {@code examples}, ...) is dropped.
 *
 * <p>Where dropping would lose the type, the schema is simplified instead: a union of types keeps
 * its first non-null member ({@code ["string","null"]} becomes {@code "string"}); a schema that is
 * only {@code anyOf}/{@code oneOf}/{@code allOf} takes the keywords of its first non-null branch.
 * {@code required} keeps only the names that are properties. The top level is always an object
 * schema with {@code properties}.
 */
final class SchemaSanitizer {
  private static final Set<String> KEPT = Set.of(
      "type", "properties", "required", "description", "items", "enum", "default", "minimum", "maximum", "minItems", "maxItems");
  private static final int MAX_DEPTH = 32;

  private SchemaSanitizer() {}

  static ObjectNode sanitize(ObjectNode schema) {
    ObjectNode clean = clean(schema, 0);
    if (!clean.has("type")) {
      clean.put("type", "object");
    }
    if (!clean.has("properties")) {
      clean.putObject("properties");
    }
    return clean;
  }

  private static ObjectNode clean(JsonNode schema, int depth) {
    ObjectNode clean = JsonNodeFactory.instance.objectNode();
    if (!schema.isObject() || depth > MAX_DEPTH) {
      return clean; // `true` or a too-deep schema: anything goes
    }
    for (Map.Entry<String, JsonNode> field : schema.properties()) {
      JsonNode value = field.getValue();
      switch (field.getKey()) {
        case "type" -> {
          String type = singleType(value);
          if (type != null) {
            clean.put("type", type);
          }
        }
        case "properties" -> {
          if (value.isObject()) {
            ObjectNode properties = clean.putObject("properties");
            value.properties().forEach(p -> properties.set(p.getKey(), clean(p.getValue(), depth + 1)));
          }
        }
        case "items" -> {
          JsonNode items = value.isArray() ? value.path(0) : value;
          clean.set("items", clean(items, depth + 1));
        }
        case "required" -> {
          if (value.isArray()) {
            clean.set("required", value.deepCopy());
          }
        }
        default -> {
          if (KEPT.contains(field.getKey())) {
            clean.set(field.getKey(), value.deepCopy());
          }
        }
      }
    }
    if (!clean.has("type")) {
      JsonNode branch = firstNonNullBranch(schema);
      if (branch != null) {
        clean(branch, depth + 1).properties().forEach(f -> {
          if (!clean.has(f.getKey())) {
            clean.set(f.getKey(), f.getValue());
          }
        });
      }
    }
    keepOnlyKnownRequired(clean);
    return clean;
  }

  private static String singleType(JsonNode type) {
    if (type.isTextual()) {
      return type.asText();
    }
    for (JsonNode member : type) {
      if (member.isTextual() && !"null".equals(member.asText())) {
        return member.asText();
      }
    }
    return null;
  }

  private static JsonNode firstNonNullBranch(JsonNode schema) {
    for (String combinator : new String[] {"anyOf", "oneOf", "allOf"}) {
      for (JsonNode branch : schema.path(combinator)) {
        if (!"null".equals(branch.path("type").asText())) {
          return branch;
        }
      }
    }
    return null;
  }

  private static void keepOnlyKnownRequired(ObjectNode clean) {
    if (!(clean.get("required") instanceof ArrayNode required)) {
      return;
    }
    JsonNode properties = clean.path("properties");
    ArrayNode known = JsonNodeFactory.instance.arrayNode();
    for (JsonNode name : required) {
      if (name.isTextual() && properties.has(name.asText())) {
        known.add(name);
      }
    }
    if (known.isEmpty()) {
      clean.remove("required");
    } else {
      clean.set("required", known);
    }
  }
}
