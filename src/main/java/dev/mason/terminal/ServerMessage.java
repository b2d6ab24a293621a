package dev.mason.terminal;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mason.web.Json;

/**
 * What {@code /ws/terminal} sends as JSON text frames, {@code {"type": …, …}}; the output itself
 * goes in binary frames. New fields are only ever added, so clients ignore the ones they do not know.
 */
sealed interface ServerMessage {
  String type();

  /** The connection is attached; binary frames that follow carry the output from {@code offset} on. */
  record Joined(String sessionId, long offset, String readerId, String label, boolean exited) implements ServerMessage {
    public String type() {
      return "joined";
    }
  }

  /** Bytes {@code [from, to)} were dropped before this reader got them; the next binary frame starts at {@code to}. */
  record Gap(String sessionId, long from, long to) implements ServerMessage {
    public String type() {
      return "gap";
    }
  }

  /** The shell exited with {@code code} (null when unknown), and all its output has been sent. */
  record Exited(String sessionId, Integer code, long offset) implements ServerMessage {
    public String type() {
      return "exited";
    }
  }

  /** The session is gone (closed by a user, the idle reaper or shutdown); the connection is detached. */
  record Closed(String sessionId) implements ServerMessage {
    public String type() {
      return "closed";
    }
  }

  /** The connection is detached from the session, which goes on: after {@code leave}, or when another connection took its reader. */
  record Left(String sessionId, String reason) implements ServerMessage {
    public String type() {
      return "left";
    }
  }

  record TimeoutWarning(String sessionId, long closesInSeconds) implements ServerMessage {
    public String type() {
      return "timeout_warning";
    }
  }

  record ShuttingDown() implements ServerMessage {
    public String type() {
      return "shutting_down";
    }
  }

  /** A message could not be acted on; the connection stays open. */
  record Failed(String message, String field, String sessionId) implements ServerMessage {
    public String type() {
      return "error";
    }
  }

  static String toJson(ServerMessage message) {
    ObjectNode node = Json.MAPPER.createObjectNode();
    node.put("type", message.type());
    node.setAll((ObjectNode) Json.MAPPER.valueToTree(message));
    return node.toString();
  }
}
