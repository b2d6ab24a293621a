package dev.mason.agent.claudecode;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mason.agent.message.ChatMessage;
import dev.mason.agent.message.ContentBlock;
import dev.mason.agent.message.TurnMessages;
import dev.mason.agent.llm.Usage;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads Claude Code's {@code --output-format stream-json} lines and tells an {@link Output} what
 * happened in Mason's terms; keeps the messages the run added, as content blocks, for storage.
 *
 * <p>The lines: {@code system/init} (the session id), {@code stream_event} wrapping the Anthropic
 * SSE events of the model's answer (the deltas), {@code assistant} with one complete block at a
 * time, {@code user} with the tool results, {@code result} at the end of the message. Lines of a
 * subagent ({@code parent_tool_use_id} set) are its own business: only its Task call and result
 * show. Unknown types are skipped, so a newer CLI does not break a run.
 *
 * <p>Order: the built-in loop emits a model turn's deltas, then {@code usage}, then the turn's
 * complete blocks; Claude Code sends each complete block before its turn's {@code message_stop}.
 * The blocks are held until then, so readers (and {@code PartialTurns} after a crash) see one order
 * whichever runtime ran. Used by one run's thread only.
 */
final class StreamJsonTranslator {
  /** What the translator reports; one method per event of Mason's model. */
  interface Output {
    void textDelta(String text);

    void thinkingDelta(String thinking);

    void text(String text);

    void thinking(String thinking);

    /** @param name without the {@code mcp__server__} prefix; @param server the MCP server's name, or null for a built-in tool */
    void toolUse(String id, String name, String server, JsonNode input);

    void toolResult(String toolUseId, String content, boolean isError, long durationMs);

    void todos(JsonNode todos);

    void usage(Usage usage, int turn, String stopReason);

    /** The session this process runs; the first line of every message says it. */
    void session(String sessionId);
  }

  /** How the message ended, from its {@code result} line. */
  record Ending(boolean isError, String subtype, String error, Usage usage, int turns, Double costUsd, long durationMs) {}

  private final Output out;
  private final TurnMessages added = new TurnMessages();
  private final List<Held> held = new ArrayList<>();
  private final Map<String, Long> toolStarts = new HashMap<>();
  private String sessionId;
  private int turn;
  private long input;
  private long output;
  private long cacheRead;
  private long cacheCreation;
  private String stopReason;
  private Ending ending;

  StreamJsonTranslator(Output out) {
    this.out = out;
  }

  /** Reads one line's JSON; returns true when it was the message's {@code result}. */
  boolean accept(JsonNode line) {
    String type = line.path("type").asText();
    boolean topLevel = line.path("parent_tool_use_id").isNull() || line.path("parent_tool_use_id").isMissingNode();
    switch (type) {
      case "system" -> {
        if (line.path("subtype").asText().equals("init") && line.hasNonNull("session_id")) {
          sessionId = line.get("session_id").asText();
          out.session(sessionId);
        }
      }
      case "stream_event" -> {
        if (topLevel) {
          streamEvent(line.path("event"));
        }
      }
      case "assistant" -> {
        if (topLevel) {
          for (JsonNode block : line.path("message").path("content")) {
            assistantBlock(block);
          }
        }
      }
      case "user" -> {
        if (topLevel) {
          for (JsonNode block : line.path("message").path("content")) {
            if (block.path("type").asText().equals("tool_result")) {
              toolResult(block);
            }
          }
        }
      }
      case "result" -> {
        releaseHeld();
        ending = ending(line);
        return true;
      }
      default -> { }
    }
    return false;
  }

  private void streamEvent(JsonNode event) {
    switch (event.path("type").asText()) {
      case "message_start" -> {
        releaseHeld();
        turn++;
        JsonNode usage = event.path("message").path("usage");
        input = usage.path("input_tokens").asLong();
        cacheRead = usage.path("cache_read_input_tokens").asLong();
        cacheCreation = usage.path("cache_creation_input_tokens").asLong();
        output = usage.path("output_tokens").asLong();
        stopReason = null;
      }
      case "content_block_delta" -> {
        JsonNode delta = event.path("delta");
        switch (delta.path("type").asText()) {
          case "text_delta" -> out.textDelta(delta.path("text").asText(""));
          case "thinking_delta" -> out.thinkingDelta(delta.path("thinking").asText(""));
          default -> { }
        }
      }
      case "message_delta" -> {
        JsonNode usage = event.path("usage");
        if (usage.has("output_tokens")) {
          output = usage.path("output_tokens").asLong();
        }
        if (usage.has("input_tokens")) {
          input = usage.path("input_tokens").asLong();
        }
        stopReason = event.path("delta").path("stop_reason").asText(null);
      }
      case "message_stop" -> {
        out.usage(new Usage(input, output, cacheRead, cacheCreation), turn, stopReason);
        releaseHeld();
      }
      default -> { }
    }
  }

