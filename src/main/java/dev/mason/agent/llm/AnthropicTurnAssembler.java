package dev.mason.agent.llm;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.mason.agent.message.ContentBlock;
import dev.mason.web.Json;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Builds a {@link ModelTurn} from the events of one Messages stream, passing deltas to the listener
 * as they come.
 *
 * <p>Blocks are kept by their {@code index}. Tool input arrives as {@code input_json_delta}
 * fragments that are not JSON on their own; they are joined and parsed at
 * {@code content_block_stop}. Block types Mason does not know (server tools, for example) are
 * skipped. Usage from {@code message_start} is updated by {@code message_delta}, whose counts are
 * cumulative. Not thread-safe: one per attempt.
 */
final class AnthropicTurnAssembler implements TurnAssembler {
  private final StreamListener listener;
  private final Map<Integer, Open> open = new TreeMap<>();
  private final Map<Integer, ContentBlock> done = new TreeMap<>();
  private final List<String> problems = new ArrayList<>();
  private String stopReason;
  private long inputTokens;
  private long outputTokens;
  private long cacheRead;
  private long cacheCreation;
  private boolean stopped;

  /** A block still streaming. */
  private sealed interface Open {}

  private record OpenText(StringBuilder text) implements Open {}

  private record OpenThinking(StringBuilder thinking, StringBuilder signature) implements Open {}

  private record OpenToolUse(String id, String name, JsonNode startInput, StringBuilder json) implements Open {}

  private record Finished(ContentBlock block) implements Open {}

  private record Skipped() implements Open {}

  AnthropicTurnAssembler(StreamListener listener) {
    this.listener = listener;
  }

  /**
   * Takes one event's data.
   *
   * @return an {@code error} event's payload for the caller to raise, else null
   */
  @Override
  public JsonNode accept(JsonNode event) {
    switch (event.path("type").asText()) {
      case "message_start" -> usage(event.path("message").path("usage"));
      case "content_block_start" -> start(event.path("index").asInt(), event.path("content_block"));
      case "content_block_delta" -> delta(event.path("index").asInt(), event.path("delta"));
      case "content_block_stop" -> stop(event.path("index").asInt());
      case "message_delta" -> {
        JsonNode reason = event.path("delta").path("stop_reason");
        if (reason.isTextual()) {
          stopReason = reason.asText();
        }
        usage(event.path("usage"));
      }
      case "message_stop" -> stopped = true;
      case "error" -> {
        return event;
      }
      default -> {
        // ping, and event types added to the API after this client
      }
    }
    return null;
  }

  @Override
  public boolean stopped() {
    return stopped;
  }

  @Override
  public String incomplete() {
    return stopped ? null : "the stream ended before message_stop";
  }

  @Override
  public List<String> problems() {
    return problems;
  }

  @Override
  public ModelTurn turn() {
    List.copyOf(open.keySet()).forEach(this::stop); // a block the server never closed still counts
    return new ModelTurn(List.copyOf(done.values()), stopReason, new Usage(inputTokens, outputTokens, cacheRead, cacheCreation));
  }

  private void start(int index, JsonNode block) {
    Open state = switch (block.path("type").asText()) {
      case "text" -> new OpenText(new StringBuilder(block.path("text").asText()));
      case "thinking" -> new OpenThinking(new StringBuilder(block.path("thinking").asText()), new StringBuilder(block.path("signature").asText()));
      case "redacted_thinking" -> new Finished(new ContentBlock.RedactedThinking(block.path("data").asText()));
      case "tool_use" -> new OpenToolUse(block.path("id").asText(), block.path("name").asText(), block.get("input"), new StringBuilder());
      default -> new Skipped();
    };
    open.put(index, state);
    if (state instanceof OpenText text && !text.text().isEmpty()) {
      listener.onTextDelta(text.text().toString());
    } else if (state instanceof OpenThinking thinking && !thinking.thinking().isEmpty()) {
      listener.onThinkingDelta(thinking.thinking().toString());
    }
  }

  private void delta(int index, JsonNode delta) {
    Open state = open.get(index);
    switch (delta.path("type").asText()) {
      case "text_delta" -> {
        if (state instanceof OpenText text) {
          String piece = delta.path("text").asText();
          text.text().append(piece);
          listener.onTextDelta(piece);
        }
      }
      case "thinking_delta" -> {
        if (state instanceof OpenThinking thinking) {
          String piece = delta.path("thinking").asText();
          thinking.thinking().append(piece);
          listener.onThinkingDelta(piece);
        }
      }
      case "signature_delta" -> {
        if (state instanceof OpenThinking thinking) {
          thinking.signature().append(delta.path("signature").asText());
        }
      }
      case "input_json_delta" -> {
        if (state instanceof OpenToolUse tool) {
          tool.json().append(delta.path("partial_json").asText());
        }
      }
      default -> {
        // citations_delta and newer delta types carry nothing Mason keeps
      }
    }
  }

  private void stop(int index) {
    Open state = open.remove(index);
    ContentBlock block = switch (state) {
      case null -> null;
      case OpenText text -> text.text().isEmpty() ? null : new ContentBlock.Text(text.text().toString());
      case OpenThinking thinking -> new ContentBlock.Thinking(
          thinking.thinking().toString(), thinking.signature().isEmpty() ? null : thinking.signature().toString());
      case OpenToolUse tool -> new ContentBlock.ToolUse(tool.id(), tool.name(), toolInput(tool));
      case Finished finished -> finished.block();
      case Skipped skipped -> null;
    };
    if (block != null) {
      done.put(index, block);
      listener.onContentBlock(block);
    }
  }

  private JsonNode toolInput(OpenToolUse tool) {
    String json = tool.json().toString();
    if (json.isBlank()) {
      return tool.startInput();
    }
    try {
      return Json.MAPPER.readTree(json);
    } catch (JsonProcessingException e) {
      problems.add("sent input for tool " + tool.name() + " that is not valid JSON (" + json.length() + " characters)");
      return null;
    }
  }

  private void usage(JsonNode usage) {
    if (usage.path("input_tokens").isNumber()) {
      inputTokens = usage.path("input_tokens").asLong();
    }
    if (usage.path("output_tokens").isNumber()) {
      outputTokens = usage.path("output_tokens").asLong();
    }
    if (usage.path("cache_read_input_tokens").isNumber()) {
      cacheRead = usage.path("cache_read_input_tokens").asLong();
    }
    if (usage.path("cache_creation_input_tokens").isNumber()) {
      cacheCreation = usage.path("cache_creation_input_tokens").asLong();
    }
  }
}
