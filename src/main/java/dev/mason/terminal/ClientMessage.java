package dev.mason.terminal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.mason.web.ApiError;
import dev.mason.web.Json;

/**
 * What a browser sends on {@code /ws/terminal} as JSON text frames, {@code {"type": …, …}}; each
 * record validates itself. Unknown fields are ignored, so clients can add some; an unknown type is
 * an error answered on the socket, which stays open. A binary frame is input and needs no record.
 */
sealed interface ClientMessage {

  /**
   * Attach this connection to a session (leaving any other). Output follows from {@code offset};
   * without one, from the reader's last confirmed position (a poller's last requested offset, a
   * connection's last acknowledged or sent byte), or for a new reader everything the ring holds.
   * Only an offset makes a resume exact: the client knows what it received.
   * A named reader outlives a dropped connection for the reader lease, so the tab can resume it
   * over WebSocket or polling; without {@code readerId} the reader belongs to this connection alone.
   *
   * @param acknowledges the client will send {@link Ack}s, and flow control holds the shell to what
   *     it acknowledged rather than to what was sent
   */
  record Join(String sessionId, Long offset, String readerId, boolean acknowledges) implements ClientMessage {
    public Join {
      TerminalRequests.required(sessionId);
      if (offset != null && offset < 0) {
        throw ApiError.badRequest("offset", "an offset cannot be negative");
      }
    }
  }

  record Leave() implements ClientMessage {}

  record Input(String data) implements ClientMessage {
    public Input {
      if (data == null) {
        throw ApiError.badRequest("data", "data is required");
      }
    }
  }

  record Resize(int cols, int rows) implements ClientMessage {
    public Resize {
      TerminalRequests.dimension("cols", cols, 80);
      TerminalRequests.dimension("rows", rows, 24);
    }
  }

  record Heartbeat() implements ClientMessage {}

  /** Every byte before {@code offset} has been shown; flow control may let the shell print on. */
  record Ack(long offset) implements ClientMessage {
    public Ack {
      if (offset < 0) {
        throw ApiError.badRequest("offset", "an offset cannot be negative");
      }
    }
  }

  /** @throws ApiError (400) naming what is wrong */
  static ClientMessage parse(String text) {
    JsonNode node;
    try {
      node = Json.MAPPER.readTree(text);
    } catch (JsonProcessingException e) {
      throw ApiError.badRequest(null, "a control message must be a JSON object: " + e.getOriginalMessage());
    }
    if (node == null || !node.isObject()) {
      throw ApiError.badRequest(null, "a control message must be a JSON object");
    }
    String type = node.path("type").asText("");
    return switch (type) {
      case "join" -> new Join(text(node, "session_id"), number(node, "offset"), TerminalRequests.optionalReaderId(text(node, "reader_id")),
          node.path("ack").asBoolean(false));
      case "leave" -> new Leave();
      case "input" -> new Input(text(node, "data"));
      case "resize" -> new Resize(integer(node, "cols"), integer(node, "rows"));
      case "heartbeat" -> new Heartbeat();
      case "ack" -> new Ack(required(node, "offset"));
      default -> throw ApiError.badRequest("type", "unknown message type '" + type
          + "'; expected join, leave, input, resize, heartbeat or ack");
    };
  }

  private static String text(JsonNode node, String field) {
    JsonNode value = node.get(field);
    if (value == null || value.isNull()) {
      return null;
    }
    if (!value.isTextual()) {
      throw ApiError.badRequest(field, field + " must be a string");
    }
    return value.asText();
  }

  private static Long number(JsonNode node, String field) {
    JsonNode value = node.get(field);
    if (value == null || value.isNull()) {
      return null;
    }
    if (!value.isIntegralNumber()) {
      throw ApiError.badRequest(field, field + " must be a whole number");
    }
    return value.asLong();
  }

  private static long required(JsonNode node, String field) {
    Long value = number(node, field);
    if (value == null) {
      throw ApiError.badRequest(field, field + " is required");
    }
    return value;
  }

  private static int integer(JsonNode node, String field) {
    return (int) Math.max(Integer.MIN_VALUE, Math.min(Integer.MAX_VALUE, required(node, field)));
  }
}
