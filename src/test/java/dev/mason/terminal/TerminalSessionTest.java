package dev.mason.terminal;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mason.testing.Eventually;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Real login shells through both transports: the WebSocket and HTTP polling. */
class TerminalSessionTest {
  private static final Duration WAIT = Duration.ofSeconds(20);
  static TerminalMason mason;

  @BeforeAll
  static void start() {
    // No MASON_DATABASE_URL here: Mason itself would connect to it. That it never reaches a shell
    // is TerminalSettingsTest's to show.
    mason = TerminalMason.start(Map.of(
        "MASON_TEST_VISIBLE", "visible-value",
        "DATABRICKS_TOKEN", "dapi-token-value",
        "DATABRICKS_CLIENT_SECRET", "client-secret-value",
        "OPENAI_API_KEY", "openai-key-value",
        "ANTHROPIC_AUTH_TOKEN", "anthropic-token-value",
        "PGPASSWORD", "pg-password-value",
        "REPORTING_DB_PASSWORD", "database-url-value",
        "SMTP_PASSWORD_FILE", "smtp-password-value"));
  }

  @AfterAll
  static void stop() {
    mason.close();
  }

  @Test
  void aCommandTypedOverTheWebSocketEchoesItsOutput() {
    String id = mason.newSession();
    try (SocketClient socket = SocketClient.connect(mason, TerminalMason.OWNER)) {
      socket.join(id);
      socket.type("echo ws-$((6*7))\r");
      socket.awaitText("ws-42", WAIT);
    } finally {
      close(id);
    }
  }

  @Test
  void aCommandTypedOverHttpEchoesItsOutputToThePoller() {
    String id = mason.newSession();
    try {
      var poller = new Poller(mason.owner(), id, "tab-http", 0, null);
      mason.input(id, "echo http-$((6*7))\r");
      poller.until("http-42", WAIT);
    } finally {
      close(id);
    }
  }

  @Test
  void aLargePasteOverTheWebSocketArrivesWhole() {
    String id = mason.newSession();
    try (SocketClient socket = SocketClient.connect(mason, TerminalMason.OWNER)) {
      socket.join(id);
      socket.type("cat > pasted.txt\r");
      socket.awaitText("cat > pasted.txt\r\n", WAIT);
      String line = "0123456789".repeat(10) + "\r";
      socket.type(line.repeat(2_000));
      socket.sendBinary(new byte[] {4});
      socket.type("wc -c < pasted.txt; echo paste-$((1+1))\r");
      socket.awaitText("paste-2", WAIT);
      assertThat(socket.text()).contains("202000\r\n");
    } finally {
      close(id);
    }
  }

  @Test
  void theShellSeesTheSizeSetOverHttpAndOverTheWebSocket() {
    String id = mason.newSession();
    try (SocketClient socket = SocketClient.connect(mason, TerminalMason.OWNER)) {
      socket.join(id);
      assertThat(mason.owner().post("/api/resize", TerminalMason.Json.object("session_id", id, "cols", 123, "rows", 45)).status())
          .isEqualTo(200);
      socket.type("stty size\r");
      socket.awaitText("45 123", WAIT);
      socket.send("type", "resize", "cols", 99, "rows", 33);
      socket.type("stty size\r");
      socket.awaitText("33 99", WAIT);
    } finally {
      close(id);
    }
  }

  @Test
  void exitEndsTheSessionWithItsStatusOnBothTransports() {
    String id = mason.newSession();
    try (SocketClient socket = SocketClient.connect(mason, TerminalMason.OWNER)) {
      socket.join(id);
      var poller = new Poller(mason.owner(), id, "tab-exit", 0, null);
      socket.type("exit 7\r");
      JsonNode exited = socket.awaitMessage("exited", WAIT);
      assertThat(exited.get("code").asInt()).isEqualTo(7);
      assertThat(exited.get("offset").asLong()).isEqualTo(socket.bytes().length);
      poller.untilExited(WAIT);
      assertThat(poller.last().get("exit_code").asInt()).isEqualTo(7);
      assertThat(mason.status(id).get("exited").asBoolean()).isTrue();
      assertThat(mason.status(id).get("exit_code").asInt()).isEqualTo(7);
    } finally {
      close(id);
    }
  }

  @Test
  void aSecondReaderFromOffsetZeroGetsTheSameScreen() {
    String id = mason.newSession();
    try (SocketClient first = SocketClient.connect(mason, TerminalMason.OWNER)) {
      first.join(id, 0L, null, false);
      first.type("echo replay-$((2+3))\r");
      first.awaitText("replay-5", WAIT);
      awaitQuiet(id, first);
      byte[] seen = first.bytes();
      try (SocketClient second = SocketClient.connect(mason, TerminalMason.OWNER)) {
        assertThat(second.join(id, 0L, null, false)).isZero();
        Eventually.await(WAIT, "the replay", () -> second.bytes().length >= seen.length);
        assertThat(second.bytes()).isEqualTo(seen);
      }
      var attach = mason.owner().post("/api/session/attach", TerminalMason.Json.object("session_id", id));
      assertThat(attach.json().get("offset").asLong()).isZero();
      assertThat(attach.json().get("output").get(0).asText()).isEqualTo(new String(seen, StandardCharsets.UTF_8));
    } finally {
      close(id);
    }
  }

