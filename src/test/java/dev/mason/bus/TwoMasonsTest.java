package dev.mason.bus;

import static dev.mason.agent.llm.FakeAnthropicServer.message;
import static org.assertj.core.api.Assertions.assertThat;

import dev.mason.agent.llm.FakeAnthropicServer;
import dev.mason.testing.Api;
import dev.mason.testing.BusStream;
import dev.mason.testing.Eventually;
import dev.mason.testing.MasonDatabase;
import dev.mason.testing.SseClient;
import dev.mason.testing.SseClient.Event;
import dev.mason.testing.TestMason;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Two Masons on one PostgreSQL, as two replicas behind a load balancer would be: a change made
 * through one reaches the other's bus, through LISTEN/NOTIFY and the shared change feed; each
 * leaves the other's running work alone while it lives, and takes over what it left when it dies.
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
   * another replica of the same database goes on. A stop sent to the replica that does not run it
   * reaches the one that does, over the bus, and the run ends cancelled.
   */
  @Test
  void aMasonStartingBesideAnotherLeavesItsRunAloneAndAStopSentToEitherStopsIt() {
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
          Api onSecond = second.as("alice@example.com");
          assertThat(onSecond.get("/api/executions/" + execution).json().get("status").asText())
              .as("the first Mason's run, seen from the second after its start").isEqualTo("running");
          var stop = onSecond.post("/api/stop_stream/" + execution, "");
          assertThat(stop.json().get("success").asBoolean()).as(stop.body()).isTrue();

          var events = SseClient.read(first.baseUrl() + "/api/executions/" + execution + "/events",
              Map.of("X-Forwarded-Email", "alice@example.com"), e -> e.type().equals("done"), Duration.ofSeconds(20));
          assertThat(events.getLast().data().get("status").asText()).isEqualTo("cancelled");
          assertThat(onSecond.post("/api/stop_stream/" + execution, "").json().get("success").asBoolean())
              .as("a stop of a run that ended").isFalse();
        }
      }
    }
  }

  /**
   * A Mason killed outright, beside another on the same database: the one that lives on marks the
   * dead one's run interrupted within a sweep, so its conversation takes a message again.
   */
  @Test
  void theRunOfAMasonKilledBesideAnotherIsInterruptedByTheOneThatLivesOn() throws Exception {
    try (FakeAnthropicServer model = new FakeAnthropicServer()) {
      model.alwaysAnswer("mini", message().text("A title"));
      Map<String, String> env = new HashMap<>(Map.of("ANTHROPIC_BASE_URL", model.baseUrl(), "ANTHROPIC_AUTH_TOKEN", "t",
          "ANTHROPIC_MODEL", "main", "ANTHROPIC_MODEL_MINI", "mini", "MASON_LEFTOVER_SWEEP_SECONDS", "1"));
      try (TestMason living = TestMason.start(env)) {
        ProcessBuilder builder = new ProcessBuilder(ProcessHandle.current().info().command().orElse("java"),
            "-cp", System.getProperty("java.class.path"), "dev.mason.Mason", "--port", "0", "--home", TestMason.freshHome().toString())
            .redirectErrorStream(true);
        builder.environment().putAll(env);
        builder.environment().put("MASON_DATABASE_URL", databaseUrl(living));
        builder.environment().put("MASON_TRUST_FORWARDED_HEADERS", "true");
        Process dying = builder.start();
        try (var out = new BufferedReader(new InputStreamReader(dying.getInputStream(), StandardCharsets.UTF_8))) {
          String url = readyUrl(out);
          Api alice = new Api(url, Map.of("X-Forwarded-Email", "alice@example.com"));
          String project = alice.post("/api/projects", "{\"name\": \"dies\"}").json().get("id").asText();
          model.enqueue(message().text("never ", "finished").hang());
          var started = alice.post("/api/invoke_agent", "{\"project_id\": \"" + project + "\", \"message\": \"go\"}");
          assertThat(started.status()).as(started.body()).isEqualTo(202);
          String execution = started.json().get("execution_id").asText();
          SseClient.read(url + "/api/executions/" + execution + "/events", Map.of("X-Forwarded-Email", "alice@example.com"),
              e -> e.type().equals("text_delta"), Duration.ofSeconds(20));
          Api onLiving = living.as("alice@example.com");
          assertThat(onLiving.get("/api/executions/" + execution).json().get("status").asText()).isEqualTo("running");

          dying.destroyForcibly();
          assertThat(dying.waitFor(10, TimeUnit.SECONDS)).isTrue();

          Eventually.await(Duration.ofSeconds(20), "the living Mason to interrupt the dead one's run",
              () -> onLiving.get("/api/executions/" + execution).json().get("status").asText().equals("interrupted"));
          var events = SseClient.read(living.baseUrl() + "/api/executions/" + execution + "/events",
              Map.of("X-Forwarded-Email", "alice@example.com"), e -> e.type().equals("done"), Duration.ofSeconds(20));
          assertThat(events.getLast().data().get("status").asText()).isEqualTo("interrupted");
        } finally {
          dying.destroyForcibly();
        }
      }
    }
  }

  private static String readyUrl(BufferedReader out) throws IOException {
    Pattern ready = Pattern.compile("is ready at (http://\\S+)");
    String line;
    while ((line = out.readLine()) != null) {
      Matcher m = ready.matcher(line);
      if (m.find()) {
        // The rest of its output is drained, so the process never blocks on a full pipe.
        Thread.ofVirtual().start(() -> out.lines().forEach(l -> { }));
        return m.group(1);
      }
    }
    throw new AssertionError("the Mason ended before it was ready");
  }
}
