package dev.mason.agent.llm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A fake Anthropic Messages endpoint ({@code POST /v1/messages}, and under any prefix such as
 * {@code /serving-endpoints/anthropic/v1/messages}) that streams scripted answers as real SSE
 * events: message_start, ping, content_block_start/delta/stop per block, message_delta,
 * message_stop; or an error event, a dropped connection, a hang.
 *
 * <pre>{@code
 * try (var fake = new FakeAnthropicServer()) {
 *   fake.enqueue(FakeAnthropicServer.error(429, "rate_limit_error", "slow down").header("retry-after", "1"),
 *       FakeAnthropicServer.message().thinking("sig", "Let me ", "look").toolUse("toolu_1", "Read", "{\"path\":", "\"a.txt\"}"));
 *   // point a client at fake.baseUrl(), then inspect fake.requests()
 * }
 * }</pre>
 */
public final class FakeAnthropicServer extends FakeModelServer {

  /** A streamed answer, built block by block; the stop reason defaults to tool_use when a tool is called, else end_turn. */
  public static Message message() {
    return new Message();
  }

  /** An HTTP error with the API's error body: {@code {"type":"error","error":{"type":...,"message":...}}}. */
  public static Reply error(int status, String type, String message) {
    ObjectNode body = nodes().objectNode().put("type", "error");
    body.putObject("error").put("type", type).put("message", message);
    body.put("request_id", "req_fake");
    return errorReply(status, body);
  }

  @Override
  protected Reply noReplyLeft() {
    return error(400, "invalid_request_error", "the fake Anthropic server has no scripted reply left");
  }

  public static final class Message implements Scripted {
    private sealed interface Part {}

    private record TextPart(List<String> deltas) implements Part {}

    private record ThinkingPart(String signature, List<String> deltas) implements Part {}

    private record RedactedPart(String data) implements Part {}

    private record ToolPart(String id, String name, List<String> fragments) implements Part {}

    private final List<Part> parts = new ArrayList<>();
    private final Map<String, String> headers = new LinkedHashMap<>();
    private String stopReason;
    private long inputTokens = 12;
    private long outputTokens = 34;
    private long cacheRead;
    private long cacheCreation;
    private Duration delay = Duration.ZERO;
    private Ending ending = Ending.COMPLETE;
    private ObjectNode errorEvent;
    private boolean ended;

    private Message() {}

    /** A text block streamed as these deltas. */
    public Message text(String... deltas) {
      return add(new TextPart(List.of(deltas)));
    }

    /** A thinking block streamed as these deltas, then a signature_delta. */
    public Message thinking(String signature, String... deltas) {
      return add(new ThinkingPart(signature, List.of(deltas)));
    }

    public Message redactedThinking(String data) {
      return add(new RedactedPart(data));
    }

    /** A tool_use block whose input JSON is streamed as these input_json_delta fragments. */
    public Message toolUse(String id, String name, String... jsonFragments) {
      return add(new ToolPart(id, name, List.of(jsonFragments)));
    }

    public Message stopReason(String reason) {
      this.stopReason = reason;
      return this;
    }

    public Message usage(long input, long output) {
      this.inputTokens = input;
      this.outputTokens = output;
      return this;
    }

    public Message cacheUsage(long read, long creation) {
      this.cacheRead = read;
      this.cacheCreation = creation;
      return this;
    }

    /** Waits this long before each event after the first. */
    public Message delayBetweenEvents(Duration delay) {
      this.delay = delay;
      return this;
    }

    /** A response header, e.g. {@code retry-after} for a later error event. */
    public Message header(String name, String value) {
      headers.put(name, value);
      return this;
    }

    /** Ends the stream here with an {@code error} event, as the API does when it is overloaded mid-answer. */
    public Message failWith(String errorType, String message) {
      errorEvent = nodes().objectNode().put("type", "error");
      errorEvent.putObject("error").put("type", errorType).put("message", message);
      return end(Ending.COMPLETE);
    }

    /** Breaks the connection here. */
    public Message dropConnection() {
      return end(Ending.DROP);
    }

    /** Stops sending here and keeps the connection open. */
    public Message hang() {
      return end(Ending.HANG);
    }

