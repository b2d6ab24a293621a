package dev.mason.databricks;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mason.agent.llm.FakeAnthropicServer;
import dev.mason.agent.tool.Tool;
import dev.mason.databricks.ScriptedAgent.Call;
import dev.mason.databricks.ScriptedAgent.Outcome;
import dev.mason.databricks.ScriptedAgent.Run;
import dev.mason.databricks.ScriptedAgent.Turn;
import dev.mason.databricks.ScriptedAgent.User;
import dev.mason.testing.TestMason;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** A Mason with a model but no Databricks workspace: the agent has no Databricks tools, and the compute pickers say what to set. */
class NoWorkspaceThroughTheAgentTest {
  static final String MODEL = "fake-claude";
  static final String MINI = "fake-claude-mini";
  static final User ALICE = new User("alice@example.com", "alice-forwarded-token");
  static final String WHAT_TO_SET = "no workspace configured: set DATABRICKS_HOST and DATABRICKS_TOKEN";

  static FakeAnthropicServer model;
  static TestMason mason;
  static ScriptedAgent agent;

  @BeforeAll
  static void start() {
    model = new FakeAnthropicServer();
    model.alwaysAnswer(MINI, FakeAnthropicServer.message().text("No workspace"));
    mason = TestMason.start(Map.of(
        "MASON_TRUST_FORWARDED_HEADERS", "true",
        "ANTHROPIC_BASE_URL", model.baseUrl(),
        "ANTHROPIC_AUTH_TOKEN", "test-model-token",
        "ANTHROPIC_MODEL", MODEL,
        "ANTHROPIC_MODEL_MINI", MINI));
    agent = new ScriptedAgent(mason, model, ScriptedAgent.ANTHROPIC, null);
  }

  @AfterAll
  static void stop() {
    if (mason != null) {
      mason.close();
    }
    model.close();
  }

  @Test
  void theModelIsOfferedNoDatabricksToolAndOneCalledAnywayIsUnknown() {
    List<String> databricksTools = mason.app().databricksTools().all().stream().map(Tool::name).toList();
    assertThat(databricksTools).isNotEmpty();
    String project = agent.createProject(ALICE, "no workspace");
    // A conversation begun elsewhere may lead a model to call a tool it saw before.
    Call sql = Call.of("execute_sql", "{\"sql_query\": \"SELECT 1\"}");
    Run run = agent.run(ALICE, project, null, "How many orders are there?", List.of(Turn.of(sql)));

    List<String> offered = ScriptedAgent.offeredTools(model.requestsFor(MODEL).getFirst().body());
    assertThat(offered).as("the engine's own tools are offered").contains("Read", "Write", "Bash")
        .doesNotContainAnyElementsOf(databricksTools);
    Outcome outcome = run.outcome(sql);
    assertThat(outcome.isError()).isTrue();
    assertThat(outcome.content()).startsWith("Unknown tool 'execute_sql'");
    assertThat(run.status()).isEqualTo("completed");
  }

  @Test
  void theComputePickersSayWhatToSet() {
    for (String path : List.of("/api/warehouses", "/api/clusters")) {
      var response = ALICE.api(mason).get(path);
      assertThat(response.status()).as(path).isEqualTo(400);
      assertThat(response.json().path("error").asText()).as(path).isEqualTo(WHAT_TO_SET);
    }
  }
}
