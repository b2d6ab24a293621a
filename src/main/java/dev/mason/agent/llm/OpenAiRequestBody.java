package dev.mason.agent.llm;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mason.agent.message.ChatMessage;
import dev.mason.agent.message.ContentBlock;
import dev.mason.web.Json;
import java.util.ArrayList;
import java.util.List;

/**
 * The JSON of a streaming chat-completions request, translated from Mason's content blocks.
 *
 * <ul>
 *   <li>The system prompt becomes the first message, role {@code system}.
 *   <li>An assistant message becomes one message: its texts joined as {@code content} (null when it
 *       has only tool calls) and its tool uses as {@code tool_calls} with the input serialised as the
 *       {@code arguments} string.
 *   <li>A user message's tool results become {@code role: tool} messages (first, since they must
 *       follow the assistant's calls directly); an error result's content is prefixed with
 *       {@code "Error: "} (the protocol has no error flag) and an empty one reads {@code "(no output)"}.
 *       Its texts follow as one {@code user} message.
 *   <li>Thinking and redacted thinking are dropped: the protocol cannot carry them.
 * </ul>
 *
 * @see OpenAiClient for the token-limit field and {@code stream_options}
 */
final class OpenAiRequestBody {
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
  static final String EMPTY_RESULT = "(no output)";

  private OpenAiRequestBody() {}

  static ObjectNode of(ModelRequest request, String maxTokensField, boolean includeUsage) {
    ObjectNode body = NODES.objectNode();
    body.put("model", request.model());
    body.put(maxTokensField, request.maxTokens());
    body.put("stream", true);
    if (includeUsage) {
      body.putObject("stream_options").put("include_usage", true);
    }
    ArrayNode messages = body.putArray("messages");
    if (request.system() != null && !request.system().isBlank()) {
      messages.addObject().put("role", "system").put("content", request.system());
    }
    List<ChatMessage> conversation = ConversationSanitizer.sanitize(request.messages(),
        block -> !(block instanceof ContentBlock.Thinking || block instanceof ContentBlock.RedactedThinking));
    for (ChatMessage message : conversation) {
      if (message.role() == ChatMessage.Role.ASSISTANT) {
        addAssistant(messages, message);
      } else {
        addUser(messages, message);
      }
    }
    if (!request.tools().isEmpty()) {
      ArrayNode tools = body.putArray("tools");
      for (ToolSpec tool : request.tools()) {
        ObjectNode function = tools.addObject().put("type", "function").putObject("function").put("name", tool.name());
        if (!tool.description().isBlank()) {
          function.put("description", tool.description());
        }
        function.set("parameters", SchemaSanitizer.sanitize(tool.inputSchema()));
      }
    }
    return body;
  }

  private static void addAssistant(ArrayNode messages, ChatMessage message) {
    ObjectNode wire = messages.addObject().put("role", "assistant");
    String text = joinedText(message.content());
    ArrayNode calls = NODES.arrayNode();
    for (ContentBlock block : message.content()) {
      if (block instanceof ContentBlock.ToolUse use) {
        ObjectNode call = calls.addObject().put("id", use.id()).put("type", "function");
        call.putObject("function").put("name", use.name()).put("arguments", Json.write(use.input()));
      }
    }
    if (text.isEmpty()) {
      wire.putNull("content");
    } else {
      wire.put("content", text);
    }
    if (!calls.isEmpty()) {
      wire.set("tool_calls", calls);
    }
  }

  private static void addUser(ArrayNode messages, ChatMessage message) {
    for (ContentBlock block : message.content()) {
      if (block instanceof ContentBlock.ToolResult result) {
        String content = result.content().isEmpty() ? EMPTY_RESULT : result.content();
        messages.addObject().put("role", "tool").put("tool_call_id", result.toolUseId())
            .put("content", result.isError() ? "Error: " + content : content);
      }
    }
    String text = joinedText(message.content());
    if (!text.isEmpty()) {
      messages.addObject().put("role", "user").put("content", text);
    }
  }

  private static String joinedText(List<ContentBlock> blocks) {
    List<String> texts = new ArrayList<>();
    for (ContentBlock block : blocks) {
      if (block instanceof ContentBlock.Text text) {
        texts.add(text.text());
      }
    }
    return String.join("\n\n", texts);
  }
}
