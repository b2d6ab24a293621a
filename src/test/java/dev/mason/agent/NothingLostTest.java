package dev.mason.agent;

import static dev.mason.agent.llm.FakeAnthropicServer.message;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mason.agent.llm.FakeAnthropicServer;
import dev.mason.testing.Api;
import dev.mason.testing.Eventually;
import dev.mason.testing.MasonDatabase;
import dev.mason.testing.SseClient;
import dev.mason.testing.SseClient.Event;
import dev.mason.testing.TestMason;
import dev.mason.web.Json;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Whatever text a user, a model or a tool produces, and whatever is deleted while a run goes on,
 * every run's events are stored and replayed exactly, the run settles, and no other run's storage
 * is held up.
 */
class NothingLostTest {
  static final Duration LIMIT = Duration.ofSeconds(30);
  /**
   * Every kind of character PostgreSQL or UTF-8 finds hard: NUL and other C0 controls, lone high
   * and low surrogates, U+FFFF, the private-use character Mason escapes with, and a real pair.
   */
  static final String AWKWARD = IntStream.range(0, 0x20).mapToObj(c -> "" + (char) c).reduce("a", String::concat)
      + " d\ud800e\udc00f\uffffg\uE000h\uE0000041 \ud83d\ude00 z";

  static FakeAnthropicServer model;
  static TestMason mason;
  static Api alice;
  static Api bob;

  @BeforeAll
  static void start() {
    model = new FakeAnthropicServer();
    model.alwaysAnswer("mini", message().text("A title"));
    mason = TestMason.start(env());
    alice = mason.as("alice@example.com");
    bob = mason.as("bob@example.com");
  }

  static Map<String, String> env() {
    return Map.of("ANTHROPIC_BASE_URL", model.baseUrl(), "ANTHROPIC_AUTH_TOKEN", "t", "ANTHROPIC_MODEL", "main",
        "ANTHROPIC_MODEL_MINI", "mini");
  }

  @AfterAll
  static void stop() {
    mason.close();
    model.close();
  }

  @Test
  void awkwardTextInTheMessageTheAnswerThinkingToolInputAndToolOutputIsStoredAndReplayedExactly() {
    String project = ExecutionApiTest.createProject(alice, "awkward");
    String todo = Json.write(Map.of("todos", List.of(Map.of("content", AWKWARD, "status", "pending"))));
    model.enqueue(
        message().thinking("sig-a", AWKWARD.substring(0, 9), AWKWARD.substring(9))
            .toolUse("tu_todo", "TodoWrite", todo)
            .toolUse("tu_nul", "Bash", "{\"command\": \"printf 'x\\\\000y'\"}")
            .delayBetweenEvents(Duration.ofMillis(5)),
        message().text(AWKWARD.substring(0, 12), AWKWARD.substring(12)).delayBetweenEvents(Duration.ofMillis(5)));
    var response = alice.post("/api/invoke_agent", Json.write(Map.of("project_id", project, "message", AWKWARD)));
    assertThat(response.status()).as(response.body()).isEqualTo(202);
    String execution = response.json().get("execution_id").asText();
    String conversation = response.json().get("conversation_id").asText();

    List<Event> live = read(alice, execution, 0);
    List<Event> replayed = read(alice, execution, 0);
    assertThat(replayed).as("the replay from the database is the live stream").isEqualTo(live);
    assertThat(live).extracting(Event::id).containsExactlyElementsOf(IntStream.rangeClosed(1, live.size()).boxed().toList());
    assertThat(live.getLast().data().get("status").asText()).isEqualTo("completed");
    assertThat(ExecutionApiTest.textOf(live, "text_delta")).isEqualTo(AWKWARD);
    assertThat(ExecutionApiTest.textOf(live, "thinking_delta")).isEqualTo(AWKWARD);
    Event todos = live.stream().filter(e -> e.type().equals("todos")).findFirst().orElseThrow();
    assertThat(todos.data().get("todos").get(0).get("content").asText()).isEqualTo(AWKWARD);
    Event toolUse = live.stream().filter(e -> e.type().equals("tool_use")).findFirst().orElseThrow();
    assertThat(toolUse.data().get("tool_input").get("todos").get(0).get("content").asText()).isEqualTo(AWKWARD);
    Event bash = live.stream().filter(e -> e.type().equals("tool_result") && e.data().get("tool_use_id").asText().equals("tu_nul"))
        .findFirst().orElseThrow();
    assertThat(bash.data().get("content").asText()).contains("x\u0000y");

    JsonNode stored = alice.get("/api/projects/" + project + "/conversations/" + conversation).json();
    JsonNode messages = stored.get("messages");
    assertThat(messages.get(0).get("text").asText()).isEqualTo(AWKWARD);
    assertThat(messages.get(messages.size() - 1).get("text").asText()).isEqualTo(AWKWARD);
    assertThat(stored.get("title").asText()).doesNotContain("\u0000").isNotBlank();

    // The conversation is not locked, and the next run sends the exact history to the model.
    model.enqueue(message().text("ok"));
    var next = alice.post("/api/invoke_agent", Json.write(Map.of("project_id", project, "conversation_id", conversation,
        "message", "again " + AWKWARD)));
    assertThat(next.status()).as(next.body()).isEqualTo(202);
    assertThat(read(alice, next.json().get("execution_id").asText(), 0).getLast().data().get("status").asText()).isEqualTo("completed");
    JsonNode sent = model.requestsFor("main").getLast().body().get("messages");
    assertThat(sent.get(0).get("content").get(0).get("text").asText()).isEqualTo(AWKWARD);
    assertThat(sent.get(sent.size() - 1).toString()).contains("again");
  }

