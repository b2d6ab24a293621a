package dev.mason.terminal;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mason.testing.Api;
import java.time.Duration;
import java.time.Instant;

/** A test's HTTP poller: reads /api/output from its own offset, as a careful browser would. */
final class Poller {
  private final Api api;
  private final String sessionId;
  private final String readerId;
  private final Integer maxBytes;
  private final StringBuilder text = new StringBuilder();
  private long offset;
  private JsonNode last;

  Poller(Api api, String sessionId, String readerId, long offset, Integer maxBytes) {
    this.api = api;
    this.sessionId = sessionId;
    this.readerId = readerId;
    this.offset = offset;
    this.maxBytes = maxBytes;
  }

  /** One poll; appends the text and moves the offset. */
  JsonNode poll() {
    String body = maxBytes == null
        ? TerminalMason.Json.object("session_id", sessionId, "offset", offset, "reader_id", readerId)
        : TerminalMason.Json.object("session_id", sessionId, "offset", offset, "reader_id", readerId, "max_bytes", maxBytes);
    var response = api.post("/api/output", body);
    if (response.status() != 200) {
      throw new AssertionError("poll failed: " + response);
    }
    last = response.json();
    if (!last.get("gap").isNull()) {
      throw new AssertionError("unexpected gap: " + last.get("gap"));
    }
    if (last.get("offset").asLong() != offset) {
      throw new AssertionError("answer starts at " + last.get("offset") + ", asked for " + offset);
    }
    text.append(last.get("output").asText());
    offset = last.get("next_offset").asLong();
    return last;
  }

  /** Polls until the text contains {@code fragment}, without pause while more is ready. */
  Poller until(String fragment, Duration limit) {
    return until(fragment, limit, 20, false);
  }

  /**
   * Polls until the text contains {@code fragment}.
   *
   * @param pauseMillis the wait between polls: only when nothing more is ready, or always when {@code cadence}
   */
  Poller until(String fragment, Duration limit, long pauseMillis, boolean cadence) {
    Instant deadline = Instant.now().plus(limit);
    int checked = 0;
    while (text.indexOf(fragment, Math.max(0, checked - fragment.length())) < 0) {
      checked = text.length();
      if (Instant.now().isAfter(deadline)) {
        String t = text.toString();
        throw new AssertionError("timed out waiting for '" + fragment + "' by polling; got …" + t.substring(Math.max(0, t.length() - 300)));
      }
      JsonNode answer = poll();
      if (cadence || !answer.get("more").asBoolean()) {
        sleep(pauseMillis);
      }
    }
    return this;
  }

  Poller untilExited(Duration limit) {
    Instant deadline = Instant.now().plus(limit);
    while (last == null || !last.get("exited").asBoolean()) {
      if (Instant.now().isAfter(deadline)) {
        throw new AssertionError("timed out waiting for the exit by polling; last answer " + last);
      }
      if (!poll().get("more").asBoolean()) {
        sleep(20);
      }
    }
    return this;
  }

  String text() {
    return text.toString();
  }

  long offset() {
    return offset;
  }

  JsonNode last() {
    return last;
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }
}
