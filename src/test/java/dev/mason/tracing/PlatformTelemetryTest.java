package dev.mason.tracing;

import static dev.mason.agent.llm.FakeAnthropicServer.message;
import static org.assertj.core.api.Assertions.assertThat;

import dev.mason.agent.llm.FakeAnthropicServer;
import dev.mason.testing.Api;
import dev.mason.testing.Eventually;
import dev.mason.testing.MasonProcess;
import dev.mason.testing.SseClient;
import dev.mason.testing.TestMason;
import dev.mason.web.Json;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Databricks Apps sets the OpenTelemetry variables of its own collector in every app's
 * environment ({@code OTEL_EXPORTER_OTLP_ENDPOINT} and the rest). Mason's exporter is configured
 * explicitly, never from them, so its traces still reach MLflow and the collector gets none: the
 * reference lost its traces this way. A separate process, because the SDK would read the variables
 * from the real environment.
 */
class PlatformTelemetryTest {
  @Test
  void thePlatformsOtelVariablesDoNotCaptureMasonsTraces() throws Exception {
    try (FakeMlflow mlflow = FakeMlflow.start(); FakeMlflow collector = FakeMlflow.start(); FakeAnthropicServer model = new FakeAnthropicServer()) {
      model.alwaysAnswer("fake-claude-mini", message().text("Telemetry"));
      model.enqueue(message().text("Traced ", "to MLflow.").usage(10, 4));
      Map<String, String> env = new HashMap<>(Map.of(
          "ANTHROPIC_BASE_URL", model.baseUrl(), "ANTHROPIC_AUTH_TOKEN", "test-model-token-3e4f",
          "ANTHROPIC_MODEL", "fake-claude", "ANTHROPIC_MODEL_MINI", "fake-claude-mini",
          "MLFLOW_TRACKING_URI", mlflow.url()));
      env.putAll(Map.of(
          "OTEL_EXPORTER_OTLP_ENDPOINT", collector.url(),
          "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT", collector.url() + "/v1/traces",
          "OTEL_EXPORTER_OTLP_PROTOCOL", "http/protobuf",
          "OTEL_TRACES_EXPORTER", "otlp",
          "OTEL_SERVICE_NAME", "mason-team"));
      try (MasonProcess mason = MasonProcess.start(TestMason.freshHome(), env)) {
        Api alice = mason.as("alice@example.com");
        String project = alice.post("/api/projects", "{\"name\": \"telemetry\"}").json().get("id").asText();
        var started = alice.post("/api/invoke_agent", Json.write(Map.of("project_id", project, "message", "Trace this")));
        assertThat(started.status()).as(started.toString()).isEqualTo(202);
        SseClient.read(mason.url() + "/api/executions/" + started.json().get("execution_id").asText() + "/events",
            Map.of("X-Forwarded-Email", "alice@example.com"), e -> e.type().equals("done"), Duration.ofSeconds(30));

        Eventually.await(Duration.ofSeconds(30), "the run's trace at MLflow", () -> !mlflow.spans().isEmpty());
        assertThat(collector.exports()).as("the platform's collector").isEmpty();
      }
    }
  }
}
