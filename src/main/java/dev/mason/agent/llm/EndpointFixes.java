package dev.mason.agent.llm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mason.agent.message.ChatMessage.Role;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The fixes Databricks endpoints need, applied to requests in their wire JSON: what the model
 * gateway forwards for terminal CLIs. The rules are the ones Mason's own clients apply while they
 * build their requests ({@link ConversationSanitizer}, {@link SchemaSanitizer}), so a fix made for
 * one is made for both.
 *
 * <p>Each method changes the body in place and leaves fields it does not know alone.
 */
public final class EndpointFixes {
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  private EndpointFixes() {}

  /** Anthropic Messages: empty text blocks, unpaired tool calls and results, tool schemas. */
  public static void anthropicMessages(ObjectNode body) {
    if (body.get("messages") instanceof ArrayNode messages) {
      List<ObjectNode> wire = new ArrayList<>();
      for (JsonNode message : messages) {
        if (message instanceof ObjectNode object && roleOf(object) != null) {
          wire.add(object);
        }
      }
      if (wire.size() == messages.size()) {
        ArrayNode clean = NODES.arrayNode();
        ConversationSanitizer.sanitize(wire, ANTHROPIC_JSON, block -> true).forEach(clean::add);
        body.set("messages", clean);
      }
    }
    for (JsonNode tool : body.path("tools")) {
      if (tool instanceof ObjectNode object && object.get("input_schema") instanceof ObjectNode schema) {
        object.set("input_schema", SchemaSanitizer.sanitize(schema));
      }
    }
  }

  /**
   * OpenAI chat completions: text content that is empty, {@code tool} messages that answer no call
   * of the assistant message before them, tool schemas.
   */
  public static void openAiChat(ObjectNode body) {
    if (body.get("messages") instanceof ArrayNode messages) {
      ArrayNode clean = NODES.arrayNode();
      Set<String> openCalls = new HashSet<>();
      for (JsonNode message : messages) {
        String role = message.path("role").asText();
        if (role.equals("tool")) {
          if (!openCalls.remove(message.path("tool_call_id").asText())) {
            continue;
          }
        } else {
          openCalls.clear();
          message.path("tool_calls").forEach(call -> openCalls.add(call.path("id").asText()));
          if (!role.equals("assistant") || !message.has("tool_calls")) {
            JsonNode content = message.get("content");
            if (content == null || content.isNull() || content.isTextual() && content.asText().isBlank()) {
              continue;
            }
          }
        }
        clean.add(message);
      }
      body.set("messages", clean);
    }
    for (JsonNode tool : body.path("tools")) {
      if (tool.get("function") instanceof ObjectNode function && function.get("parameters") instanceof ObjectNode schema) {
        function.set("parameters", SchemaSanitizer.sanitize(schema));
      }
    }
  }

  /** OpenAI responses: function tools' schemas. */
  public static void openAiResponses(ObjectNode body) {
    for (JsonNode tool : body.path("tools")) {
      if (tool instanceof ObjectNode object && "function".equals(object.path("type").asText())
          && object.get("parameters") instanceof ObjectNode schema) {
        object.set("parameters", SchemaSanitizer.sanitize(schema));
      }
    }
  }

  /** Gemini generateContent: empty text parts, contents left without parts, function schemas. */
  public static void gemini(ObjectNode body) {
    if (body.get("contents") instanceof ArrayNode contents) {
      ArrayNode clean = NODES.arrayNode();
      for (JsonNode content : contents) {
        if (content instanceof ObjectNode object && object.get("parts") instanceof ArrayNode parts) {
          ArrayNode kept = NODES.arrayNode();
          parts.forEach(part -> {
            if (!(part.size() == 1 && part.path("text").isTextual() && part.path("text").asText().isBlank())) {
              kept.add(part);
            }
          });
          if (kept.isEmpty()) {
            continue;
          }
          object.set("parts", kept);
        }
        clean.add(content);
      }
      body.set("contents", clean);
    }
    for (JsonNode tool : body.path("tools")) {
      for (JsonNode declaration : tool.path("functionDeclarations")) {
        if (declaration instanceof ObjectNode object) {
          for (String field : new String[] {"parameters", "parametersJsonSchema"}) {
            if (object.get(field) instanceof ObjectNode schema) {
              object.set(field, SchemaSanitizer.sanitize(schema));
            }
          }
        }
      }
    }
  }

  /**
   * The finish reason of an OpenAI chat answer: Databricks endpoints report {@code stop} for an
   * answer that ends in tool calls, which clients then never run.
   */
  public static String openAiFinishReason(String reported, boolean madeToolCalls) {
    return madeToolCalls && ("stop".equals(reported) || reported == null) ? "tool_calls" : reported;
  }

  private static Role roleOf(ObjectNode message) {
    return switch (message.path("role").asText()) {
      case "user" -> Role.USER;
      case "assistant" -> Role.ASSISTANT;
      default -> null;
    };
  }

  /** Anthropic wire messages: string content reads as one text block; rebuilt messages carry a block array. */
  private static final ConversationSanitizer.Shape<ObjectNode, JsonNode> ANTHROPIC_JSON = new ConversationSanitizer.Shape<>() {
    @Override
    public Role role(ObjectNode message) {
      return roleOf(message);
    }

    @Override
    public List<JsonNode> blocks(ObjectNode message) {
      JsonNode content = message.get("content");
      List<JsonNode> blocks = new ArrayList<>();
      if (content != null && content.isTextual()) {
        blocks.add(NODES.objectNode().put("type", "text").put("text", content.asText()));
      } else if (content != null) {
        content.forEach(blocks::add);
      }
      return blocks;
    }

    @Override
    public ObjectNode message(Role role, List<JsonNode> blocks) {
      ObjectNode message = NODES.objectNode().put("role", role.wire());
      message.putArray("content").addAll(blocks);
      return message;
    }

    @Override
    public boolean blankText(JsonNode block) {
      return "text".equals(block.path("type").asText()) && block.path("text").asText().isBlank();
    }

    @Override
    public String toolUseId(JsonNode block) {
      String type = block.path("type").asText();
      return type.equals("tool_use") || type.equals("server_tool_use") ? block.path("id").asText() : null;
    }

    @Override
    public String toolResultId(JsonNode block) {
      return "tool_result".equals(block.path("type").asText()) ? block.path("tool_use_id").asText() : null;
    }

    @Override
    public JsonNode interruptedResult(String toolUseId) {
      return NODES.objectNode().put("type", "tool_result").put("tool_use_id", toolUseId)
          .put("content", ConversationSanitizer.INTERRUPTED_RESULT).put("is_error", true);
    }
  };
}
