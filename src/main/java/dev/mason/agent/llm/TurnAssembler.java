package dev.mason.agent.llm;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/**
 * Builds one model turn from one attempt's server-sent events, for {@link StreamingClient}: what
 * differs between the protocols is how events become a turn and how a whole answer ends.
 * One instance per attempt; not thread-safe.
 */
interface TurnAssembler {
  /** Whether {@code data} is the protocol's end marker rather than an event (OpenAI's {@code [DONE]}). */
  default boolean endMarker(String data) {
    return false;
  }

  /** Takes one event's data; returns the payload of an error event for the caller to raise, else null. */
  JsonNode accept(JsonNode event);

  /** Whether the answer has ended, so nothing more is read. */
  boolean stopped();

  /** Why the stream so far is not a whole answer (a dropped connection, retried), or null when it is one. */
  String incomplete();

  /** Problems with the delivered turn (tool input that is not JSON), for a final error; empty if none. */
  List<String> problems();

  ModelTurn turn();
}
