package dev.mason.bus;

import static dev.mason.agent.llm.FakeAnthropicServer.message;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mason.agent.llm.FakeAnthropicServer;
import dev.mason.testing.Api;
import dev.mason.testing.BusStream;
import dev.mason.testing.MasonDatabase;
import dev.mason.testing.SseClient.Event;
import dev.mason.testing.TestMason;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** {@code GET /api/events}: each user's changes, live, only theirs, and resumable from any seq. */
class LiveBusTest {
  static FakeAnthropicServer model;
  static TestMason mason;
  static Api alice;
  static Api bob;

  @BeforeAll
  static void start() {
    model = new FakeAnthropicServer();
    mason = TestMason.start(Map.of("ANTHROPIC_BASE_URL", model.baseUrl(), "ANTHROPIC_AUTH_TOKEN", "test-model-token",
        "ANTHROPIC_MODEL", "fake-claude", "ANTHROPIC_MODEL_MINI", "fake-claude-mini"));
    alice = mason.as("alice@example.com");
    bob = mason.as("bob@example.com");
  }

  @AfterAll
  static void stop() {
    mason.close();
    model.close();
  }

  @Test
  void aUserSeesTheirOwnProjectAndConversationChangesAndNobodyElses() {
    try (BusStream alices = BusStream.open(mason.baseUrl(), "alice@example.com");
        BusStream bobs = BusStream.open(mason.baseUrl(), "bob@example.com")) {
      String project = alice.post("/api/projects", "{\"name\": \"bus one\"}").json().get("id").asText();
      alice.patch("/api/projects/" + project, "{\"name\": \"bus renamed\"}");
      String conversation = alice.post("/api/projects/" + project + "/conversations", "{\"title\": \"first\"}").json()
          .get("id").asText();
      alice.patch("/api/projects/" + project + "/conversations/" + conversation, "{\"title\": \"second\"}");
      alice.patch("/api/projects/" + project + "/conversations/" + conversation, "{\"warehouse_id\": \"w1\"}");
      alice.delete("/api/projects/" + project + "/conversations/" + conversation);
      alice.delete("/api/projects/" + project);
      String bobsProject = bob.post("/api/projects", "{\"name\": \"bob's\"}").json().get("id").asText();

      alices.await("the project's deletion", e -> e.type().equals("project.deleted"));
      bobs.await("bob's own project", e -> e.type().equals("project.created"));
      List<Event> seen = alices.changes();
      assertThat(seen).extracting(Event::type).containsExactly("project.created", "project.renamed", "conversation.created",
          "conversation.retitled", "conversation.deleted", "project.deleted");
      assertThat(seen).allSatisfy(e -> {
        assertThat(e.data().get("type").asText()).as("the data carries its type").isEqualTo(e.type());
        assertThat(e.data().get("seq").asLong()).as("the data carries its seq").isEqualTo(e.id());
        assertThat(e.data().get("project_id").asText()).isEqualTo(project);
      });
      assertThat(seen).extracting(Event::id).isSorted().doesNotHaveDuplicates();
      assertThat(seen.get(0).data().get("name").asText()).isEqualTo("bus one");
      assertThat(seen.get(1).data().get("name").asText()).isEqualTo("bus renamed");
      assertThat(seen.get(2).data().get("conversation_id").asText()).isEqualTo(conversation);
      assertThat(seen.get(3).data().get("title").asText()).isEqualTo("second");

      assertThat(bobs.changes()).extracting(e -> e.data().get("project_id").asText()).containsExactly(bobsProject);

      // Resumed after the second change: the rest, in order, with nothing repeated.
      try (BusStream resumed = BusStream.open(mason.baseUrl(), "alice@example.com", "",
          Map.of("Last-Event-ID", Integer.toString(seen.get(1).id())))) {
        resumed.await("the replay's last change", e -> e.type().equals("project.deleted"));
        assertThat(resumed.changes()).extracting(Event::id).containsExactlyElementsOf(
            seen.subList(2, seen.size()).stream().map(Event::id).toList());
      }
    }
  }