    @Override
    public Reply reply() {
      return new Reply(this::frames, ending, delay, headers);
    }

    private Message add(Part part) {
      if (ended) {
        throw new IllegalStateException("the scripted stream already ended");
      }
      parts.add(part);
      return this;
    }

    private Message end(Ending how) {
      if (ended) {
        throw new IllegalStateException("the scripted stream already ended");
      }
      ending = how;
      ended = true;
      return this;
    }

    private List<String> frames(JsonNode request) {
      List<String> frames = new ArrayList<>();
      ObjectNode start = nodes().objectNode().put("type", "message_start");
      ObjectNode message = start.putObject("message")
          .put("id", "msg_fake")
          .put("type", "message")
          .put("role", "assistant")
          .put("model", request.path("model").asText("fake-model"));
      message.putArray("content");
      message.putNull("stop_reason");
      message.putNull("stop_sequence");
      ObjectNode startUsage = message.putObject("usage")
          .put("input_tokens", inputTokens)
          .put("cache_creation_input_tokens", cacheCreation)
          .put("cache_read_input_tokens", cacheRead)
          .put("output_tokens", 1);
      startUsage.putNull("server_tool_use");
      startUsage.put("service_tier", "standard");
      frames.add(frame("message_start", start));
      frames.add(frame("ping", nodes().objectNode().put("type", "ping")));

      int index = 0;
      boolean calledTool = false;
      for (Part part : parts) {
        ObjectNode blockStart = nodes().objectNode().put("type", "content_block_start").put("index", index);
        List<ObjectNode> deltas = new ArrayList<>();
        switch (part) {
          case TextPart text -> {
            blockStart.putObject("content_block").put("type", "text").put("text", "");
            text.deltas().forEach(d -> deltas.add(nodes().objectNode().put("type", "text_delta").put("text", d)));
          }
          case ThinkingPart thinking -> {
            blockStart.putObject("content_block").put("type", "thinking").put("thinking", "").put("signature", "");
            thinking.deltas().forEach(d -> deltas.add(nodes().objectNode().put("type", "thinking_delta").put("thinking", d)));
            deltas.add(nodes().objectNode().put("type", "signature_delta").put("signature", thinking.signature()));
          }
          case RedactedPart redacted -> blockStart.putObject("content_block").put("type", "redacted_thinking").put("data", redacted.data());
          case ToolPart tool -> {
            calledTool = true;
            ObjectNode block = blockStart.putObject("content_block").put("type", "tool_use").put("id", tool.id()).put("name", tool.name());
            block.putObject("input");
            deltas.add(nodes().objectNode().put("type", "input_json_delta").put("partial_json", ""));
            tool.fragments().forEach(f -> deltas.add(nodes().objectNode().put("type", "input_json_delta").put("partial_json", f)));
          }
        }
        frames.add(frame("content_block_start", blockStart));
        for (ObjectNode delta : deltas) {
          ObjectNode event = nodes().objectNode().put("type", "content_block_delta").put("index", index);
          event.set("delta", delta);
          frames.add(frame("content_block_delta", event));
        }
        frames.add(frame("content_block_stop", nodes().objectNode().put("type", "content_block_stop").put("index", index)));
        index++;
      }
      if (errorEvent != null) {
        frames.add(frame("error", errorEvent));
        return frames;
      }
      if (ending != Ending.COMPLETE) {
        return frames;
      }
      ObjectNode delta = nodes().objectNode().put("type", "message_delta");
      delta.putObject("delta").put("stop_reason", stopReason != null ? stopReason : calledTool ? "tool_use" : "end_turn").putNull("stop_sequence");
      ObjectNode usage = delta.putObject("usage")
          .put("input_tokens", inputTokens)
          .put("cache_creation_input_tokens", cacheCreation)
          .put("cache_read_input_tokens", cacheRead)
          .put("output_tokens", outputTokens);
      usage.putNull("server_tool_use");
      frames.add(frame("message_delta", delta));
      frames.add(frame("message_stop", nodes().objectNode().put("type", "message_stop")));
      return frames;
    }
  }
}
