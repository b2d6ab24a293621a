package dev.mason.agent.llm;

import java.io.BufferedReader;
import java.io.IOException;

/**
 * Reads server-sent events: {@code event:} and {@code data:} fields up to a blank line; several
 * {@code data:} lines join with newlines; comments ({@code :...}), {@code id:} and {@code retry:}
 * are ignored. An event cut off by the end of the stream is discarded, as the SSE standard says.
 */
final class SseReader {
  /** @param name the {@code event:} field, or null when the event has none */
  record Event(String name, String data) {}

  private final BufferedReader reader;

  SseReader(BufferedReader reader) {
    this.reader = reader;
  }

  /** The next event, or null at the end of the stream. */
  Event next() throws IOException {
    String name = null;
    StringBuilder data = null;
    String line;
    while ((line = reader.readLine()) != null) {
      if (line.isEmpty()) {
        if (data != null) {
          return new Event(name, data.toString());
        }
        name = null;
        continue;
      }
      if (line.startsWith(":")) {
        continue;
      }
      int colon = line.indexOf(':');
      String field = colon < 0 ? line : line.substring(0, colon);
      String value = colon < 0 ? "" : line.substring(colon + 1);
      if (value.startsWith(" ")) {
        value = value.substring(1);
      }
      switch (field) {
        case "event" -> name = value;
        case "data" -> data = data == null ? new StringBuilder(value) : data.append('\n').append(value);
        default -> {
          // id, retry and unknown fields carry nothing a model client needs
        }
      }
    }
    return null;
  }
}
