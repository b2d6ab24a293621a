package dev.mason.tracing;

import static dev.mason.agent.llm.FakeAnthropicServer.message;
import static org.assertj.core.api.Assertions.assertThat;

import dev.mason.agent.llm.FakeAnthropicServer;
import dev.mason.testing.Eventually;
import dev.mason.testing.TestMason;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code MLFLOW_TRACKING_URI=databricks}: the experiment is found and created through the
 * workspace's MLflow REST API, and the spans go to the workspace's OTLP endpoint with the Unity
 * Catalog spans table named. The fake MLflow stands in for the workspace host.
 */
class WorkspaceTracingTest {
  static final String CAROL = "carol@example.com";
  static final String CAROL_TOKEN = "carol-forwarded-token-4d0c";
  static final String TABLE = "main.agents.mason_otel_spans";

  static FakeAnthropicServer model;
  static FakeMlflow workspace;
  static TestMason mason;

  @BeforeAll
  static void start() {
    model = new FakeAnthropicServer();
    model.alwaysAnswer("fake-claude-mini", message().text("Workspace traces"));
    workspace = FakeMlflow.start().withUser(CAROL_TOKEN, CAROL);
    mason = TestMason.start(Map.of(
        "DATABRICKS_HOST", workspace.url(),
        "DATABRICKS_TOKEN", "mason-app-token-0e1f",
        "ANTHROPIC_BASE_URL", model.baseUrl(),
        "ANTHROPIC_AUTH_TOKEN", "test-model-token-8a2b",
        "ANTHROPIC_MODEL", "fake-claude",
        "ANTHROPIC_MODEL_MINI", "fake-claude-mini",
        "DATABRICKS_APP_NAME", "mason-builder",
        "MLFLOW_TRACKING_URI", "databricks",
        "MLFLOW_TRACING_UC_TABLE", TABLE));
  }

  @AfterAll
  static void stop() {
    if (mason != null) {
      mason.close();
    }
    model.close();
    workspace.close();
  }

  @Test
  void aRunIsTracedToTheWorkspacesOtlpEndpointInTheUsersExperimentWithItsSpansTable() {
    var carol = new MlflowTracingTest.User(CAROL, CAROL_TOKEN);
    var api = mason.as(CAROL).withHeader("X-Forwarded-Access-Token", CAROL_TOKEN);
    var project = api.post("/api/projects", "{\"name\": \"on the workspace\"}").json().path("id").asText();
    model.enqueue(message().text("Traced on the workspace."));
    var started = api.post("/api/invoke_agent", "{\"project_id\": \"" + project + "\", \"message\": \"Hello\"}").json();
    String execution = started.path("execution_id").asText();
    dev.mason.testing.SseClient.read(mason.baseUrl() + "/api/executions/" + execution + "/events", carol.headers(),
        e -> e.type().equals("done"), MlflowTracingTest.LIMIT);

    Eventually.await(MlflowTracingTest.LIMIT, "the run's root span at the workspace", () -> workspace.spans().stream()
        .anyMatch(s -> execution.equals(FakeMlflow.attributes(s).get("mason.execution.id"))));
    FakeMlflow.Experiment experiment = workspace.experiment("/Users/" + CAROL + "/mason-builder");
    assertThat(experiment).as("the experiment named after DATABRICKS_APP_NAME").isNotNull();
    assertThat(experiment.createdWithToken()).isEqualTo(CAROL_TOKEN);
    assertThat(workspace.exports()).isNotEmpty().allSatisfy(export -> {
      assertThat(export.path()).isEqualTo("/api/2.0/otel/v1/traces");
      assertThat(export.experimentHeader()).isEqualTo(experiment.id());
      assertThat(export.ucTableHeader()).isEqualTo(TABLE);
      assertThat(export.authorization()).isEqualTo("Bearer " + CAROL_TOKEN);
    });
    Eventually.await(MlflowTracingTest.LIMIT, "the trace_url", () -> api.get("/api/executions/" + execution).json().has("trace_url"));
    assertThat(api.get("/api/executions/" + execution).json().path("trace_url").asText())
        .startsWith(workspace.url() + "/ml/experiments/" + experiment.id() + "/traces?selectedEvaluationId=tr-");
  }
}
