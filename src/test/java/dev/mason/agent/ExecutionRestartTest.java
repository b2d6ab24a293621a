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
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** No client waits forever: runs cut short by a stop or a crash of Mason end with error and done. */
class ExecutionRestartTest {
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

  @Test
  void aRunCutShortByAGracefulStopIsInterruptedAndItsLogIsReadableAfterTheRestart() {
    Path home = TestMason.freshHome();
    String execution;
    String project;
    try (TestMason first = TestMason.startAt(home, env())) {
      Api alice = first.as("alice@example.com");
      project = ExecutionApiTest.createProject(alice, "graceful");
      model.enqueue(message().text("half an ans").hang());
      execution = ExecutionApiTest.invoke(alice, project, null, "go").get("execution_id").asText();
      SseClient.read(first.baseUrl() + "/api/executions/" + execution + "/events", Map.of("X-Forwarded-Email", "alice@example.com"),
          e -> e.type().equals("text_delta"), Duration.ofSeconds(20));
    }
    try (TestMason second = TestMason.startAt(home, env())) {
      Api alice = second.as("alice@example.com");
      assertThat(alice.get("/api/executions/" + execution).json().get("status").asText()).isEqualTo("interrupted");
      List<Event> events = SseClient.read(second.baseUrl() + "/api/executions/" + execution + "/events",
          Map.of("X-Forwarded-Email", "alice@example.com"), e -> e.type().equals("done"), Duration.ofSeconds(20));
      assertThat(ExecutionApiTest.types(events)).contains("text_delta", "error").endsWith("result", "done");
      assertThat(events.getLast().data().get("status").asText()).isEqualTo("interrupted");
      JsonNode messages = alice.get("/api/projects/" + project + "/conversations/"
          + alice.get("/api/executions/" + execution).json().get("conversation_id").asText()).json().get("messages");
      assertThat(messages.get(0).get("content").toString()).contains("go");
    }
  }

  @Test
  void aRunLeftRunningByAKilledMasonIsMarkedInterruptedAtTheNextStart() throws Exception {
    Path home = TestMason.freshHome();
    ProcessBuilder builder = new ProcessBuilder(
        ProcessHandle.current().info().command().orElse("java"), "-cp", System.getProperty("java.class.path"),
        "dev.mason.Mason", "--port", "0", "--home", home.toString())
        .redirectErrorStream(true);
    builder.environment().putAll(env());
    builder.environment().put("MASON_TRUST_FORWARDED_HEADERS", "true");
    Process mason = builder.start();
    String url = null;
    try (var out = new BufferedReader(new InputStreamReader(mason.getInputStream(), StandardCharsets.UTF_8))) {
      Pattern ready = Pattern.compile("is ready at (http://\\S+)");
      String line;
      while ((line = out.readLine()) != null) {
        Matcher m = ready.matcher(line);
        if (m.find()) {
          url = m.group(1);
          break;
        }
      }
      assertThat(url).as("ready line").isNotNull();
      Api alice = new Api(url, Map.of("X-Forwarded-Email", "alice@example.com"));
      String project = ExecutionApiTest.createProject(alice, "crash");
      model.enqueue(message().text("never finished").hang());
      String execution = ExecutionApiTest.invoke(alice, project, null, "go").get("execution_id").asText();
      SseClient.read(url + "/api/executions/" + execution + "/events", Map.of("X-Forwarded-Email", "alice@example.com"),
          e -> e.type().equals("text_delta"), Duration.ofSeconds(20));
      // Killed once the first events are stored, so the log read after the restart starts where the run did.
      Eventually.await(Duration.ofSeconds(20), "the run's first events in the database", () -> MasonDatabase.of(home, "mason")
          .withHandle(h -> h.createQuery("SELECT count(*) FROM execution_events WHERE execution_id = CAST(:id AS uuid)")
              .bind("id", execution).mapTo(Integer.class).one()) >= 2);
      mason.destroyForcibly();
      assertThat(mason.waitFor(10, TimeUnit.SECONDS)).isTrue();

      try (TestMason second = TestMason.startAt(home, env())) {
        Api again = second.as("alice@example.com");
        assertThat(again.get("/api/executions/" + execution).json().get("status").asText()).isEqualTo("interrupted");
        List<Event> events = SseClient.read(second.baseUrl() + "/api/executions/" + execution + "/events",
            Map.of("X-Forwarded-Email", "alice@example.com"), e -> e.type().equals("done"), Duration.ofSeconds(20));
        assertThat(ExecutionApiTest.types(events)).startsWith("conversation.created").endsWith("error", "done");
        assertThat(events.get(events.size() - 2).data().get("error").asText()).contains("interrupted");
        assertThat(events).extracting(Event::id).doesNotHaveDuplicates();
      }
    } finally {
      mason.destroyForcibly();
    }
  }
}
