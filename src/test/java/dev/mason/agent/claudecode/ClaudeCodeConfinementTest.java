package dev.mason.agent.claudecode;

import static dev.mason.agent.llm.FakeAnthropicServer.message;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mason.agent.llm.FakeAnthropicServer;
import dev.mason.testing.Api;
import dev.mason.testing.CachedClis;
import dev.mason.testing.SseClient;
import dev.mason.testing.SseClient.Event;
import dev.mason.testing.TestMason;
import dev.mason.web.Json;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Where Mason's own Bash would be confined (MASON_BASH sandbox or off, as when several users share
 * Mason), Claude Code runs without its Bash tool: a command the model asks for never runs.
 */
class ClaudeCodeConfinementTest {
  @Test
  void withMasonsBashOffClaudeCodesBashNeverRuns() {
    try (var model = new FakeAnthropicServer();
        var mason = TestMason.start(Map.of("ANTHROPIC_BASE_URL", model.baseUrl(), "ANTHROPIC_AUTH_TOKEN", "sk-mason-model-key",
            "ANTHROPIC_MODEL", "claude-sonnet-4-5", "ANTHROPIC_MODEL_MINI", "claude-haiku-mini", "MASON_BASH", "off",
            "MASON_CLIS_DIR", CachedClis.folder().toString()))) {
      model.alwaysAnswer("claude-haiku-mini", message().text("A title"));
      Api alice = mason.as("alice@example.com");
      String project = alice.post("/api/projects", "{\"name\": \"no bash\"}").json().get("id").asText();
      Path folder = mason.app().settings().storage().projectsDir().resolve(project);
      model.enqueue(message().toolUse("toolu_bash", "Bash", "{\"command\": \"touch " + folder.resolve("ran") + "\"}"),
          message().text("Could not run it."));

      var response = alice.post("/api/invoke_agent", "{\"project_id\": \"" + project + "\", \"message\": " + Json.write("Run touch")
          + ", \"runtime\": \"claude-code\"}");
      assertThat(response.status()).as(response.body()).isEqualTo(202);
      JsonNode started = response.json();
      List<Event> events = SseClient.read(mason.baseUrl() + "/api/executions/" + started.get("execution_id").asText()
          + "/events?after=0", Map.of("X-Forwarded-Email", "alice@example.com"), e -> e.type().equals("done"), Duration.ofSeconds(60));

      assertThat(events.getLast().data().get("status").asText()).isEqualTo("completed");
      Event result = events.stream().filter(e -> e.type().equals("tool_result")).findFirst().orElseThrow();
      assertThat(result.data().get("is_error").asBoolean()).as(result.data().toString()).isTrue();
      assertThat(folder.resolve("ran")).doesNotExist();
      List<String> offered = model.requestsFor("claude-sonnet-4-5").getFirst().body().get("tools").findValuesAsText("name");
      assertThat(offered).doesNotContain("Bash").contains("Write");
    }
  }
}
