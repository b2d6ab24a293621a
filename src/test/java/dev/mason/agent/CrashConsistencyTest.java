package dev.mason.agent;

import static dev.mason.agent.llm.FakeAnthropicServer.message;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mason.agent.llm.FakeAnthropicServer;
import dev.mason.testing.Api;
import dev.mason.testing.MasonProcess;
import dev.mason.testing.SseClient;
import dev.mason.testing.SseClient.Event;
import dev.mason.testing.TestMason;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * kill -9 at random points of runs, then a restart on the same home: no user message is lost, every
 * run ends with {@code done} for every reader whatever seq it resumes from, no number a reader saw
 * is given to another event, and the partial answer is kept in the conversation.
 *
 * <p>The kill points are drawn from a seeded random generator; the seed is printed, and
 * {@code -Dmason.crash.seed=N} replays a run of this test exactly.
 */
class CrashConsistencyTest {
  static final int KILLS = 20;
  static final Duration LIMIT = Duration.ofSeconds(30);
  static final String USER = "alice@example.com";
  /** conversation.created, 8 deltas, usage, text, tool_use, tool_result, 8 deltas, usage, text, result, done. */
  static final int EVENTS_PER_RUN = 25;

  static FakeAnthropicServer model;

  @BeforeAll
  static void startModel() {
    model = new FakeAnthropicServer();
    model.alwaysAnswer("mini", message().text("A title"));
  }

  @AfterAll
  static void stopModel() {
    model.close();
  }

  static Map<String, String> env() {
    return Map.of("ANTHROPIC_BASE_URL", model.baseUrl(), "ANTHROPIC_AUTH_TOKEN", "t", "ANTHROPIC_MODEL", "main",
        "ANTHROPIC_MODEL_MINI", "mini");
  }

  /** One run that was killed, as its live reader saw it. */
  record Killed(String execution, String project, String conversation, String prompt, List<Event> seen, int killAfter) {}

  /** What the checks after each restart counted. */
  static final class Tally {
    int lostUserMessages;
    int withoutDone;
    int resumedWithoutDone;
    int missedErrors;
    int reusedNumbers;
    int interrupted;
    int partialsKept;
    int partialsLost;
  }

  @Test
  void killedAtTwentyRandomPointsMasonLosesNoMessageReusesNoNumberAndEveryReaderReachesDone() throws Exception {
    long seed = Long.getLong("mason.crash.seed", System.nanoTime());
    Random random = new Random(seed);
    System.out.println("CrashConsistencyTest seed: " + seed + " (replay with -Dmason.crash.seed=" + seed + ")");
    Path home = TestMason.freshHome();
    Tally tally = new Tally();
    Killed previous = null;
    List<Integer> points = new ArrayList<>();
    for (int i = 0; i < KILLS; i++) {
      MasonProcess mason = MasonProcess.start(home, env());
      try {
        Api alice = mason.as(USER);
        if (previous != null) {
          check(alice, mason.url(), previous, tally);
        }
        int killAfter = 1 + random.nextInt(EVENTS_PER_RUN - 1);
        points.add(killAfter);
        previous = runAndKill(mason, alice, i, killAfter);
      } finally {
        mason.kill();
      }
    }
    try (TestMason last = TestMason.startAt(home, env())) {
      check(last.as(USER), last.baseUrl(), previous, tally);
    }

    String summary = "kill -9 after event " + points + " of " + EVENTS_PER_RUN + ": user messages lost " + tally.lostUserMessages
        + ", executions without done " + tally.withoutDone + ", resumed readers without done " + tally.resumedWithoutDone
        + ", resumed readers that missed the error " + tally.missedErrors + ", sequence numbers reused " + tally.reusedNumbers
        + ", partial answers kept " + tally.partialsKept + " of " + (tally.partialsKept + tally.partialsLost)
        + " (interrupted runs: " + tally.interrupted + ")";
    System.out.println("CrashConsistencyTest: " + summary);
    assertThat(tally.lostUserMessages).as(summary).isZero();
    assertThat(tally.withoutDone).as(summary).isZero();
    assertThat(tally.resumedWithoutDone).as(summary).isZero();
    assertThat(tally.missedErrors).as(summary).isZero();
    assertThat(tally.reusedNumbers).as(summary).isZero();
    assertThat(tally.partialsLost).as(summary).isZero();
  }

