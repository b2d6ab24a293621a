package dev.mason.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mason.testing.TestMason;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SystemApiTest {
  static TestMason mason;

  @BeforeAll
  static void start() {
    mason = TestMason.start();
  }

  @AfterAll
  static void stop() {
    mason.close();
  }

  @ParameterizedTest
  @ValueSource(strings = {"/api/health", "/health", "/api/config/health"})
  void healthReportsStatusVersionAndAWorkingDatabase(String path) {
    var response = mason.anonymous().get(path);

    assertThat(response.status()).isEqualTo(200);
    var json = response.json();
    assertThat(json.get("status").asText()).isEqualTo("healthy");
    assertThat(json.get("version").asText()).isNotBlank();
    assertThat(json.get("database").asText()).isEqualTo("ok");
  }

  @ParameterizedTest
  @ValueSource(strings = {"/api/version"})
  void versionIsTheSameOneHealthReports(String path) {
    String version = mason.anonymous().get(path).json().get("version").asText();

    assertThat(version).isNotBlank().isEqualTo(mason.anonymous().get("/api/health").json().get("version").asText());
  }

  @ParameterizedTest
  @ValueSource(strings = {"/api/me", "/api/config/me"})
  void meNamesTheCallerOnBothPaths(String path) {
    var json = mason.as("carol@example.com").get(path).json();

    assertThat(json.get("user").asText()).isEqualTo("carol@example.com");
    assertThat(json.get("identity_source").asText()).isEqualTo("forwarded_headers");
  }

  @ParameterizedTest
  @ValueSource(strings = {"/api/me", "/api/config/me"})
  void meSaysBeforeTheFirstMessageThatNoModelIsConfiguredAndWhatToSet(String path) {
    var model = mason.as("carol@example.com").get(path).json().get("model");

    assertThat(model.get("configured").asBoolean()).isFalse();
    assertThat(model.get("default_model").isNull()).isTrue();
    assertThat(model.get("what_to_set").asText()).contains("ANTHROPIC_API_KEY", "DATABRICKS_HOST", "DATABRICKS_TOKEN");
  }

  @Test
  void sendingWithoutAModelSaysSoOnceAndNamesTheField() {
    var carol = mason.as("carol@example.com");
    String project = carol.post("/api/projects", "{\"name\": \"no model\"}").json().get("id").asText();

    var response = carol.post("/api/invoke_agent", "{\"project_id\": \"" + project + "\", \"message\": \"hi\"}");

    assertThat(response.status()).isEqualTo(400);
    String error = response.json().get("error").asText();
    assertThat(error).startsWith("No model is configured: set ").doesNotContainIgnoringCase("configured: no model");
    assertThat(error.toLowerCase().split("no model is configured", -1)).as("said once").hasSize(2);
    assertThat(response.json().get("field").asText()).isEqualTo("model");
  }

  @ParameterizedTest
  @ValueSource(strings = {"/api/me", "/api/config/me"})
  void withoutIdentityHeadersOrWorkspaceTheCallerIsTheLocalUser(String path) {
    var json = mason.anonymous().get(path).json();

    assertThat(json.get("user").asText()).isEqualTo("local");
    assertThat(json.get("identity_source").asText()).isEqualTo("local");
  }
}