  @Test
  void deletingAConversationAndAProjectWhileTheyRunStopsTheirRunsAndOtherRunsAreStillStored() {
    String project = ExecutionApiTest.createProject(alice, "doomed");
    String other = ExecutionApiTest.createProject(alice, "doomed too");
    String bobs = ExecutionApiTest.createProject(bob, "safe");
    model.enqueue(message().text("writing and writing").hang(), message().text("more and more").hang());
    JsonNode first = ExecutionApiTest.invoke(alice, project, null, "go");
    read(alice, first.get("execution_id").asText(), 0, e -> e.type().equals("text_delta"));
    JsonNode second = ExecutionApiTest.invoke(alice, other, null, "go");
    read(alice, second.get("execution_id").asText(), 0, e -> e.type().equals("text_delta"));

    var deleted = alice.delete("/api/projects/" + project + "/conversations/" + first.get("conversation_id").asText());
    assertThat(deleted.status()).as(deleted.body()).isIn(200, 204);
    assertThat(alice.delete("/api/projects/" + other).status()).isIn(200, 204);
    assertThat(alice.get("/api/executions/" + first.get("execution_id").asText()).status()).isEqualTo(404);
    assertThat(alice.get("/api/executions/" + second.get("execution_id").asText()).status()).isEqualTo(404);

    // Another user's run, and the same user's next run, are stored whole.
    model.enqueue(message().text("one ", "two ", "three"), message().text("fresh"));
    String bobRun = ExecutionApiTest.invoke(bob, bobs, null, "count").get("execution_id").asText();
    List<Event> bobLive = read(bob, bobRun, 0);
    String again = ExecutionApiTest.invoke(alice, project, null, "again").get("execution_id").asText();
    read(alice, again, 0);
    List<Event> bobStored = read(bob, bobRun, 0);
    assertThat(bobStored).isEqualTo(bobLive);
    assertThat(ExecutionApiTest.textOf(bobStored, "text_delta")).isEqualTo("one two three");
    assertThat(read(alice, again, 0).getLast().type()).isEqualTo("done");
  }

  @Test
  void anEventTheDatabaseRefusesIsStoredAsAnErrorInItsPlaceAndTheRunAndOthersGoOn() {
    var db = MasonDatabase.of(mason);
    db.useHandle(h -> h.execute("""
        CREATE OR REPLACE FUNCTION refuse_poison() RETURNS trigger AS $$
        BEGIN
          IF NEW.data::text LIKE '%poison-pill%' THEN RAISE EXCEPTION 'refused by a test trigger'; END IF;
          RETURN NEW;
        END $$ LANGUAGE plpgsql"""));
    db.useHandle(h -> h.execute("CREATE TRIGGER refuse_poison BEFORE INSERT ON execution_events FOR EACH ROW EXECUTE FUNCTION refuse_poison()"));
    try {
      String project = ExecutionApiTest.createProject(alice, "poisoned");
      model.enqueue(message().text("before ", "poison-pill", " after"));
      String execution = ExecutionApiTest.invoke(alice, project, null, "go").get("execution_id").asText();
      List<Event> live = read(alice, execution, 0);
      Eventually.await(LIMIT, "the run to leave memory", () -> !alice.get("/api/executions/" + execution).json()
          .get("status").asText().equals("running"));
      List<Event> stored = read(alice, execution, 0);

      assertThat(stored).extracting(Event::id).containsExactlyElementsOf(live.stream().map(Event::id).toList());
      assertThat(stored.getLast().data().get("status").asText()).isEqualTo("completed");
      List<Event> replaced = stored.stream().filter(e -> e.type().equals("error")).toList();
      // The text delta and the complete text block both carried the refused text.
      assertThat(replaced).isNotEmpty().allSatisfy(e -> {
        assertThat(e.data().get("error").asText()).contains("could not be stored", "refused by a test trigger");
        assertThat(e.data().get("unstored_type").asText()).isIn("text_delta", "text");
      });
      assertThat(ExecutionApiTest.textOf(stored, "text_delta")).isEqualTo("before  after");
    } finally {
      db.useHandle(h -> h.execute("DROP TRIGGER refuse_poison ON execution_events"));
    }
  }

