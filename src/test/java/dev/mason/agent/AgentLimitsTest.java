package dev.mason.agent;

import static dev.mason.agent.llm.FakeAnthropicServer.message;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mason.agent.llm.FakeAnthropicServer;
import dev.mason.testing.Api;
import dev.mason.testing.SseClient;
import dev.mason.testing.SseClient.Event;
import dev.mason.testing.TestMason;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The bounds of a run: the turn limit, the context window, and the prompt preview. */
class AgentLimitsTest {
  static FakeAnthropicServer model;
  static TestMason mason;
  static Api alice;

  @BeforeAll
  static void start() {
    model = new FakeAnthropicServer();
    model.alwaysAnswer("mini", message().text("SUMMARY-OF-EARLIER-WORK"));
    mason = TestMason.start(Map.of("ANTHROPIC_BASE_URL", model.baseUrl(), "ANTHROPIC_AUTH_TOKEN", "t",
        "ANTHROPIC_MODEL", "main", "ANTHROPIC_MODEL_MINI", "mini", "MASON_MAX_TURNS", "3", "MASON_CONTEXT_TOKENS", "2000"));
    alice = mason.as("alice@example.com");
  }

  @AfterAll
  static void stop() {
    mason.close();
    model.close();
  }

  @Test
  void aRunThatKeepsCallingToolsEndsAtTheTurnLimitWithAClearMessage() {
    String project = ExecutionApiTest.createProject(alice, "loop");
    for (int i = 0; i < 3; i++) {
      model.enqueue(message().toolUse("tu_" + i, "Glob", "{\"pattern\": \"*.md\"}"));
    }
    String execution = ExecutionApiTest.invoke(alice, project, null, "loop forever").get("execution_id").asText();
    List<Event> events = read(execution);
    Event error = events.stream().filter(e -> e.type().equals("error")).findFirst().orElseThrow();
    assertThat(error.data().get("error").asText()).contains("stopped after 3 turns");
    assertThat(events.getLast().data().get("status").asText()).isEqualTo("error");
    assertThat(model.pending()).isZero();
  }

  @Test
  void whenTheHistoryNearsTheContextWindowOlderTurnsAreReplacedByASummary() {
    String project = ExecutionApiTest.createProject(alice, "long");
    String conversation = null;
    String filler = "word ".repeat(200);
    for (int i = 0; i < 7; i++) {
      model.enqueue(message().text("noted " + i));
      JsonNode started = ExecutionApiTest.invoke(alice, project, conversation, "part " + i + " " + filler);
      conversation = started.get("conversation_id").asText();
      read(started.get("execution_id").asText());
    }
    JsonNode last = model.requestsFor("main").getLast().body().get("messages");
    assertThat(last.get(0).toString()).contains("Summary of the earlier part").contains("SUMMARY-OF-EARLIER-WORK");
    assertThat(last.toString()).doesNotContain("part 0 ").contains("part 6 ");
    assertThat(model.requestsFor("mini").getLast().body().get("messages").toString()).contains("part 0 ");
    // The stored conversation keeps every message; only what is sent is compacted.
    JsonNode stored = alice.get("/api/projects/" + project + "/conversations/" + conversation).json().get("messages");
    assertThat(stored).hasSize(14);
  }

  @Test
  void theSystemPromptPreviewShowsSettingsSkillsAndClaudeMd() {
    String project = ExecutionApiTest.createProject(alice, "Prompted");
    JsonNode prompt = alice.get("/api/system_prompt?project_id=" + project + "&warehouse_id=wh-42&default_catalog=main&default_schema=sales").json();
    String text = prompt.get("system_prompt").asText();
    assertThat(text).contains("wh-42").contains("main.sales.<table>").contains("# Prompted").contains("databricks-dbsql")
        .contains("Bash").contains("Skill");
    assertThat(alice.get("/api/system_prompt").json().get("field").asText()).isEqualTo("project_id");
    assertThat(mason.as("bob@example.com").get("/api/system_prompt?project_id=" + project).status()).isEqualTo(404);
  }

  static List<Event> read(String execution) {
    return SseClient.read(mason.baseUrl() + "/api/executions/" + execution + "/events",
        Map.of("X-Forwarded-Email", "alice@example.com"), e -> e.type().equals("done"), Duration.ofSeconds(30));
  }
}
