package dev.mason.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mason.testing.TestMason;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
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
  void withoutIdentityHeadersOrWorkspaceTheCallerIsTheLocalUser(String path) {
    var json = mason.anonymous().get(path).json();

    assertThat(json.get("user").asText()).isEqualTo("local");
    assertThat(json.get("identity_source").asText()).isEqualTo("local");
  }
}
