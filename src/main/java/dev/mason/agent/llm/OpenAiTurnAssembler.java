package dev.mason.agent.llm;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.mason.agent.message.ContentBlock;
import dev.mason.web.Json;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Builds a {@link ModelTurn} from the chunks of one chat-completions stream, in Mason's blocks:
 * reasoning (when a server streams it) as thinking without a signature, then the text, then one
 * tool use per tool call.
 *
 * <p>Tool calls arrive as {@code delta.tool_calls} fragments keyed by {@code index}: the first
 * carries the id and the function name, the rest pieces of the {@code arguments} string, joined and
 * parsed when the stream ends. A fragment with a new id at a known index starts a new call (some
 * compatible servers put every call at index 0). A call without an id gets a generated one.
 *
 * <p>The finish reason is translated to the Anthropic vocabulary; when tool calls arrived the stop
 * reason is {@code tool_use} whatever the server said (some endpoints say {@code stop}). Usage
 * comes in the last chunk ({@code stream_options.include_usage}); cached prompt tokens are moved out
 * of the input count (see {@link Usage}). Not thread-safe: one per attempt.
 */
final class OpenAiTurnAssembler implements TurnAssembler {
  private final StreamListener listener;
  private final StringBuilder reasoning = new StringBuilder();
  private final StringBuilder text = new StringBuilder();
  private final List<Call> calls = new ArrayList<>();
  private final Map<Integer, Call> callsByIndex = new HashMap<>();
  private final List<String> problems = new ArrayList<>();
  private String finishReason;
  /** Whether {@code [DONE]} came. */
  private boolean done;
  private Usage usage = Usage.ZERO;

  private static final class Call {
    String id;
    String name = "";
    final StringBuilder arguments = new StringBuilder();
  }

  OpenAiTurnAssembler(StreamListener listener) {
    this.listener = listener;
  }

  /**
   * Takes one chunk.
   *
   * @return the chunk when it is an error for the caller to raise, else null
   */
  @Override
  public JsonNode accept(JsonNode chunk) {
    if (chunk.has("error") && !chunk.path("error").isNull()) {
      return chunk;
    }
    for (JsonNode choice : chunk.path("choices")) {
      if (choice.path("index").asInt(0) != 0) {
        continue; // Mason asks for one choice
      }
      delta(choice.path("delta"));
      if (choice.path("finish_reason").isTextual()) {
        finishReason = choice.path("finish_reason").asText();
      }
    }
    JsonNode usageNode = chunk.path("usage");
    if (usageNode.isObject()) {
      long prompt = usageNode.path("prompt_tokens").asLong();
      long cached = usageNode.path("prompt_tokens_details").path("cached_tokens").asLong();
      usage = new Usage(Math.max(0, prompt - cached), usageNode.path("completion_tokens").asLong(), cached, 0);
    }
    return null;
  }

  @Override
  public boolean endMarker(String data) {
    done = data.strip().equals("[DONE]");
    return done;
  }

  @Override
  public boolean stopped() {
    return done;
  }

  /** Without {@code [DONE]} the answer is still whole when a finish reason came. */
  @Override
  public String incomplete() {
    return done || finishReason != null ? null : "the stream ended before a finish reason or [DONE]";
  }

  @Override
  public List<String> problems() {
    return problems;
  }

  @Override
  public ModelTurn turn() {
    List<ContentBlock> blocks = new ArrayList<>();
    if (!reasoning.isEmpty()) {
      blocks.add(new ContentBlock.Thinking(reasoning.toString(), null));
    }
    if (!text.isEmpty()) {
      blocks.add(new ContentBlock.Text(text.toString()));
    }
    for (Call call : calls) {
      blocks.add(new ContentBlock.ToolUse(call.id, call.name, arguments(call)));
    }
    blocks.forEach(listener::onContentBlock);
    return new ModelTurn(blocks, stopReason(), usage);
  }

  private void delta(JsonNode delta) {
    JsonNode content = delta.path("content");
    if (content.isTextual()) {
      appendText(content.asText());
    } else if (content.isArray()) {
      // Databricks' reasoning models stream content as parts: text, and reasoning with summaries
      for (JsonNode part : content) {
        switch (part.path("type").asText()) {
          case "text" -> appendText(part.path("text").asText());
          case "reasoning" -> part.path("summary").forEach(summary -> appendReasoning(summary.path("text").asText()));
          default -> {
            // images and other parts are not part of a turn Mason keeps
          }
        }
      }
    }
    for (String field : new String[] {"reasoning_content", "reasoning"}) {
      if (delta.path(field).isTextual()) {
        appendReasoning(delta.path(field).asText());
      }
    }
    for (JsonNode fragment : delta.path("tool_calls")) {
      toolCall(fragment);
    }
  }

  private void toolCall(JsonNode fragment) {
    String id = fragment.path("id").isTextual() && !fragment.path("id").asText().isEmpty() ? fragment.path("id").asText() : null;
    int index = fragment.path("index").isInt() ? fragment.path("index").asInt() : (calls.isEmpty() ? 0 : indexOf(calls.get(calls.size() - 1)));
    Call call = callsByIndex.get(index);
    if (call == null || (id != null && call.id != null && !call.id.equals(id))) {
      call = new Call();
      calls.add(call);
      callsByIndex.put(index, call);
    }
    if (id != null && call.id == null) {
      call.id = id;
    }
    JsonNode function = fragment.path("function");
    if (function.path("name").isTextual() && call.name.isEmpty()) {
      call.name = function.path("name").asText();
    }
    JsonNode arguments = function.path("arguments");
    if (arguments.isTextual()) {
      call.arguments.append(arguments.asText());
    } else if (arguments.isObject()) {
      call.arguments.setLength(0); // a server that sends the arguments whole, as an object
      call.arguments.append(arguments);
    }
  }

  private int indexOf(Call call) {
    return callsByIndex.entrySet().stream().filter(e -> e.getValue() == call).findFirst().map(Map.Entry::getKey).orElse(0);
  }

  private JsonNode arguments(Call call) {
    if (call.id == null) {
      call.id = "call_" + UUID.randomUUID().toString().replace("-", "").substring(0, 24);
    }
    String json = call.arguments.toString();
    if (json.isBlank()) {
      return null;
    }
    try {
      return Json.MAPPER.readTree(json);
    } catch (JsonProcessingException e) {
      problems.add("sent arguments for tool " + call.name + " that are not valid JSON (" + json.length() + " characters)");
      return null;
    }
  }

  private String stopReason() {
    String reason = EndpointFixes.openAiFinishReason(finishReason, !calls.isEmpty());
    if (reason == null) {
      return null;
    }
    return switch (reason) {
      case "stop" -> "end_turn";
      case "length" -> "max_tokens";
      case "tool_calls", "function_call" -> "tool_use";
      case "content_filter" -> "refusal";
      default -> reason;
    };
  }

  private void appendText(String piece) {
    if (!piece.isEmpty()) {
      text.append(piece);
      listener.onTextDelta(piece);
    }
  }

  private void appendReasoning(String piece) {
    if (!piece.isEmpty()) {
      reasoning.append(piece);
      listener.onThinkingDelta(piece);
    }
  }
}
