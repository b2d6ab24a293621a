package dev.mason.mcp;

import static dev.mason.agent.llm.FakeAnthropicServer.message;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mason.testing.CachedClis;
import dev.mason.testing.TestMason;
import io.modelcontextprotocol.client.McpSyncClient;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** {@code mason_run} with {@code runtime: claude-code}: the task runs in the real Claude Code CLI. */
class DelegatedClaudeCodeTaskTest {
  static McpFixture fixture;
  static McpSyncClient alice;

  @BeforeAll
  static void start() {
    fixture = McpFixture.withoutMason(Map.of());
    Map<String, String> env = new HashMap<>(fixture.env());
    env.put("MASON_BASH", "host");
    env.put("MASON_CLIS_DIR", CachedClis.folder().toString());
    fixture.adopt(TestMason.start(env));
    alice = fixture.client(McpFixture.ALICE_TOKEN);
  }

  @AfterAll
  static void stop() {
    alice.close();
    fixture.close();
  }

  @Test
  void aTaskDelegatedToClaudeCodeRunsInTheCliAndItsAnswerIsTheResult() {
    fixture.model.enqueue(message().text("Delegated ", "and done."));

    JsonNode started = McpFixture.call(alice, "mason_run", "{\"prompt\": \"Say done\", \"runtime\": \"claude-code\"}");
    JsonNode result = DelegatedTaskTest.awaitEnded(alice, started.get("task_id").asText());

    assertThat(result.get("status").asText()).as(result.toString()).isEqualTo("completed");
    assertThat(result.get("answer").asText()).isEqualTo("Delegated and done.");
    JsonNode conversation = fixture.mason.as(McpFixture.ALICE).get("/api/projects/" + started.get("project_id").asText()
        + "/conversations/" + started.get("conversation_id").asText()).json();
    assertThat(conversation.get("runtime").asText()).isEqualTo("claude-code");
    assertThat(fixture.model.lastRequest().header("user-agent")).startsWith("claude-cli/");
  }

  @Test
  void anUnknownRuntimeIsRefusedNamingTheArgument() {
    var result = McpFixture.callRaw(alice, "mason_run", "{\"prompt\": \"x\", \"runtime\": \"gpt-desktop\"}");
    assertThat(result.isError()).isTrue();
    assertThat(McpFixture.text(result)).contains("runtime");
  }
}