  /** Starts a run streaming slowly enough to be cut anywhere, and kills Mason once the reader has seen {@code killAfter} events. */
  private static Killed runAndKill(MasonProcess mason, Api alice, int index, int killAfter) throws InterruptedException {
    String project = ExecutionApiTest.createProject(alice, "crash " + index);
    String[] first = {"Looking ", "at ", "the ", "folder ", "first, ", "then ", "I ", "answer. "};
    String[] second = {"The ", "folder ", "holds ", "one ", "file, ", "CLAUDE.md, ", "and ", "nothing else."};
    model.clearQueue();
    model.enqueue(message().text(first).toolUse("tu_" + index, "Bash", "{\"command\": \"ls\"}").delayBetweenEvents(Duration.ofMillis(15)),
        message().text(second).delayBetweenEvents(Duration.ofMillis(15)));
    String prompt = "What is in the folder? (run " + index + ")";
    JsonNode started = ExecutionApiTest.invoke(alice, project, null, prompt);
    String execution = started.get("execution_id").asText();
    List<Event> seen = new CopyOnWriteArrayList<>();
    AtomicBoolean killed = new AtomicBoolean();
    Thread reader = Thread.ofVirtual().start(() -> {
      try {
        SseClient.readInto(seen, mason.url() + "/api/executions/" + execution + "/events", Map.of("X-Forwarded-Email", USER),
            event -> {
              if (seen.size() >= killAfter && killed.compareAndSet(false, true)) {
                mason.kill();
                return true;
              }
              return event.type().equals("done");
            }, LIMIT);
      } catch (AssertionError cut) {
        // the kill cut the stream
      }
    });
    assertThat(reader.join(LIMIT)).as("the reader of run " + index + " ended").isTrue();
    if (killed.compareAndSet(false, true)) {
      mason.kill(); // the run ended before the kill point: the kill comes after done
    }
    return new Killed(execution, project, started.get("conversation_id").asText(), prompt, List.copyOf(seen), killAfter);
  }

  private static void check(Api alice, String url, Killed run, Tally tally) {
    String events = url + "/api/executions/" + run.execution() + "/events";
    Map<String, String> headers = Map.of("X-Forwarded-Email", USER);
    JsonNode execution = alice.get("/api/executions/" + run.execution()).json();
    String status = execution.get("status").asText();
    List<Event> stored = SseClient.read(events, headers, e -> e.type().equals("done"), LIMIT);
    if (stored.isEmpty() || !stored.getLast().type().equals("done") || status.equals("running")) {
      tally.withoutDone++;
    }
    int lastSeen = run.seen().isEmpty() ? 0 : run.seen().getLast().id();
    boolean sawDone = !run.seen().isEmpty() && run.seen().getLast().type().equals("done");
    List<Event> resumed = SseClient.read(events + "?after=" + lastSeen, headers, e -> e.type().equals("done"), LIMIT);
    if (!sawDone && (resumed.isEmpty() || !resumed.getLast().type().equals("done"))) {
      tally.resumedWithoutDone++;
    }
    if (status.equals("interrupted")) {
      tally.interrupted++;
      if (resumed.stream().noneMatch(e -> e.type().equals("error"))) {
        tally.missedErrors++;
      }
    }
    Map<Integer, Event> byNumber = stored.stream().collect(Collectors.toMap(Event::id, Function.identity()));
    for (Event seen : run.seen()) {
      Event same = byNumber.get(seen.id());
      if (same != null && !same.equals(seen)) {
        tally.reusedNumbers++;
      }
    }
    JsonNode messages = alice.get("/api/projects/" + run.project() + "/conversations/" + run.conversation()).json().get("messages");
    if (messages.isEmpty() || !messages.get(0).get("text").asText().equals(run.prompt())) {
      tally.lostUserMessages++;
    }
    boolean streamedText = stored.stream().anyMatch(e -> e.type().equals("text_delta") || e.type().equals("tool_use"));
    if (status.equals("interrupted") && streamedText) {
      // Kept whole when the run had saved its turns before the kill, else rebuilt and marked interrupted.
      JsonNode last = messages.get(messages.size() - 1);
      boolean kept = messages.size() > 1 && messages.get(1).get("role").asText().equals("assistant")
          && (last.get("cancelled").asBoolean() || last.get("usage").isObject());
      if (kept) {
        tally.partialsKept++;
      } else {
        tally.partialsLost++;
        System.out.println("CrashConsistencyTest: run killed after event " + run.killAfter() + " lost its partial answer: " + messages);
      }
    }
  }
}
