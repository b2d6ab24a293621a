package dev.mason.agent.message;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Objects;

/**
 * One block of a message's content, in the shape Mason stores and replays: the Anthropic Messages
 * block types, which carry everything (thinking signatures included) that any model needs to
 * resume a conversation. OpenAI-compatible clients translate to and from these.
 */
public sealed interface ContentBlock {

  /** The block as stored JSON: {@code {"type": "...", ...}}. */
  ObjectNode toJson();

  record Text(String text) implements ContentBlock {
    public Text {
      Objects.requireNonNull(text, "text");
    }

    @Override
    public ObjectNode toJson() {
      return node("text").put("text", text);
    }
  }

  /** @param signature the model's signature over the thinking, required to send it back; may be null */
  record Thinking(String thinking, String signature) implements ContentBlock {
    public Thinking {
      Objects.requireNonNull(thinking, "thinking");
    }

    @Override
    public ObjectNode toJson() {
      ObjectNode node = node("thinking").put("thinking", thinking);
      if (signature != null) {
        node.put("signature", signature);
      }
      return node;
    }
  }

  record RedactedThinking(String data) implements ContentBlock {
    @Override
    public ObjectNode toJson() {
      return node("redacted_thinking").put("data", data);
    }
  }

  /** @param input the tool's arguments, a JSON object */
  record ToolUse(String id, String name, JsonNode input) implements ContentBlock {
    public ToolUse {
      Objects.requireNonNull(id, "id");
      Objects.requireNonNull(name, "name");
      input = input == null ? JsonNodeFactory.instance.objectNode() : input;
    }

    @Override
    public ObjectNode toJson() {
      ObjectNode node = node("tool_use").put("id", id).put("name", name);
      node.set("input", input);
      return node;
    }
  }

  /**
   * @param durationMs how long the call took, kept for the page (the model is never sent it); null
   *     when unknown, as in results stored before it was recorded or made up for interrupted calls
   */
  record ToolResult(String toolUseId, String content, boolean isError, Long durationMs) implements ContentBlock {
    public ToolResult {
      Objects.requireNonNull(toolUseId, "toolUseId");
      content = content == null ? "" : content;
    }

    public ToolResult(String toolUseId, String content, boolean isError) {
      this(toolUseId, content, isError, null);
    }

    @Override
    public ObjectNode toJson() {
      ObjectNode node = node("tool_result").put("tool_use_id", toolUseId).put("content", content).put("is_error", isError);
      if (durationMs != null) {
        node.put("duration_ms", durationMs);
      }
      return node;
    }
  }

  /** Reads a stored block; unknown types are refused rather than silently dropped. */
  static ContentBlock fromJson(JsonNode node) {
    String type = node.path("type").asText();
    return switch (type) {
      case "text" -> new Text(node.path("text").asText());
      case "thinking" -> new Thinking(node.path("thinking").asText(), node.hasNonNull("signature") ? node.get("signature").asText() : null);
      case "redacted_thinking" -> new RedactedThinking(node.path("data").asText());
      case "tool_use" -> new ToolUse(node.path("id").asText(), node.path("name").asText(), node.get("input"));
      case "tool_result" -> new ToolResult(node.path("tool_use_id").asText(), contentText(node.get("content")), node.path("is_error").asBoolean(false),
          node.path("duration_ms").isIntegralNumber() ? node.get("duration_ms").asLong() : null);
      default -> throw new IllegalArgumentException("unknown content block type '" + type + "'");
    };
  }

  /** tool_result content may be a string or a list of text blocks: its text, the blocks joined by newlines. */
  public static String contentText(JsonNode content) {
    if (content == null || content.isNull()) {
      return "";
    }
    if (content.isTextual()) {
      return content.asText();
    }
    StringBuilder text = new StringBuilder();
    for (JsonNode part : content) {
      if (part.has("text")) {
        if (!text.isEmpty()) {
          text.append('\n');
        }
        text.append(part.get("text").asText());
      }
    }
    return text.toString();
  }

  private static ObjectNode node(String type) {
    return JsonNodeFactory.instance.objectNode().put("type", type);
  }
}
