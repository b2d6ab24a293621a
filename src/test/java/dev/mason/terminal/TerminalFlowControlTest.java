package dev.mason.terminal;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mason.testing.Eventually;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Flow control as a real terminal does it: a reader that falls behind stops the shell's output
 * (the PTY is not read, the program blocks on its writes) instead of growing memory or dropping
 * bytes, and other sessions go on. Observed through the status the sessions list reports.
 */
class TerminalFlowControlTest {
  private static final Duration WAIT = Duration.ofSeconds(30);
  private static final int RING = 256 * 1024;
  private static final int READ_CHUNK = 16 * 1024;
  private static final int HIGH_WATERMARK = RING * 3 / 4;
  static TerminalMason mason;

  @BeforeAll
  static void start() {
    mason = TerminalMason.start(Map.of("TERMINAL_RING_BYTES", Integer.toString(RING)));
  }

  @AfterAll
  static void stop() {
    mason.close();
  }

  @Test
  void aPollerThatStopsFetchingPausesTheShellWithoutLosingOrHoardingOutput() {
    String flood = mason.newSession();
    String other = mason.newSession();
    try {
      long start = mason.status(flood).get("output_offset").asLong();
      var slow = new Poller(mason.owner(), flood, "slow-tab", start, null);
      slow.poll();
      mason.input(flood, "yes\r");

      Eventually.await(WAIT, "the flooding shell to be paused", () -> mason.status(flood).get("paused").asBoolean());
      JsonNode paused = mason.status(flood);
      assertThat(paused.get("pauses").asLong()).isPositive();
      assertThat(paused.get("buffered_bytes").asInt()).isLessThanOrEqualTo(RING);
      assertThat(paused.get("allocated_bytes").asInt()).isLessThanOrEqualTo(RING);
      assertThat(paused.get("output_offset").asLong() - slow.offset())
          .as("output held back for the slow reader").isLessThanOrEqualTo(HIGH_WATERMARK + READ_CHUNK);

      try (SocketClient socket = SocketClient.connect(mason, TerminalMason.OWNER)) {
        socket.join(other);
        socket.type("echo still-$((20+1))\r");
        socket.awaitText("still-21", Duration.ofSeconds(10));
      }
      assertThat(mason.status(flood).get("paused").asBoolean()).as("the flood is still held").isTrue();

      long heldAt = mason.status(flood).get("output_offset").asLong();
      Eventually.await(WAIT, "the shell to print on while the reader keeps up", () -> {
        slow.poll();
        return slow.offset() > heldAt + RING;
      });
      String flooded = slow.text().substring(slow.text().indexOf("y\r\ny\r\n"));
      assertThat(flooded.length()).isGreaterThan(RING);
      assertThat(flooded.replace("y\r\n", "")).as("nothing but whole lines of y").isIn("", "y", "y\r");
    } finally {
      mason.input(flood, "\u0003");
      close(flood);
      close(other);
    }
  }

  @Test
  void aWebSocketClientThatStopsReadingPausesTheShell() {
    String flood = mason.newSession();
    try (SocketClient socket = SocketClient.connect(mason, TerminalMason.OWNER)) {
      socket.join(flood);
      socket.stopReading();
      socket.type("base64 /dev/urandom\r");
      Eventually.await(Duration.ofSeconds(60), "the shell to be paused by the stalled WebSocket",
          () -> mason.status(flood).get("paused").asBoolean());
      JsonNode paused = mason.status(flood);
      assertThat(paused.get("buffered_bytes").asInt()).isLessThanOrEqualTo(RING);
      assertThat(paused.get("allocated_bytes").asInt()).isLessThanOrEqualTo(RING);

      long heldAt = paused.get("output_offset").asLong();
      socket.resumeReading();
      Eventually.await(WAIT, "the shell to print on once the client reads again",
          () -> mason.status(flood).get("output_offset").asLong() > heldAt + RING);
      socket.type("\u0003");
    } finally {
      close(flood);
    }
  }

  @Test
  void anAcknowledgingClientHoldsTheShellToWhatItAcknowledged() {
    String flood = mason.newSession();
    try (SocketClient socket = SocketClient.connect(mason, TerminalMason.OWNER)) {
      long start = socket.join(flood, null, "acking-tab", true);
      socket.type("yes\r");
      Eventually.await(WAIT, "some output", () -> socket.bytes().length > RING);
      socket.stopReading();
      Eventually.await(WAIT, "the shell to be paused", () -> mason.status(flood).get("paused").asBoolean());
      long acknowledged = start + socket.bytes().length;
      assertThat(mason.status(flood).get("output_offset").asLong() - acknowledged).isLessThanOrEqualTo(HIGH_WATERMARK + READ_CHUNK);
      socket.type("\u0003");
    } finally {
      close(flood);
    }
  }

  private static void close(String id) {
    mason.owner().post("/api/session/close", TerminalMason.Json.object("session_id", id));
  }
}
