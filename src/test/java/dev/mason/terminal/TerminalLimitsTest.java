package dev.mason.terminal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mason.testing.Eventually;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The session limit, and the idle reaper with a timeout of a few seconds. */
class TerminalLimitsTest {
  private static final Duration WAIT = Duration.ofSeconds(20);
  static TerminalMason mason;

  @BeforeAll
  static void start() {
    mason = TerminalMason.start(Map.of(
        "MAX_CONCURRENT_SESSIONS", "2",
        "TERMINAL_IDLE_TIMEOUT_SECONDS", "4",
        "TERMINAL_READER_LEASE_SECONDS", "1"));
  }

  @AfterAll
  static void stop() {
    mason.close();
  }

  @Test
  void aSessionOverTheLimitIsRefusedWith429UntilOneCloses() {
    String first = mason.newSession();
    String second = mason.newSession();
    try {
      var refused = mason.owner().post("/api/session", "{}");
      assertThat(refused.status()).isEqualTo(429);
      assertThat(refused.json().get("error").asText()).isEqualTo("Maximum 2 concurrent sessions reached. Close an existing session first.");
      close(first);
      String third = mason.newSession();
      close(third);
    } finally {
      close(first);
      close(second);
    }
  }

  @Test
  void anIdleSessionIsWarnedInItsOutputThenClosed() {
    String id = mason.newSession();
    Eventually.await(WAIT, "the idle warning", () -> mason.status(id).get("timeout_warning").asBoolean());
    var poller = new Poller(mason.owner(), id, "tab", 0, null);
    assertThat(poller.until("[Mason]", WAIT).last().get("timeout_warning").asBoolean()).isTrue();
    assertThat(poller.text()).contains("it will close in");
    assertThat(mason.status(id).get("timeout_warning").asBoolean()).as("a poll is presence").isFalse();
    Eventually.await(WAIT, "the idle session to be closed", () -> mason.status(id) == null);
    assertThat(mason.owner().post("/api/output", TerminalMason.Json.object("session_id", id)).status()).isEqualTo(404);
  }

  @Test
  void anAttachedWebSocketKeepsASessionAliveAndItsDepartureLetsTheReaperIn() {
    String id = mason.newSession();
    try (SocketClient socket = SocketClient.connect(mason, TerminalMason.OWNER)) {
      socket.join(id);
      long joined = System.nanoTime();
      Eventually.await(WAIT, "twice the idle timeout to pass", () -> System.nanoTime() - joined > Duration.ofSeconds(8).toNanos());
      assertThat(mason.status(id)).isNotNull();
      assertThat(socket.messages()).noneMatch(m -> m.get("type").asText().equals("closed"));
    }
    Eventually.await(WAIT, "the abandoned session to be closed", () -> mason.status(id) == null);
  }

  @Test
  void anExitedSessionIsForgottenOnceRead() {
    String id = mason.newSession();
    var poller = new Poller(mason.owner(), id, "tab", 0, null);
    mason.input(id, "exit 3\r");
    poller.untilExited(WAIT);
    assertThat(poller.last().get("exit_code").asInt()).isEqualTo(3);
    Eventually.await(WAIT, "the exited session to be forgotten", () -> mason.status(id) == null);
  }

  private static void close(String id) {
    mason.owner().post("/api/session/close", TerminalMason.Json.object("session_id", id));
  }
}
