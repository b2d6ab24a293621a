package dev.mason.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mason.agent.llm.EndpointFixes;
import dev.mason.web.Json;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.function.Consumer;

/**
 * Copies an endpoint's answer to the CLI as it arrives. A server-sent-event stream is cut into
 * events: each complete event is written and flushed at once, never held for the next, and shown
 * to the tap (the {@link UsageTap}, and the {@link CallTranscript} when calls are traced); an OpenAI chat stream that ends in tool calls with {@code finish_reason:
 * stop} has that event rewritten ({@link EndpointFixes#openAiFinishReason}). Any other answer is
 * copied chunk by chunk, and its first megabyte is read for usage at the end.
 *
 * <p>Not thread-safe: one per request, on the request's thread.
 */
final class StreamRelay {
  private static final int CHUNK = 16 * 1024;
  private static final int MAX_CAPTURE = 1024 * 1024;

  /** The CLI went away: writing to it failed. */
  static final class ClientGone extends IOException {
    ClientGone(IOException cause) {
      super(cause);
    }
  }

  private final Consumer<JsonNode> tap;
  private final boolean fixFinishReason;
  private boolean toolCallsSeen;
  private long firstByteNanos = -1;

  /** @param tap shown every event's data (and a whole body) as JSON: the usage, and the call's transcript for tracing */
  StreamRelay(Consumer<JsonNode> tap, boolean fixFinishReason) {
    this.tap = tap;
    this.fixFinishReason = fixFinishReason;
  }

  /** When the first byte came from the endpoint ({@link System#nanoTime()}), or -1. */
  long firstByteNanos() {
    return firstByteNanos;
  }

  void relay(InputStream from, OutputStream to, boolean eventStream) throws IOException {
    if (eventStream) {
      relayEvents(from, to);
    } else {
      relayBody(from, to);
    }
  }

  private void relayEvents(InputStream from, OutputStream to) throws IOException {
    ByteArrayOutputStream pending = new ByteArrayOutputStream();
    eachChunk(from, (chunk, n) -> {
      pending.write(chunk, 0, n);
      byte[] buffered = pending.toByteArray();
      int start = 0;
      int end;
      boolean wrote = false;
      while ((end = eventEnd(buffered, start)) >= 0) {
        write(to, event(buffered, start, end));
        wrote = true;
        start = end;
      }
      pending.reset();
      pending.write(buffered, start, buffered.length - start);
      if (wrote) {
        flush(to);
      }
    });
    if (pending.size() > 0) {
      write(to, pending.toByteArray());
      flush(to);
    }
  }

  private void relayBody(InputStream from, OutputStream to) throws IOException {
    ByteArrayOutputStream capture = new ByteArrayOutputStream();
    eachChunk(from, (chunk, n) -> {
      if (capture.size() + n <= MAX_CAPTURE) {
        capture.write(chunk, 0, n);
      }
      write(to, Arrays.copyOf(chunk, n));
      flush(to);
    });
    try {
      JsonNode body = Json.MAPPER.readTree(capture.toByteArray());
      if (body != null) {
        tap.accept(body);
      }
    } catch (IOException e) {
      // not JSON, or more than the capture: no usage to read
    }
  }

  private interface ChunkHandler {
    void take(byte[] chunk, int length) throws IOException;
  }

  /** Hands each chunk read to {@code handler} until the end, noting when the first byte came. */
  private void eachChunk(InputStream from, ChunkHandler handler) throws IOException {
    byte[] chunk = new byte[CHUNK];
    int n;
    while ((n = from.read(chunk)) >= 0) {
      if (n > 0) {
        markFirstByte();
        handler.take(chunk, n);
      }
    }
  }

  /** The end (exclusive) of the event starting at {@code from}: after its blank line; -1 when incomplete. */
  static int eventEnd(byte[] bytes, int from) {
    for (int i = from; i < bytes.length - 1; i++) {
      if (bytes[i] == '\n') {
        if (bytes[i + 1] == '\n') {
          return i + 2;
        }
        if (bytes[i + 1] == '\r' && i + 2 < bytes.length && bytes[i + 2] == '\n') {
          return i + 3;
        }
      }
    }
    return -1;
  }

  /** The event's bytes to send: as they came, unless the finish-reason fix rewrote its data. */
  private byte[] event(byte[] bytes, int start, int end) {
    String[] lines = new String(bytes, start, end - start, StandardCharsets.UTF_8).split("\r?\n", -1);
    boolean changed = false;
    for (int i = 0; i < lines.length; i++) {
      if (lines[i].startsWith("data:")) {
        String data = lines[i].substring(5).stripLeading();
        JsonNode node = data.startsWith("{") ? parse(data) : null;
        if (node != null) {
          tap.accept(node);
          if (fixFinishReason && fixFinishReason(node)) {
            lines[i] = "data: " + node;
            changed = true;
          }
        }
      }
    }
    return changed ? String.join("\n", lines).getBytes(StandardCharsets.UTF_8) : Arrays.copyOfRange(bytes, start, end);
  }

  /** Marks tool calls and rewrites a {@code stop} that follows them; true when the node changed. */
  private boolean fixFinishReason(JsonNode chunk) {
    boolean changed = false;
    for (JsonNode choice : chunk.path("choices")) {
      if (choice.path("delta").path("tool_calls").isArray() && !choice.path("delta").path("tool_calls").isEmpty()) {
        toolCallsSeen = true;
      }
      if (choice.path("finish_reason").isTextual() && choice instanceof ObjectNode object) {
        String reported = choice.path("finish_reason").asText();
        String fixed = EndpointFixes.openAiFinishReason(reported, toolCallsSeen);
        if (!fixed.equals(reported)) {
          object.put("finish_reason", fixed);
          changed = true;
        }
      }
    }
    return changed;
  }

  private static JsonNode parse(String data) {
    try {
      return Json.MAPPER.readTree(data);
    } catch (IOException e) {
      return null;
    }
  }

  private void markFirstByte() {
    if (firstByteNanos < 0) {
      firstByteNanos = System.nanoTime();
    }
  }

  private static void write(OutputStream to, byte[] bytes) throws ClientGone {
    try {
      to.write(bytes);
    } catch (IOException e) {
      throw new ClientGone(e);
    }
  }

  private static void flush(OutputStream to) throws ClientGone {
    try {
      to.flush();
    } catch (IOException e) {
      throw new ClientGone(e);
    }
  }
}
