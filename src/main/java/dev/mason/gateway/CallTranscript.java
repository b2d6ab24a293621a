package dev.mason.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mason.tracing.GatewayTraces;
import dev.mason.web.Json;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * What one model call through the gateway said, for tracing: read from the request (already in
 * memory for the request fixes) and from the answer's events as the relay passes them, in each
 * protocol's own shape, and handed to {@link GatewayTraces} in one shape.
 *
 * <p>From the request only its last messages are read: those after the model's last answer (the
 * user's prompt, or the results of the tools that answer asked for), with the tool calls they
 * answer looked up earlier in the history. The answer is rebuilt from its events (text, reasoning,
 * tool calls with their streamed arguments) within bounds: {@link #MAX_TEXT} characters per text
 * and per tool's arguments, {@link #MAX_TOOL_CALLS} tool calls; the rest is cut, so a long stream
 * costs no more memory than that.
 *
 * <p>Not thread-safe: one per request, on the request's thread.
 */
final class CallTranscript implements Consumer<JsonNode> {
  static final int MAX_TEXT = 64 * 1024;
  static final int MAX_TOOL_CALLS = 128;

  /** The protocols whose calls are traced. */
  enum Protocol { ANTHROPIC, OPENAI_CHAT, OPENAI_RESPONSES, GEMINI }

  private final Protocol protocol;
  private final String conversationId;
  private final GatewayTraces.Role role;
  private final String inputMessages;
  private final String prompt;
  private final List<GatewayTraces.ToolRun> toolRuns;

  private final Text text = new Text();
  private final Text reasoning = new Text();
  /** Tool calls of the answer by their index (or id) in the stream. */
  private final Map<String, ToolCall> calls = new LinkedHashMap<>();
  private String stopReason;
  private String error;
  private long cacheRead;
  private long cacheCreation;

  private static final class Text {
    final StringBuilder text = new StringBuilder();

    void add(String more) {
      if (more != null && text.length() < MAX_TEXT) {
        text.append(more, 0, Math.min(more.length(), MAX_TEXT - text.length()));
      }
    }

    boolean isEmpty() {
      return text.isEmpty();
    }

    @Override
    public String toString() {
      return text.toString();
    }
  }

  private static final class ToolCall {
    String id;
    String name;
    final Text arguments = new Text();
  }

  private CallTranscript(Protocol protocol, String conversationId, Input input) {
    this.protocol = protocol;
    this.conversationId = conversationId;
    this.role = input.role();
    this.inputMessages = input.messages();
    this.prompt = input.prompt();
    this.toolRuns = input.toolRuns();
  }

  /**
   * The transcript of a model call, or null when {@code path} is not one (a models list, a token
   * count).
   *
   * @param header a request header by its name, or null
   */
  static CallTranscript of(GatewayApi api, String path, ObjectNode body, java.util.function.UnaryOperator<String> header) {
    Protocol protocol = switch (api) {
      case ANTHROPIC -> path.equals("v1/messages") ? Protocol.ANTHROPIC : null;
      case OPENAI -> path.equals("chat/completions") ? Protocol.OPENAI_CHAT : path.equals("responses") ? Protocol.OPENAI_RESPONSES : null;
      case GEMINI -> path.endsWith(":generateContent") || path.endsWith(":streamGenerateContent") ? Protocol.GEMINI : null;
    };
    if (protocol == null || body == null) {
      return null;
    }
    Input input = switch (protocol) {
      case ANTHROPIC -> Input.anthropic(body);
      case OPENAI_CHAT -> Input.openAiChat(body);
      case OPENAI_RESPONSES -> Input.responses(body);
      case GEMINI -> Input.gemini(body);
    };
    return new CallTranscript(protocol, conversationId(body, header), input);
  }

  /**
   * The CLI's own session or conversation id: Claude Code's {@code X-Claude-Code-Session-Id}
   * header (2.1.86 on) or the {@code session_id} in its {@code metadata.user_id} (a JSON object,
   * or {@code user_…_account_…_session_<uuid>} before 2.1.78); Codex's {@code session_id} and
   * {@code conversation_id} headers; OpenCode's {@code x-opencode-session}. Null when none.
   */
  static String conversationId(ObjectNode body, java.util.function.UnaryOperator<String> header) {
    for (String name : new String[] {"x-claude-code-session-id", "session_id", "conversation_id", "x-opencode-session"}) {
      String value = header.apply(name);
      if (value != null && !value.isBlank()) {
        return clip(value.strip());
      }
    }
    String userId = body.path("metadata").path("user_id").asText("");
    if (userId.startsWith("{")) {
      try {
        String id = Json.MAPPER.readTree(userId).path("session_id").asText("");
        return id.isBlank() ? null : clip(id);
      } catch (java.io.IOException e) {
        return null;
      }
    }
    int at = userId.lastIndexOf("_session_");
    return at < 0 || at + 9 >= userId.length() ? null : clip(userId.substring(at + 9));
  }

  private static String clip(String id) {
    return id.length() > 128 ? id.substring(0, 128) : id;
  }

  @Override
  public void accept(JsonNode node) {
    if (node.isArray()) {
      node.forEach(this::accept);
      return;
    }
    JsonNode failure = node.path("error");
    if (failure.isObject() && failure.path("message").isTextual()) {
      error = failure.path("message").asText();
    } else if (node.path("error_code").isTextual()) {
      error = node.path("error_code").asText() + ": " + node.path("message").asText("");
    }
    switch (protocol) {
      case ANTHROPIC -> anthropic(node);
      case OPENAI_CHAT -> openAiChat(node);
      case OPENAI_RESPONSES -> responses(node.has("response") ? node.path("response") : node);
      case GEMINI -> gemini(node);
    }
  }

  private void anthropic(JsonNode node) {
    switch (node.path("type").asText("")) {
      case "message_start" -> anthropicUsage(node.path("message").path("usage"));
      case "content_block_start" -> {
        JsonNode block = node.path("content_block");
        switch (block.path("type").asText("")) {
          case "text" -> text.add(block.path("text").asText(""));
          case "thinking" -> reasoning.add(block.path("thinking").asText(""));
          case "tool_use", "server_tool_use" -> {
            ToolCall call = call(node.path("index").asText());
            if (call != null) {
              call.id = block.path("id").asText(null);
              call.name = block.path("name").asText("unknown");
              if (block.path("input").isObject() && !block.path("input").isEmpty()) {
                call.arguments.add(block.path("input").toString());
              }
            }
          }
          default -> { }
        }
      }
      case "content_block_delta" -> {
        JsonNode delta = node.path("delta");
        switch (delta.path("type").asText("")) {
          case "text_delta" -> text.add(delta.path("text").asText(""));
          case "thinking_delta" -> reasoning.add(delta.path("thinking").asText(""));
          case "input_json_delta" -> {
            ToolCall call = calls.get(node.path("index").asText());
            if (call != null) {
              call.arguments.add(delta.path("partial_json").asText(""));
            }
          }
          default -> { }
        }
      }
      case "message_delta" -> stopReason = node.path("delta").path("stop_reason").asText(stopReason);
      case "message" -> {
        // A whole answer (no stream).
        anthropicUsage(node.path("usage"));
        int index = 0;
        for (JsonNode block : node.path("content")) {
          switch (block.path("type").asText("")) {
            case "text" -> text.add(block.path("text").asText(""));
            case "thinking" -> reasoning.add(block.path("thinking").asText(""));
            case "tool_use" -> {
              ToolCall call = call(Integer.toString(index));
              if (call != null) {
                call.id = block.path("id").asText(null);
                call.name = block.path("name").asText("unknown");
                call.arguments.add(block.path("input").toString());
              }
            }
            default -> { }
          }
          index++;
        }
        stopReason = node.path("stop_reason").asText(null);
      }
      default -> { }
    }
  }

  private void anthropicUsage(JsonNode usage) {
    cacheRead = Math.max(cacheRead, usage.path("cache_read_input_tokens").asLong(0));
    cacheCreation = Math.max(cacheCreation, usage.path("cache_creation_input_tokens").asLong(0));
  }

  private void openAiChat(JsonNode node) {
    cacheRead = Math.max(cacheRead, node.path("usage").path("prompt_tokens_details").path("cached_tokens").asLong(0));
    for (JsonNode choice : node.path("choices")) {
      JsonNode delta = choice.has("delta") ? choice.path("delta") : choice.path("message");
      if (delta.path("content").isTextual()) {
        text.add(delta.path("content").asText());
      }
      for (String field : new String[] {"reasoning_content", "reasoning"}) {
        if (delta.path(field).isTextual()) {
          reasoning.add(delta.path(field).asText());
        }
      }
      int position = 0;
      for (JsonNode toolCall : delta.path("tool_calls")) {
        ToolCall call = call(toolCall.path("index").asText(Integer.toString(position++)));
        if (call != null) {
          if (toolCall.path("id").isTextual()) {
            call.id = toolCall.path("id").asText();
          }
          if (toolCall.path("function").path("name").isTextual()) {
            call.name = toolCall.path("function").path("name").asText();
          }
          call.arguments.add(toolCall.path("function").path("arguments").asText(""));
        }
      }
      if (choice.path("finish_reason").isTextual()) {
        stopReason = choice.path("finish_reason").asText();
      }
    }
  }

  /** A Responses API response object: its output is complete in {@code response.completed} and a whole answer. */
  private void responses(JsonNode response) {
    if (!response.path("output").isArray() || !response.path("status").isTextual()) {
      return;
    }
    String status = response.path("status").asText();
    if (status.equals("in_progress") || status.equals("queued")) {
      return;
    }
    cacheRead = Math.max(cacheRead, response.path("usage").path("input_tokens_details").path("cached_tokens").asLong(0));
    stopReason = status;
    int index = 0;
    for (JsonNode item : response.path("output")) {
      switch (item.path("type").asText("")) {
        case "message" -> {
          for (JsonNode part : item.path("content")) {
            text.add(part.path("text").asText(""));
          }
        }
        case "reasoning" -> {
          for (JsonNode part : item.path("summary")) {
            reasoning.add(part.path("text").asText(""));
          }
        }
        case "function_call", "custom_tool_call" -> {
          ToolCall call = call("item-" + index);
          if (call != null) {
            call.id = item.path("call_id").asText(null);
            call.name = item.path("name").asText("unknown");
            call.arguments.add(item.has("arguments") ? item.path("arguments").asText("") : item.path("input").asText(""));
          }
        }
        default -> { }
      }
      index++;
    }
  }

  private void gemini(JsonNode node) {
    cacheRead = Math.max(cacheRead, node.path("usageMetadata").path("cachedContentTokenCount").asLong(0));
    for (JsonNode candidate : node.path("candidates")) {
      for (JsonNode part : candidate.path("content").path("parts")) {
        if (part.path("functionCall").isObject()) {
          JsonNode function = part.path("functionCall");
          ToolCall call = call("call-" + calls.size());
          if (call != null) {
            call.id = function.path("id").asText(null);
            call.name = function.path("name").asText("unknown");
            call.arguments.add(function.path("args").toString());
          }
        } else if (part.path("text").isTextual()) {
          (part.path("thought").asBoolean(false) ? reasoning : text).add(part.path("text").asText());
        }
      }
      if (candidate.path("finishReason").isTextual()) {
        stopReason = candidate.path("finishReason").asText();
      }
    }
  }

  /** The tool call at {@code key}, made when new; null past {@link #MAX_TOOL_CALLS}. */
  private ToolCall call(String key) {
    ToolCall call = calls.get(key);
    if (call == null && calls.size() < MAX_TOOL_CALLS) {
      call = new ToolCall();
      calls.put(key, call);
    }
    return call;
  }

  /** The call as {@link GatewayTraces} records it. */
  GatewayTraces.Call call(String sessionId, String cli, String user, String userToken, UsageTap tap, int status,
      Instant start, Instant end, String failure) {
    ObjectNode message = Json.MAPPER.createObjectNode().put("role", "assistant");
    ArrayNode parts = message.putArray("parts");
    if (!reasoning.isEmpty()) {
      parts.addObject().put("type", "reasoning").put("content", reasoning.toString());
    }
    if (!text.isEmpty()) {
      parts.addObject().put("type", "text").put("content", text.toString());
    }
    for (ToolCall call : calls.values()) {
      ObjectNode part = parts.addObject().put("type", "tool_call").put("id", call.id).put("name", call.name == null ? "unknown" : call.name);
      part.set("arguments", parsedOrText(call.arguments.toString()));
    }
    if (stopReason != null) {
      message.put("finish_reason", stopReason);
    }
    String why = failure != null ? failure : status / 100 != 2 ? "HTTP " + status + (error == null ? "" : ": " + error) : null;
    var tokens = new GatewayTraces.Tokens(tap.inputTokens(), tap.outputTokens(), cacheRead, cacheCreation);
    return new GatewayTraces.Call(sessionId, conversationId, cli, user, userToken, tap.model(), role, inputMessages, prompt,
        parts.isEmpty() ? null : Json.MAPPER.createArrayNode().add(message).toString(), text.isEmpty() ? null : text.toString(),
        !calls.isEmpty(), toolRuns, tokens, start, end, stopReason, why);
  }

  private static JsonNode parsedOrText(String arguments) {
    if (arguments.isBlank()) {
      return Json.MAPPER.createObjectNode();
    }
    try {
      return Json.MAPPER.readTree(arguments);
    } catch (java.io.IOException e) {
      return Json.MAPPER.getNodeFactory().textNode(arguments);
    }
  }

  /**
   * What a request says that is new to its call: its role in the turn, the new messages (GenAI
   * shape), the user's words, and the tool calls whose results it carries.
   */
  record Input(GatewayTraces.Role role, String messages, String prompt, List<GatewayTraces.ToolRun> toolRuns) {
    private record Asked(String name, String arguments) {}

    /** Collects the new messages of one request, in any protocol. */
    private static final class Builder {
      final ArrayNode messages = Json.MAPPER.createArrayNode();
      final Text prompt = new Text();
      final Map<String, String[]> answered = new LinkedHashMap<>();
      final Map<String, Asked> asked = new LinkedHashMap<>();
      final Set<String> errors = new LinkedHashSet<>();
      ObjectNode current;

      void message(String role) {
        current = messages.addObject().put("role", role);
        current.putArray("parts");
      }

      void text(String content, boolean fromUser) {
        if (content == null || content.isBlank()) {
          return;
        }
        ((ArrayNode) current.get("parts")).addObject().put("type", "text").put("content", cut(content));
        if (fromUser) {
          prompt.add(prompt.isEmpty() ? content : "\n" + content);
        }
      }

      void result(String id, String name, String content, boolean isError) {
        String key = id != null ? id : name;
        ((ArrayNode) current.get("parts")).addObject().put("type", "tool_call_response").put("id", key).put("response", cut(content));
        if (key != null && answered.size() < MAX_TOOL_CALLS) {
          answered.put(key, new String[] {name, cut(content)});
          if (isError) {
            errors.add(key);
          }
        }
      }

      void asked(String id, String name, JsonNode arguments) {
        if (id != null && answered.containsKey(id)) {
          asked.put(id, new Asked(name, cut(arguments.isTextual() ? arguments.asText() : arguments.toString())));
        }
      }

      Input build(boolean offersTools) {
        List<GatewayTraces.ToolRun> runs = new ArrayList<>();
        answered.forEach((id, result) -> {
          Asked call = asked.get(id);
          String name = call != null ? call.name() : result[0] != null ? result[0] : "unknown";
          runs.add(new GatewayTraces.ToolRun(id, name, call != null ? call.arguments() : null, result[1], errors.contains(id)));
        });
        GatewayTraces.Role role = !answered.isEmpty() ? GatewayTraces.Role.TOOL_RESULTS
            : offersTools ? GatewayTraces.Role.PROMPT : GatewayTraces.Role.SIDE;
        messages.forEach(m -> {
          if (m.path("parts").isEmpty()) {
            ((ObjectNode) m).remove("parts");
          }
        });
        return new Input(role, messages.toString(), prompt.isEmpty() ? null : prompt.toString(), runs);
      }
    }

    private static String cut(String text) {
      return text == null ? "" : text.length() > MAX_TEXT ? text.substring(0, MAX_TEXT) : text;
    }

    /** The index after the model's last answer in {@code items}. */
    private static int tail(JsonNode items, java.util.function.Predicate<JsonNode> fromModel) {
      int from = 0;
      for (int i = 0; i < items.size(); i++) {
        if (fromModel.test(items.get(i))) {
          from = i + 1;
        }
      }
      return from;
    }

    private static boolean offers(JsonNode tools) {
      return tools.isArray() && !tools.isEmpty();
    }

    /** Text of a content that is a string or a list of blocks with {@code text}. */
    private static String textOf(JsonNode content) {
      if (content.isTextual()) {
        return content.asText();
      }
      StringBuilder text = new StringBuilder();
      for (JsonNode block : content) {
        if (block.path("text").isTextual()) {
          text.append(text.isEmpty() ? "" : "\n").append(block.path("text").asText());
        }
      }
      return content.isArray() || content.isMissingNode() ? text.toString() : content.toString();
    }

    static Input anthropic(ObjectNode body) {
      JsonNode messages = body.path("messages");
      var builder = new Builder();
      for (int i = tail(messages, m -> m.path("role").asText().equals("assistant")); i < messages.size(); i++) {
        JsonNode message = messages.get(i);
        builder.message("user");
        JsonNode content = message.path("content");
        if (content.isTextual()) {
          builder.text(content.asText(), true);
        }
        for (JsonNode block : content.isArray() ? content : Json.MAPPER.createArrayNode()) {
          switch (block.path("type").asText("")) {
            case "text" -> builder.text(block.path("text").asText(), true);
            case "tool_result" -> builder.result(block.path("tool_use_id").asText(null), null, textOf(block.path("content")),
                block.path("is_error").asBoolean(false));
            default -> { }
          }
        }
      }
      for (JsonNode message : messages) {
        for (JsonNode block : message.path("content").isArray() ? message.path("content") : Json.MAPPER.createArrayNode()) {
          if (block.path("type").asText().equals("tool_use")) {
            builder.asked(block.path("id").asText(null), block.path("name").asText("unknown"), block.path("input"));
          }
        }
      }
      return builder.build(offers(body.path("tools")));
    }

    static Input openAiChat(ObjectNode body) {
      JsonNode messages = body.path("messages");
      var builder = new Builder();
      for (int i = tail(messages, m -> m.path("role").asText().equals("assistant")); i < messages.size(); i++) {
        JsonNode message = messages.get(i);
        String role = message.path("role").asText();
        switch (role) {
          case "user" -> {
            builder.message("user");
            builder.text(textOf(message.path("content")), true);
          }
          case "tool" -> {
            builder.message("tool");
            builder.result(message.path("tool_call_id").asText(null), message.path("name").asText(null),
                textOf(message.path("content")), false);
          }
          default -> { }
        }
      }
      for (JsonNode message : messages) {
        for (JsonNode call : message.path("tool_calls")) {
          builder.asked(call.path("id").asText(null), call.path("function").path("name").asText("unknown"),
              call.path("function").path("arguments"));
        }
      }
      return builder.build(offers(body.path("tools")) || offers(body.path("functions")));
    }

    static Input responses(ObjectNode body) {
      JsonNode input = body.path("input");
      var builder = new Builder();
      if (input.isTextual()) {
        builder.message("user");
        builder.text(input.asText(), true);
        return builder.build(offers(body.path("tools")));
      }
      java.util.function.Predicate<JsonNode> fromModel = item -> switch (item.path("type").asText("message")) {
        case "message" -> item.path("role").asText().equals("assistant");
        case "function_call", "custom_tool_call", "reasoning", "local_shell_call", "web_search_call" -> true;
        default -> false;
      };
      for (int i = tail(input, fromModel); i < input.size(); i++) {
        JsonNode item = input.get(i);
        switch (item.path("type").asText("message")) {
          case "message" -> {
            if (item.path("role").asText().equals("user")) {
              builder.message("user");
              builder.text(textOf(item.path("content")), true);
            }
          }
          case "function_call_output", "custom_tool_call_output" -> {
            builder.message("tool");
            JsonNode output = item.path("output");
            builder.result(item.path("call_id").asText(null), null, output.isTextual() ? output.asText() : textOf(output), false);
          }
          default -> { }
        }
      }
      for (JsonNode item : input) {
        String type = item.path("type").asText("");
        if (type.equals("function_call") || type.equals("custom_tool_call")) {
          builder.asked(item.path("call_id").asText(null), item.path("name").asText("unknown"),
              item.has("arguments") ? item.path("arguments") : item.path("input"));
        }
      }
      return builder.build(offers(body.path("tools")));
    }

    static Input gemini(ObjectNode body) {
      JsonNode contents = body.path("contents");
      var builder = new Builder();
      for (int i = tail(contents, c -> c.path("role").asText().equals("model")); i < contents.size(); i++) {
        builder.message("user");
        for (JsonNode part : contents.get(i).path("parts")) {
          if (part.path("functionResponse").isObject()) {
            JsonNode response = part.path("functionResponse");
            String name = response.path("name").asText("unknown");
            builder.result(response.path("id").asText(name), name, response.path("response").toString(), false);
          } else if (part.path("text").isTextual()) {
            builder.text(part.path("text").asText(), true);
          }
        }
      }
      for (JsonNode content : contents) {
        for (JsonNode part : content.path("parts")) {
          if (part.path("functionCall").isObject()) {
            JsonNode call = part.path("functionCall");
            String name = call.path("name").asText("unknown");
            builder.asked(call.path("id").asText(name), name, call.path("args"));
          }
        }
      }
      return builder.build(offers(body.path("tools")));
    }
  }
}