  @Test
  void aRunsStartItsModelTitleAndItsEndArriveOnTheBus() {
    String project = alice.post("/api/projects", "{\"name\": \"bus runs\"}").json().get("id").asText();
    model.alwaysAnswer("fake-claude-mini", message().text("A title from the model"));
    model.enqueue(message().text("Hello there."));
    try (BusStream alices = BusStream.open(mason.baseUrl(), "alice@example.com")) {
      JsonNode started = alice.post("/api/invoke_agent", "{\"project_id\": \"" + project + "\", \"message\": \"Say hello\"}").json();
      String execution = started.get("execution_id").asText();
      String conversation = started.get("conversation_id").asText();

      Event ended = alices.await("the run's end", e -> e.type().equals("execution.ended"));
      Event retitled = alices.await("the model's title", e -> e.type().equals("conversation.retitled"));
      assertThat(ended.data().get("execution_id").asText()).isEqualTo(execution);
      assertThat(ended.data().get("status").asText()).isEqualTo("completed");
      assertThat(retitled.data().get("title").asText()).isEqualTo("A title from the model");
      assertThat(retitled.data().get("conversation_id").asText()).isEqualTo(conversation);
      Event created = alices.await("the new conversation", e -> e.type().equals("conversation.created"));
      Event startedEvent = alices.await("the run's start", e -> e.type().equals("execution.started"));
      assertThat(created.id()).isLessThan(startedEvent.id());
      assertThat(startedEvent.id()).isLessThan(ended.id());
      assertThat(startedEvent.data().get("status").asText()).isEqualTo("running");
      assertThat(startedEvent.data().get("conversation_id").asText()).isEqualTo(conversation);
    }
  }

  @Test
  void aStreamResumingFromBeforeWhatTheFeedStillHoldsIsToldItMissedChanges() {
    String project = alice.post("/api/projects", "{\"name\": \"pruned\"}").json().get("id").asText();
    alice.patch("/api/projects/" + project, "{\"name\": \"pruned twice\"}");
    long last;
    try (BusStream fresh = BusStream.open(mason.baseUrl(), "alice@example.com")) {
      Event ready = fresh.await("ready", e -> e.type().equals("ready"));
      last = ready.data().get("seq").asLong();
      assertThat(ready.data().get("missed").asBoolean()).as("a stream that does not resume misses nothing").isFalse();
    }
    try (BusStream current = BusStream.open(mason.baseUrl(), "alice@example.com", "",
        Map.of("Last-Event-ID", Long.toString(last)))) {
      assertThat(current.await("ready", e -> e.type().equals("ready")).data().get("missed").asBoolean()).isFalse();
    }
    // What the hourly prune does to day-old rows, done now to every row up to the last.
    MasonDatabase.of(mason.home(), "mason").withHandle(h -> h.createUpdate("DELETE FROM changes WHERE seq <= :last")
        .bind("last", last).execute());
    alice.patch("/api/projects/" + project, "{\"name\": \"after the prune\"}");
    try (BusStream stale = BusStream.open(mason.baseUrl(), "alice@example.com", "",
        Map.of("Last-Event-ID", Long.toString(last - 1)))) {
      Event ready = stale.await("ready", e -> e.type().equals("ready"));
      assertThat(ready.data().get("missed").asBoolean()).as("change %d is gone from the feed", last).isTrue();
      assertThat(stale.await("the change after the prune", e -> e.type().equals("project.renamed"))
          .data().get("name").asText()).isEqualTo("after the prune");
    }
  }

  @Test
  void aMalformedCursorIsRefusedNamingTheField() {
    var response = alice.withHeader("Last-Event-ID", "soon").get("/api/events");
    assertThat(response.status()).isEqualTo(400);
    assertThat(response.json().get("field").asText()).isEqualTo("Last-Event-ID");
    assertThat(alice.get("/api/events?after=-3").json().get("field").asText()).isEqualTo("after");
  }
}
