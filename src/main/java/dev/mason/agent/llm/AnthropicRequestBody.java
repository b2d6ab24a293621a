package dev.mason.agent.llm;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mason.agent.message.ChatMessage;
import dev.mason.agent.message.ContentBlock;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The JSON of a streaming Messages API request.
 *
 * <ul>
 *   <li>Prompt caching: {@code cache_control: {type: ephemeral}} on the system prompt, on the last
 *       tool, and on the last block of the last message, so each turn of an agent loop reads the
 *       conversation so far from the cache (three of the four breakpoints the API allows).
 *   <li>Extended thinking: {@code thinking: {type: enabled, budget_tokens}} when a budget is asked
 *       for, except while a tool loop is under way whose assistant turn started without thinking
 *       (e.g. it came from an OpenAI model): the API demands thinking first in that turn, so such a
 *       request goes without thinking until the loop ends.
 *   <li>Thinking blocks go back with their signatures; thinking without a signature (never signed,
 *       or from another protocol) cannot be sent and is dropped.
 *   <li>Tool ids from other protocols are made to fit the API's {@code [a-zA-Z0-9_-]} rule, the same
 *       way in a call and its result.
 * </ul>
 */
final class AnthropicRequestBody {
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
  private static final Pattern NOT_ID = Pattern.compile("[^a-zA-Z0-9_-]");

  private AnthropicRequestBody() {}

  static ObjectNode of(ModelRequest request) {
    List<ChatMessage> messages = ConversationSanitizer.sanitize(request.messages(), AnthropicRequestBody::accepts);
    ObjectNode body = NODES.objectNode();
    body.put("model", request.model());
    body.put("max_tokens", request.maxTokens());
    body.put("stream", true);
    if (request.system() != null && !request.system().isBlank()) {
      ObjectNode system = body.putArray("system").addObject().put("type", "text").put("text", request.system());
      system.set("cache_control", ephemeral());
    }
    ArrayNode wireMessages = body.putArray("messages");
    for (ChatMessage message : messages) {
      ObjectNode wire = wireMessages.addObject().put("role", message.role().wire());
      ArrayNode content = wire.putArray("content");
      message.content().forEach(block -> content.add(wire(block)));
    }
    markLastBlockForCaching(wireMessages);
    if (!request.tools().isEmpty()) {
      ArrayNode tools = body.putArray("tools");
      for (ToolSpec tool : request.tools()) {
        ObjectNode wire = tools.addObject().put("name", tool.name());
        if (!tool.description().isBlank()) {
          wire.put("description", tool.description());
        }
        wire.set("input_schema", SchemaSanitizer.sanitize(tool.inputSchema()));
      }
      ((ObjectNode) tools.get(tools.size() - 1)).set("cache_control", ephemeral());
    }
    if (request.thinkingBudgetTokens() != null && !toolLoopWithoutThinking(messages)) {
      body.putObject("thinking").put("type", "enabled").put("budget_tokens", request.thinkingBudgetTokens());
    }
    return body;
  }

  private static boolean accepts(ContentBlock block) {
    return !(block instanceof ContentBlock.Thinking thinking) || (thinking.signature() != null && !thinking.signature().isEmpty());
  }

  private static ObjectNode wire(ContentBlock block) {
    return switch (block) {
      case ContentBlock.ToolUse use -> {
        ObjectNode node = NODES.objectNode().put("type", "tool_use").put("id", toolId(use.id())).put("name", use.name());
        node.set("input", use.input().isObject() ? use.input() : NODES.objectNode());
        yield node;
      }
      case ContentBlock.ToolResult result -> {
        ObjectNode node = NODES.objectNode().put("type", "tool_result").put("tool_use_id", toolId(result.toolUseId()));
        if (!result.content().isEmpty()) {
          node.put("content", result.content()); // an empty text would be refused; no content is allowed
        }
        if (result.isError()) {
          node.put("is_error", true);
        }
        yield node;
      }
      case ContentBlock.Text text -> text.toJson();
      case ContentBlock.Thinking thinking -> thinking.toJson();
      case ContentBlock.RedactedThinking redacted -> redacted.toJson();
    };
  }

  static String toolId(String id) {
    String clean = NOT_ID.matcher(id).replaceAll("_");
    return clean.isEmpty() ? "tool_" : clean;
  }

  private static void markLastBlockForCaching(ArrayNode messages) {
    if (messages.isEmpty()) {
      return;
    }
    ArrayNode content = (ArrayNode) messages.get(messages.size() - 1).get("content");
    if (content.isEmpty()) {
      return;
    }
    ObjectNode last = (ObjectNode) content.get(content.size() - 1);
    String type = last.path("type").asText();
    if (type.equals("text") || type.equals("tool_result") || type.equals("tool_use")) {
      last.set("cache_control", ephemeral());
    }
  }

  /** Whether the conversation ends in tool results answering an assistant turn that did not begin with thinking. */
  private static boolean toolLoopWithoutThinking(List<ChatMessage> messages) {
    if (messages.size() < 2) {
      return false;
    }
    ChatMessage last = messages.get(messages.size() - 1);
    ChatMessage previous = messages.get(messages.size() - 2);
    boolean answersTools = last.role() == ChatMessage.Role.USER
        && last.content().stream().anyMatch(ContentBlock.ToolResult.class::isInstance);
    if (!answersTools || previous.role() != ChatMessage.Role.ASSISTANT || previous.content().isEmpty()) {
      return false;
    }
    ContentBlock first = previous.content().get(0);
    return !(first instanceof ContentBlock.Thinking || first instanceof ContentBlock.RedactedThinking);
  }

  private static ObjectNode ephemeral() {
    return NODES.objectNode().put("type", "ephemeral");
  }
}
