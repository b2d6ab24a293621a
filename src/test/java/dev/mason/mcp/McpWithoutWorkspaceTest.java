package dev.mason.mcp;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mason.testing.Api;
import dev.mason.testing.TestMason;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Without a workspace no bearer token can be checked; the Apps proxy's headers, when trusted, still identify callers. */
class McpWithoutWorkspaceTest {
  static TestMason mason;

  @BeforeAll
  static void start() {
    mason = TestMason.start();
  }

  @AfterAll
  static void stop() {
    mason.close();
  }

  @Test
  void aBearerTokenIsRefusedWith401SayingNoWorkspaceCanCheckIt() {
    Api.Response response = mcp(Map.of("Authorization", "Bearer some-token")).post("/mcp", McpServerTest.initializeBody());
    assertThat(response.status()).isEqualTo(401);
    assertThat(response.headers().firstValue("WWW-Authenticate")).hasValueSatisfying(v -> assertThat(v).startsWith("Bearer"));
    assertThat(response.json().get("error").asText()).contains("no Databricks workspace is configured");
  }

  @Test
  void theLocalUserIsNotAcceptedOnMcp() {
    Api.Response response = mcp(Map.of()).post("/mcp", McpServerTest.initializeBody());
    assertThat(response.status()).isEqualTo(401);
    assertThat(response.json().get("error").asText()).contains("identify themselves").contains("DATABRICKS_HOST");
    // Elsewhere in Mason the same request is the local user.
    assertThat(mason.anonymous().get("/api/me").status()).isEqualTo(200);
  }

  @Test
  void trustedProxyHeadersIdentifyTheCallerAndOnlyTheDelegationToolsAreOffered() {
    Api alice = mcp(Map.of("X-Forwarded-Email", "alice@example.com"));
    Api.Response opened = alice.post("/mcp", McpServerTest.initializeBody());
    assertThat(opened.status()).as(opened.body()).isEqualTo(200);
    String session = opened.headers().firstValue("Mcp-Session-Id").orElseThrow();
    Api.Response tools = alice.withHeader("Mcp-Session-Id", session).post("/mcp", "{\"jsonrpc\": \"2.0\", \"id\": 2, \"method\": \"tools/list\"}");
    assertThat(tools.body()).contains("mason_run", "mason_inbox", "mason_get_result", "mason_cancel").doesNotContain("execute_sql");
    assertThat(mcp(Map.of("X-Forwarded-Email", "bob@example.com")).withHeader("Mcp-Session-Id", session)
        .post("/mcp", "{\"jsonrpc\": \"2.0\", \"id\": 2, \"method\": \"tools/list\"}").status()).isEqualTo(404);
  }

  private static Api mcp(Map<String, String> headers) {
    return new Api(mason.baseUrl(), headers).withHeader("Accept", "application/json, text/event-stream");
  }
}
