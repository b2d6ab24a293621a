package dev.mason.tracing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mason.web.Json;

/**
 * Messages in the shape of the GenAI semantic conventions' {@code gen_ai.input.messages} and
 * {@code gen_ai.output.messages}: {@code [{"role": …, "parts": [{"type": "text", "content": …}, …]}]},
 * parts of type text, reasoning, tool_call and tool_call_response.
 */
final class Messages {
  private Messages() {}

  static ObjectNode message(String role) {
    ObjectNode message = Json.MAPPER.createObjectNode().put("role", role);
    message.putArray("parts");
    return message;
  }

  static ObjectNode text(String type, String content) {
    return Json.MAPPER.createObjectNode().put("type", type).put("content", content);
  }

  static ObjectNode toolCall(String id, String name, JsonNode arguments) {
    ObjectNode part = Json.MAPPER.createObjectNode().put("type", "tool_call").put("id", id).put("name", name);
    part.set("arguments", arguments);
    return part;
  }

  static ObjectNode toolResponse(String id, String response) {
    return Json.MAPPER.createObjectNode().put("type", "tool_call_response").put("id", id).put("response", response);
  }

  static ArrayNode parts(ObjectNode message) {
    return (ArrayNode) message.get("parts");
  }

  /** One message with one text part, as a JSON array. */
  static String single(String role, String type, String content) {
    ObjectNode message = message(role);
    parts(message).add(text(type, content));
    return Json.MAPPER.createArrayNode().add(message).toString();
  }

  /** A JSON string literal of {@code text}, as MLflow's span inputs and outputs hold values. */
  static String literal(String text) {
    return Json.MAPPER.getNodeFactory().textNode(text).toString();
  }
}