  @Test
  void theModelsTitleKeepsSettingsChangedWhileItWasBeingWritten() {
    String project = ExecutionApiTest.createProject(alice, "titled");
    model.alwaysAnswer("mini", message().text("Slow ", "Model ", "Title").delayBetweenEvents(Duration.ofMillis(400)));
    try {
      model.enqueue(message().text("ok"));
      JsonNode started = ExecutionApiTest.invoke(alice, project, null, "name this conversation later");
      String path = "/api/projects/" + project + "/conversations/" + started.get("conversation_id").asText();
      assertThat(alice.patch(path, "{\"warehouse_id\": \"wh-1\", \"default_schema\": \"sales\"}").status()).isEqualTo(200);
      Eventually.await(LIMIT, "the model's title", () -> alice.get(path).json().get("title").asText().equals("Slow Model Title"));
      JsonNode conversation = alice.get(path).json();
      assertThat(conversation.get("warehouse_id").asText()).isEqualTo("wh-1");
      assertThat(conversation.get("default_schema").asText()).isEqualTo("sales");
    } finally {
      model.alwaysAnswer("mini", message().text("A title"));
    }
  }

  @Test
  void readersAttachedWhenMasonStopsReceiveTheInterruptedEndOfTheirRuns() throws Exception {
    TestMason stopping = TestMason.start(env());
    Api carol = stopping.as("carol@example.com");
    List<String> executions = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      String project = ExecutionApiTest.createProject(carol, "stopping " + i);
      model.enqueue(message().text("half of answer " + i).hang());
      String execution = ExecutionApiTest.invoke(carol, project, null, "go").get("execution_id").asText();
      SseClient.read(stopping.baseUrl() + "/api/executions/" + execution + "/events", Map.of("X-Forwarded-Email", "carol@example.com"),
          e -> e.type().equals("text_delta"), LIMIT);
      executions.add(execution);
    }
    Map<String, List<Event>> received = new LinkedHashMap<>();
    List<Thread> readers = new ArrayList<>();
    for (String execution : executions) {
      for (int r = 0; r < 3; r++) {
        List<Event> events = new CopyOnWriteArrayList<>();
        received.put(execution + "/" + r, events);
        readers.add(Thread.ofVirtual().start(() -> SseClient.readInto(events, stopping.baseUrl() + "/api/executions/"
            + execution + "/events", Map.of("X-Forwarded-Email", "carol@example.com"), e -> e.type().equals("done"), LIMIT)));
      }
    }
    // Every reader is attached once it has the log so far.
    Eventually.await(LIMIT, "15 readers attached", () -> received.values().stream().noneMatch(List::isEmpty));
    stopping.close();
    for (Thread reader : readers) {
      assertThat(reader.join(LIMIT)).isTrue();
    }
    assertThat(received).hasSize(15).allSatisfy((reader, events) -> {
      assertThat(ExecutionApiTest.types(events)).as(reader).endsWith("error", "result", "done");
      assertThat(events.getLast().data().get("status").asText()).isEqualTo("interrupted");
    });
  }

  static List<Event> read(Api api, String execution, int after) {
    return read(api, execution, after, e -> e.type().equals("done"));
  }

  static List<Event> read(Api api, String execution, int after, java.util.function.Predicate<Event> until) {
    String user = api == alice ? "alice@example.com" : "bob@example.com";
    return SseClient.read(mason.baseUrl() + "/api/executions/" + execution + "/events?after=" + after,
        Map.of("X-Forwarded-Email", user), until, LIMIT);
  }
}
