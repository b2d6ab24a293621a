package dev.mason.agent.llm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * A fake OpenAI-compatible chat-completions endpoint ({@code POST .../chat/completions}) that
 * streams scripted answers as real {@code chat.completion.chunk} SSE frames ending in
 * {@code data: [DONE]}. Text arrives one chunk per delta; a tool call arrives as a first chunk with
 * its id, name and empty arguments, then one chunk per arguments fragment; the finish reason in a
 * chunk of its own; usage in a last chunk with no choices, only when the request asked for it with
 * {@code stream_options.include_usage}, as the real API does.
 *
 * <pre>{@code
 * fake.enqueue(FakeOpenAiServer.completion().text("Hel", "lo").toolCall("call_1", "Read", "{\"pa", "th\":\"a\"}").usage(50, 7, 20));
 * }</pre>
 */
public final class FakeOpenAiServer extends FakeModelServer {

  public static Completion completion() {
    return new Completion();
  }

  /** An HTTP error with the API's body: {@code {"error":{"message":...,"type":...,"code":null}}}. */
  public static Reply error(int status, String type, String message) {
    ObjectNode body = nodes().objectNode();
    body.putObject("error").put("message", message).put("type", type).putNull("param").putNull("code");
    return errorReply(status, body);
  }

  @Override
  protected Reply noReplyLeft() {
    return error(400, "invalid_request_error", "the fake OpenAI server has no scripted reply left");
  }

  public static final class Completion implements Scripted {
    private sealed interface Part {}

    private record TextPart(List<String> deltas) implements Part {}

    private record ToolCallPart(String id, String name, List<String> fragments) implements Part {}

    private final List<Part> parts = new ArrayList<>();
    private final Map<String, String> headers = new LinkedHashMap<>();
    private String finishReason;
    private long promptTokens = 21;
    private long completionTokens = 9;
    private long cachedTokens;
    private Duration delay = Duration.ZERO;
    private Ending ending = Ending.COMPLETE;
    private ObjectNode error;
    private boolean ended;

    private Completion() {}

    public Completion text(String... deltas) {
      return add(new TextPart(List.of(deltas)));
    }

    /** A tool call: a first chunk with id, name and empty arguments, then one chunk per fragment. */
    public Completion toolCall(String id, String name, String... argumentFragments) {
      return add(new ToolCallPart(id, name, List.of(argumentFragments)));
    }

    /** Defaults to tool_calls when a tool is called, else stop. */
    public Completion finishReason(String reason) {
      this.finishReason = reason;
      return this;
    }

    public Completion usage(long prompt, long completion, long cached) {
      this.promptTokens = prompt;
      this.completionTokens = completion;
      this.cachedTokens = cached;
      return this;
    }

    public Completion delayBetweenEvents(Duration delay) {
      this.delay = delay;
      return this;
    }

    public Completion header(String name, String value) {
      headers.put(name, value);
      return this;
    }

    /** Ends the stream here with an error chunk: {@code data: {"error": {...}}}. */
    public Completion failWith(String type, String message) {
      error = nodes().objectNode();
      error.putObject("error").put("message", message).put("type", type).putNull("code");
      return end(Ending.COMPLETE);
    }

    public Completion dropConnection() {
      return end(Ending.DROP);
    }

    public Completion hang() {
      return end(Ending.HANG);
    }

    @Override
    public Reply reply() {
      return new Reply(this::frames, ending, delay, headers);
    }

    private Completion add(Part part) {
      if (ended) {
        throw new IllegalStateException("the scripted stream already ended");
      }
      parts.add(part);
      return this;
    }

    private Completion end(Ending how) {
      if (ended) {
        throw new IllegalStateException("the scripted stream already ended");
      }
      ending = how;
      ended = true;
      return this;
    }

    private List<String> frames(JsonNode request) {
      String model = request.path("model").asText("fake-model");
      List<String> frames = new ArrayList<>();
      ObjectNode first = chunk(model);
      first.putArray("choices").addObject().put("index", 0)
          .putNull("logprobs").putNull("finish_reason")
          .putObject("delta").put("role", "assistant").put("content", "");
      frames.add(frame(null, first));
      int toolIndex = 0;
      for (Part part : parts) {
        switch (part) {
          case TextPart text -> {
            for (String delta : text.deltas()) {
              frames.add(frame(null, choiceChunk(model, d -> d.put("content", delta))));
            }
          }
          case ToolCallPart call -> {
            int index = toolIndex++;
            frames.add(frame(null, choiceChunk(model, d -> {
              ObjectNode fragment = d.putArray("tool_calls").addObject().put("index", index).put("id", call.id()).put("type", "function");
              fragment.putObject("function").put("name", call.name()).put("arguments", "");
            })));
            for (String piece : call.fragments()) {
              frames.add(frame(null, choiceChunk(model, d -> d.putArray("tool_calls").addObject().put("index", index)
                  .putObject("function").put("arguments", piece))));
            }
          }
        }
      }
      if (error != null) {
        frames.add(frame(null, error));
        return frames;
      }
      if (ending != Ending.COMPLETE) {
        return frames;
      }
      ObjectNode last = chunk(model);
      last.putArray("choices").addObject().put("index", 0).putNull("logprobs")
          .put("finish_reason", finishReason != null ? finishReason : toolIndex > 0 ? "tool_calls" : "stop")
          .putObject("delta");
      frames.add(frame(null, last));
      if (request.path("stream_options").path("include_usage").asBoolean(false)) {
        ObjectNode usageChunk = chunk(model);
        usageChunk.putArray("choices");
        ObjectNode usage = usageChunk.putObject("usage")
            .put("prompt_tokens", promptTokens)
            .put("completion_tokens", completionTokens)
            .put("total_tokens", promptTokens + completionTokens);
        usage.putObject("prompt_tokens_details").put("cached_tokens", cachedTokens);
        frames.add(frame(null, usageChunk));
      }
      frames.add("data: [DONE]\n\n");
      return frames;
    }

    private static ObjectNode chunk(String model) {
      return nodes().objectNode()
          .put("id", "chatcmpl-fake")
          .put("object", "chat.completion.chunk")
          .put("created", 1_700_000_000L)
          .put("model", model);
    }

    private static ObjectNode choiceChunk(String model, Consumer<ObjectNode> delta) {
      ObjectNode chunk = chunk(model);
      ArrayNode choices = chunk.putArray("choices");
      ObjectNode choice = choices.addObject().put("index", 0).putNull("logprobs").putNull("finish_reason");
      delta.accept(choice.putObject("delta"));
      return chunk;
    }
  }
}
