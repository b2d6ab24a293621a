package dev.mason.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.util.Iterator;
import java.util.Map;

/**
 * Text as PostgreSQL can hold it, and back: any string a user, a model or a tool produced is
 * stored and read back exactly.
 *
 * <p>PostgreSQL refuses U+0000 in {@code text} and {@code jsonb}, and a lone UTF-16 surrogate has
 * no UTF-8 form (the driver writes {@code ?}). Each such code unit, and the escape character
 * itself, is stored as {@link #ESCAPE} followed by four hex digits: U+0000 becomes
 * U+E000 followed by "0000". Every other string is stored unchanged, so the escape costs nothing for
 * ordinary text and rows written before it existed read back as they were, unless one happens
 * to contain U+E000 (a private-use character) followed by four hex digits.
 */
public final class StoredText {
  /** A private-use character: it has no meaning of its own in text users write. */
  static final char ESCAPE = '\uE000';
  private static final String HEX = "0123456789ABCDEF";
  /** Parses and writes JSON documents as they are; only strings inside them are changed. */
  private static final ObjectMapper PLAIN = new ObjectMapper();

  private StoredText() {}

  /** {@code text} in its storable form; null stays null. */
  public static String encode(String text) {
    if (text == null) {
      return null;
    }
    int first = firstUnstorable(text);
    if (first < 0) {
      return text;
    }
    StringBuilder out = new StringBuilder(text.length() + 16).append(text, 0, first);
    for (int i = first; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c == 0 || c == ESCAPE) {
        escape(out, c);
      } else if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
        out.append(c).append(text.charAt(++i));
      } else if (Character.isSurrogate(c)) {
        escape(out, c);
      } else {
        out.append(c);
      }
    }
    return out.toString();
  }

  /** The text {@link #encode} was given; null stays null. */
  public static String decode(String stored) {
    if (stored == null || stored.indexOf(ESCAPE) < 0) {
      return stored;
    }
    StringBuilder out = new StringBuilder(stored.length());
    for (int i = 0; i < stored.length(); i++) {
      char c = stored.charAt(i);
      int code = c == ESCAPE && i + 4 < stored.length() ? hex(stored, i + 1) : -1;
      if (code >= 0) {
        out.append((char) code);
        i += 4;
      } else {
        out.append(c);
      }
    }
    return out.toString();
  }

  /** A copy of {@code node} with every string (field names too) encoded; the node itself when none needs it. */
  public static JsonNode encode(JsonNode node) {
    return map(node, true);
  }

  /** The JSON {@link #encode(JsonNode)} was given. */
  public static JsonNode decode(JsonNode node) {
    return map(node, false);
  }

  private static JsonNode map(JsonNode node, boolean encode) {
    if (node == null) {
      return null;
    }
    if (node.isTextual()) {
      String text = node.textValue();
      String mapped = encode ? encode(text) : decode(text);
      return mapped.equals(text) ? node : TextNode.valueOf(mapped);
    }
    if (node instanceof ArrayNode array) {
      ArrayNode copy = null;
      for (int i = 0; i < array.size(); i++) {
        JsonNode element = array.get(i);
        JsonNode mapped = map(element, encode);
        if (mapped != element && copy == null) {
          copy = array.deepCopy();
        }
        if (copy != null) {
          copy.set(i, mapped);
        }
      }
      return copy != null ? copy : array;
    }
    if (node instanceof ObjectNode object) {
      boolean changed = false;
      ObjectNode copy = JsonNodeFactory.instance.objectNode();
      for (Iterator<Map.Entry<String, JsonNode>> fields = object.fields(); fields.hasNext(); ) {
        Map.Entry<String, JsonNode> field = fields.next();
        String name = encode ? encode(field.getKey()) : decode(field.getKey());
        JsonNode mapped = map(field.getValue(), encode);
        changed |= !name.equals(field.getKey()) || mapped != field.getValue();
        copy.set(name, mapped);
      }
      return changed ? copy : object;
    }
    return node;
  }

  /** A JSON document in its storable form: {@link #encode(JsonNode)} on its text. */
  public static String encodeJson(String json) {
    if (json == null || !mayNeedEscapes(json)) {
      return json;
    }
    try {
      return PLAIN.writeValueAsString(encode(PLAIN.readTree(json)));
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("not JSON: " + e.getOriginalMessage(), e);
    }
  }

  /** The JSON document {@link #encodeJson} was given, as PostgreSQL returns it. */
  public static String decodeJson(String stored) {
    if (stored == null || stored.indexOf(ESCAPE) < 0) {
      return stored;
    }
    try {
      return PLAIN.writeValueAsString(decode(PLAIN.readTree(stored)));
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("stored JSON is unreadable: " + e.getOriginalMessage(), e);
    }
  }

  /** NUL and surrogates appear in JSON text as escapes, or raw; the escape character raw. */
  private static boolean mayNeedEscapes(String json) {
    String lower = json.toLowerCase(java.util.Locale.ROOT);
    return lower.contains("\\u0000") || lower.contains("\\ud") || firstUnstorable(json) >= 0;
  }

  private static int firstUnstorable(String text) {
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c == 0 || c == ESCAPE) {
        return i;
      }
      if (Character.isSurrogate(c)) {
        if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
          i++;
        } else {
          return i;
        }
      }
    }
    return -1;
  }

  private static void escape(StringBuilder out, char c) {
    out.append(ESCAPE).append(HEX.charAt(c >> 12 & 0xF)).append(HEX.charAt(c >> 8 & 0xF))
        .append(HEX.charAt(c >> 4 & 0xF)).append(HEX.charAt(c & 0xF));
  }

  private static int hex(String s, int from) {
    int code = 0;
    for (int i = from; i < from + 4; i++) {
      int digit = HEX.indexOf(s.charAt(i));
      if (digit < 0) {
        return -1;
      }
      code = code << 4 | digit;
    }
    return code;
  }
}
