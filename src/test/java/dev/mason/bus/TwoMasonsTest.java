package dev.mason.bus;

import static org.assertj.core.api.Assertions.assertThat;

import static dev.mason.agent.llm.FakeAnthropicServer.message;

import dev.mason.agent.llm.FakeAnthropicServer;
import dev.mason.testing.Api;
import dev.mason.testing.BusStream;
import dev.mason.testing.MasonDatabase;
import dev.mason.testing.SseClient;
import dev.mason.testing.SseClient.Event;
import dev.mason.testing.TestMason;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Two Masons on one PostgreSQL, as two replicas behind a load balancer would be: a change made
 * through one reaches the other's bus, through LISTEN/NOTIFY and the shared change feed.
 */
class TwoMasonsTest {
  private static String databaseUrl(TestMason first) {
    return "postgresql://postgres:" + URLEncoder.encode(MasonDatabase.password(first.home()), StandardCharsets.UTF_8)
        + "@127.0.0.1:" + MasonDatabase.port(first.home()) + "/postgres?sslmode=disable";
  }

  @Test
  void aChangeMadeThroughOneMasonArrivesOnTheOthersBus() {
    try (TestMason first = TestMason.start()) {
      try (TestMason second = TestMason.start(Map.of("MASON_DATABASE_URL", databaseUrl(first)));
          BusStream onSecond = BusStream.open(second.baseUrl(), "alice@example.com");
          BusStream onFirst = BusStream.open(first.baseUrl(), "alice@example.com")) {
        String project = first.as("alice@example.com").post("/api/projects", "{\"name\": \"made on the first\"}").json()
            .get("id").asText();
        Event created = onSecond.await("the first Mason's project", e -> e.type().equals("project.created"));
        assertThat(created.data().get("project_id").asText()).isEqualTo(project);
        assertThat(created.data().get("name").asText()).isEqualTo("made on the first");

        second.as("alice@example.com").patch("/api/projects/" + project, "{\"name\": \"renamed on the second\"}");
        Event renamed = onFirst.await("the second Mason's rename", e -> e.type().equals("project.renamed"));
        assertThat(renamed.data().get("name").asText()).isEqualTo("renamed on the second");
        assertThat(renamed.id()).isGreaterThan(created.id());
      }
    }
  }

  /**
   * A Mason that starts marks interrupted only the runs of Masons that are gone: a run going on
   * another replica of the same database goes on, and ends as that replica ends it.
   */
  @Test
  void aMasonStartingBesideAnotherLeavesTheOthersRunningWorkAlone() {
    try (FakeAnthropicServer model = new FakeAnthropicServer()) {
      model.alwaysAnswer("mini", message().text("A title"));
      Map<String, String> env = Map.of("ANTHROPIC_BASE_URL", model.baseUrl(), "ANTHROPIC_AUTH_TOKEN", "t",
          "ANTHROPIC_MODEL", "main", "ANTHROPIC_MODEL_MINI", "mini");
      try (TestMason first = TestMason.start(env)) {
        Api alice = first.as("alice@example.com");
        String project = alice.post("/api/projects", "{\"name\": \"replicas\"}").json().get("id").asText();
        model.enqueue(message().text("still ", "going").hang());
        var started = alice.post("/api/invoke_agent", "{\"project_id\": \"" + project + "\", \"message\": \"go\"}");
        assertThat(started.status()).as(started.body()).isEqualTo(202);
        String execution = started.json().get("execution_id").asText();
        SseClient.read(first.baseUrl() + "/api/executions/" + execution + "/events",
            Map.of("X-Forwarded-Email", "alice@example.com"), e -> e.type().equals("text_delta"), Duration.ofSeconds(20));

        Map<String, String> beside = new HashMap<>(env);
        beside.put("MASON_DATABASE_URL", databaseUrl(first));
        try (TestMason second = TestMason.start(beside)) {
          assertThat(second.as("alice@example.com").get("/api/executions/" + execution).json().get("status").asText())
              .as("the first Mason's run, seen from the second after its start").isEqualTo("running");
        }
        assertThat(alice.post("/api/stop_stream/" + execution, "").json().get("success").asBoolean())
            .as("the first Mason still runs it").isTrue();
        var events = SseClient.read(first.baseUrl() + "/api/executions/" + execution + "/events",
            Map.of("X-Forwarded-Email", "alice@example.com"), e -> e.type().equals("done"), Duration.ofSeconds(20));
        assertThat(events.getLast().data().get("status").asText()).isEqualTo("cancelled");
      }
    }
  }
}