  @Test
  void twoReadersSeeIdenticalBytes() {
    String id = mason.newSession();
    try (SocketClient a = SocketClient.connect(mason, TerminalMason.OWNER);
         SocketClient b = SocketClient.connect(mason, TerminalMason.OWNER)) {
      a.join(id, 0L, null, false);
      b.join(id, 0L, null, true);
      a.type("seq 1 50000; echo two-$((1+1))\r");
      a.awaitText("two-2", WAIT);
      b.awaitText("two-2", WAIT);
      awaitQuiet(id, a);
      Eventually.await(WAIT, "both readers at the end", () -> a.bytes().length == b.bytes().length);
      assertThat(a.bytes()).isEqualTo(b.bytes());
    } finally {
      close(id);
    }
  }

  @Test
  void switchingFromTheWebSocketToPollingMidStreamLosesAndRepeatsNothing() {
    String id = mason.newSession();
    try {
      SocketClient socket = SocketClient.connect(mason, TerminalMason.OWNER);
      long start = socket.join(id, null, "tab-switch", true);
      socket.type("seq 1 200000; echo switch-$((1+1))\r");
      Eventually.await(WAIT, "some of the numbers over the WebSocket", () -> socket.bytes().length > 200_000);
      socket.close();
      byte[] overSocket = socket.bytes();
      var poller = new Poller(mason.owner(), id, "tab-switch", start + overSocket.length, null);
      poller.until("switch-2", Duration.ofSeconds(60));
      String all = new String(overSocket, StandardCharsets.UTF_8) + poller.text();
      assertSequence(numbersIn(all), 200_000);
    } finally {
      close(id);
    }
  }

  @Test
  void aReaderBehindTheRingIsToldWhatItMissed() {
    String id = mason.newSession();
    try {
      mason.input(id, "seq 1 300000; echo behind-$((1+1))\r");
      Eventually.await(WAIT, "more output than the ring holds", () -> mason.status(id).get("output_offset").asLong() > 2_000_000);
      var answer = mason.owner().post("/api/output", TerminalMason.Json.object("session_id", id, "offset", 0, "reader_id", "late")).json();
      assertThat(answer.get("gap").get("from").asLong()).isZero();
      assertThat(answer.get("gap").get("to").asLong()).isEqualTo(answer.get("offset").asLong()).isPositive();
      try (SocketClient socket = SocketClient.connect(mason, TerminalMason.OWNER)) {
        socket.join(id, 0L, null, false);
        JsonNode gap = socket.awaitMessage("gap");
        assertThat(gap.get("from").asLong()).isZero();
        assertThat(gap.get("to").asLong()).isGreaterThan(1_000_000);
      }
    } finally {
      close(id);
    }
  }

  @Test
  void textAnswersNeverSplitACharacter() {
    String id = mason.newSession();
    try {
      long from = mason.status(id).get("output_offset").asLong();
      var poller = new Poller(mason.owner(), id, "tab-utf8", from, 7);
      mason.input(id, "printf '€%.0s' {1..300}; echo; echo utf-$((4+4))\r");
      poller.until("utf-8", WAIT);
      assertThat(poller.text()).contains("€".repeat(300)).doesNotContain("\uFFFD");
    } finally {
      close(id);
    }
  }

  @Test
  void theShellStartsInProjectsWithoutMasonsSecrets() {
    String id = mason.newSession();
    try {
      var poller = new Poller(mason.owner(), id, "tab-env", 0, null);
      mason.input(id, "pwd; env | sort; echo env-$((3+3))\r");
      String text = poller.until("env-6", WAIT).text();
      assertThat(text)
          .contains(mason.home().resolve("projects").toString())
          .contains("MASON_TEST_VISIBLE=visible-value")
          .contains("TERM=xterm-256color")
          // The CLIs' bin folder first, then ~/.local/bin, which the login profile put back after /etc/profile.
          .contains("PATH=" + mason.home().resolveSibling("clis").resolve("bin") + ":" + mason.home().resolve(".local/bin") + ":")
          .doesNotContain("dapi-token-value", "client-secret-value", "openai-key-value", "anthropic-token-value",
              "pg-password-value", "database-url-value", "smtp-password-value");
    } finally {
      close(id);
    }
  }

  /** Waits until the session has printed nothing new for a while and the reader has it all. */
  private static void awaitQuiet(String id, SocketClient reader) {
    Eventually.await(WAIT, "the output to settle", () -> {
      long end = mason.status(id).get("output_offset").asLong();
      return reader.bytes().length == end;
    });
  }

  /** Exactly 1..n in order; on failure names the first place it differs, not 200,000 numbers. */
  private static void assertSequence(List<Long> numbers, long n) {
    for (int i = 0; i < Math.min(numbers.size(), n); i++) {
      if (numbers.get(i) != i + 1) {
        throw new AssertionError("at index " + i + " expected " + (i + 1) + " but found " + numbers.get(i)
            + " (around: " + numbers.subList(Math.max(0, i - 3), Math.min(numbers.size(), i + 4)) + ")");
      }
    }
    assertThat(numbers).as("count of numbers").hasSize((int) n);
  }

  private static List<Long> numbersIn(String text) {
    List<Long> numbers = new ArrayList<>();
    for (String line : text.replaceAll("\u001b\\[[?0-9;]*[A-Za-z]", "").split("[\r\n]+")) {
      if (line.matches("\\d+")) {
        numbers.add(Long.parseLong(line));
      }
    }
    return numbers;
  }

  private static void close(String id) {
    mason.owner().post("/api/session/close", TerminalMason.Json.object("session_id", id));
  }
}
