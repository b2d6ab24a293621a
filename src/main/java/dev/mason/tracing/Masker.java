package dev.mason.tracing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.mason.env.SecretText;
import dev.mason.env.SecretVariables;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Takes credentials out of what goes into a span, with the masking Mason's logs and errors use
 * ({@link SecretText}): Mason's own secrets, the run's caller's token, anything token-shaped; and
 * in JSON (tool inputs), the value of every field named like a secret ({@code password},
 * {@code token}, {@code client_secret}, {@code api_key}, … as {@link SecretVariables} names them).
 */
final class Masker {
  private final List<String> secrets;

  Masker(List<String> secrets) {
    this.secrets = SecretText.maskable(secrets);
  }

  /** This masker with one more secret (a caller's token); null adds nothing. */
  Masker and(String secret) {
    if (secret == null) {
      return this;
    }
    List<String> more = new ArrayList<>(secrets);
    more.add(secret);
    return new Masker(more);
  }

  String text(String text) {
    return SecretText.mask(text, secrets);
  }

  /** A masked copy of {@code node}. */
  JsonNode json(JsonNode node) {
    if (node == null) {
      return null;
    }
    if (node.isTextual()) {
      return TextNode.valueOf(text(node.asText()));
    }
    if (node.isArray()) {
      ArrayNode copy = ((ArrayNode) node).arrayNode();
      node.forEach(item -> copy.add(json(item)));
      return copy;
    }
    if (node.isObject()) {
      ObjectNode copy = ((ObjectNode) node).objectNode();
      for (Map.Entry<String, JsonNode> field : node.properties()) {
        copy.set(field.getKey(), secretName(field.getKey()) ? TextNode.valueOf(SecretText.MASK) : json(field.getValue()));
      }
      return copy;
    }
    return node;
  }

  /** A field named like a secret variable, or like one's suffix ({@code token} as in {@code X_TOKEN}). */
  private static boolean secretName(String name) {
    return SecretVariables.isSecret(name) || SecretVariables.isSecret("X_" + name);
  }
}