  private void assistantBlock(JsonNode block) {
    ContentBlock parsed = switch (block.path("type").asText()) {
      case "text" -> new ContentBlock.Text(block.path("text").asText(""));
      case "thinking" -> new ContentBlock.Thinking(block.path("thinking").asText(""),
          block.hasNonNull("signature") ? block.get("signature").asText() : null);
      case "redacted_thinking" -> new ContentBlock.RedactedThinking(block.path("data").asText());
      case "tool_use" -> {
        ToolName name = ToolName.of(block.path("name").asText());
        yield new ContentBlock.ToolUse(block.path("id").asText(), name.shown(), block.get("input"));
      }
      default -> null;
    };
    if (parsed == null) {
      return;
    }
    added.assistant(parsed);
    String server = parsed instanceof ContentBlock.ToolUse ? ToolName.of(block.path("name").asText()).server() : null;
    held.add(new Held(parsed, server));
    if (parsed instanceof ContentBlock.ToolUse use) {
      toolStarts.put(use.id(), System.nanoTime());
    }
  }

  /** A complete block waiting for its turn's end; a tool call with the MCP server that serves it (null: built in). */
  private record Held(ContentBlock block, String server) {}

  /** Reports the held blocks of the turn that just ended, in order. */
  private void releaseHeld() {
    for (Held h : held) {
      switch (h.block()) {
        case ContentBlock.Text text -> out.text(text.text());
        case ContentBlock.Thinking thinking -> out.thinking(thinking.thinking());
        case ContentBlock.ToolUse use -> {
          out.toolUse(use.id(), use.name(), h.server(), use.input());
          if (h.server() == null && use.name().equals("TodoWrite") && use.input().has("todos")) {
            out.todos(use.input().get("todos"));
          }
        }
        default -> { }
      }
    }
    held.clear();
  }

  private void toolResult(JsonNode block) {
    releaseHeld();
    String id = block.path("tool_use_id").asText();
    String content = ContentBlock.contentText(block.get("content"));
    boolean isError = block.path("is_error").asBoolean(false);
    Long started = toolStarts.remove(id);
    long durationMs = started == null ? 0 : (System.nanoTime() - started) / 1_000_000;
    added.result(new ContentBlock.ToolResult(id, content, isError, durationMs));
    out.toolResult(id, content, isError, durationMs);
  }

  private static Ending ending(JsonNode line) {
    boolean isError = line.path("is_error").asBoolean(false) || !line.path("subtype").asText().equals("success");
    String error = null;
    if (isError) {
      List<String> parts = new ArrayList<>();
      if (line.hasNonNull("result") && !line.get("result").asText().isBlank()) {
        parts.add(line.get("result").asText());
      }
      for (JsonNode e : line.path("errors")) {
        parts.add(e.isTextual() ? e.asText() : e.toString());
      }
      error = parts.isEmpty() ? "Claude Code ended the message with " + line.path("subtype").asText("an error") : String.join("; ", parts);
    }
    JsonNode u = line.path("usage");
    Usage usage = u.isObject() ? new Usage(u.path("input_tokens").asLong(), u.path("output_tokens").asLong(),
        u.path("cache_read_input_tokens").asLong(), u.path("cache_creation_input_tokens").asLong()) : null;
    Double cost = line.path("total_cost_usd").isNumber() ? line.get("total_cost_usd").asDouble() : null;
    return new Ending(isError, line.path("subtype").asText(), error, usage, line.path("num_turns").asInt(),
        cost, line.path("duration_ms").asLong());
  }

  /** The messages the run added so far (complete or, when it stopped, as far as it got). */
  List<ChatMessage> added() {
    releaseHeld();
    return added.messages();
  }

  /** The message's end, or null when no result line came. */
  Ending ending() {
    return ending;
  }

  /** The session of the lines read, or null before the first. */
  String sessionId() {
    return sessionId;
  }

  /** Turns seen, for a run that ended without a result line. */
  int turns() {
    return turn;
  }
}
