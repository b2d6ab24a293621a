package dev.mason.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mason.databricks.FakeWorkspace;
import dev.mason.testing.Api;
import dev.mason.testing.Eventually;
import dev.mason.testing.SseClient;
import dev.mason.testing.TestMason;
import dev.mason.web.Json;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The chat's model on Databricks Apps with no model secret configured: the workspace's serving
 * endpoints are called with the user's own forwarded token when the app's users grant it the
 * serving scope, else with the app's service principal (OAuth M2M); {@code /api/config/me} says
 * which.
 */
class AppsModelCredentialTest {
  static final String APP = "mason-team";
  static final String ALICE = "alice@example.com";
  static final String ALICE_TOKEN = "alice-forwarded-token-9e8d";
  static final String CLIENT_ID = "app-sp-client-7c6b";

  FakeWorkspace workspace;
  TestMason mason;

  @AfterEach
  void stop() {
    if (mason != null) {
      mason.close();
    }
    workspace.close();
  }

  @Test
  void withTheServingScopeTheModelIsCalledWithTheUsersOwnToken() {
    start("serving.serving-endpoints", "sql");
    Api alice = alice();
    Eventually.await(Duration.ofSeconds(20), "the app's scopes to be read",
        () -> alice.get("/api/config/me").json().path("model_credential").asText().equals("user"));

    chat(alice);

    assertThat(workspace.requests("/serving-endpoints/anthropic/v1/messages")).isNotEmpty()
        .allSatisfy(call -> assertThat(call.token()).isEqualTo(ALICE_TOKEN));
  }

  @Test
  void withoutItTheModelIsCalledWithTheAppsServicePrincipal() {
    start("sql");
    Api alice = alice();
    assertThat(alice.get("/api/config/me").json().path("model_credential").asText()).isEqualTo("app_service_principal");

    chat(alice);

    assertThat(workspace.requests("/serving-endpoints/anthropic/v1/messages")).isNotEmpty()
        .allSatisfy(call -> assertThat(call.token()).isEqualTo(FakeWorkspace.servicePrincipalToken(CLIENT_ID)));
    assertThat(workspace.tokenGrants()).isPositive();
  }

  private void start(String... scopes) {
    workspace = FakeWorkspace.start().addUser(ALICE_TOKEN, ALICE).addServicePrincipal(CLIENT_ID, "sp-secret")
        .addApp(APP, ALICE, scopes);
    mason = TestMason.start(Map.of("DATABRICKS_APP_NAME", APP, "DATABRICKS_HOST", workspace.url(),
        "DATABRICKS_CLIENT_ID", CLIENT_ID, "DATABRICKS_CLIENT_SECRET", "sp-secret", "MASON_BIND_ADDRESS", "127.0.0.1"));
  }

  private Api alice() {
    return new Api(mason.baseUrl(), Map.of("X-Forwarded-Email", ALICE, "X-Forwarded-Access-Token", ALICE_TOKEN));
  }

  private void chat(Api alice) {
    String project = alice.post("/api/projects", "{\"name\": \"model credential\"}").json().get("id").asText();
    var started = alice.post("/api/invoke_agent", Json.write(Map.of("project_id", project, "message", "Say hello")));
    assertThat(started.status()).as(started.toString()).isEqualTo(202);
    List<SseClient.Event> events = SseClient.read(mason.baseUrl() + "/api/executions/" + started.json().get("execution_id").asText()
        + "/events", Map.of("X-Forwarded-Email", ALICE, "X-Forwarded-Access-Token", ALICE_TOKEN), e -> e.type().equals("done"),
        Duration.ofSeconds(30));
    assertThat(events.getLast().data().path("status").asText()).as(events.toString()).isEqualTo("completed");
  }
}
