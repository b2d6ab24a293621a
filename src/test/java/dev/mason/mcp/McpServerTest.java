package dev.mason.mcp;

import static dev.mason.mcp.McpFixture.ALICE;
import static dev.mason.mcp.McpFixture.ALICE_TOKEN;
import static dev.mason.mcp.McpFixture.BOB_TOKEN;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mason.databricks.FakeWorkspace;
import dev.mason.testing.Api;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.spec.McpSchema;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** /mcp with the official SDK's client over HTTP: versions, tools and their schemas, identity, sessions. */
class McpServerTest {
  static McpFixture fixture;

  @BeforeAll
  static void start() {
    fixture = McpFixture.start(Map.of());
    fixture.workspace.addWarehouse("wh-1", "Shared", "RUNNING", "admin@example.com");
  }

  @AfterAll
  static void stop() {
    fixture.close();
  }

  @Test
  void aClientNegotiatesEitherCurrentProtocolVersionAndLearnsWhoTheServerIs() {
    for (String version : List.of("2025-06-18", "2025-11-25")) {
      try (McpSyncClient client = fixture.client(ALICE_TOKEN, List.of(version))) {
        McpSchema.InitializeResult init = client.getCurrentInitializationResult();
        assertThat(init.protocolVersion()).isEqualTo(version);
        assertThat(init.serverInfo().name()).isEqualTo("mason");
        assertThat(init.capabilities().tools()).isNotNull();
        assertThat(init.instructions()).contains("mason_run");
      }
    }
  }

  @Test
  void toolsListCarriesTheDatabricksToolsWithTheirCompleteSchemasAndHonestAnnotations() {
    try (McpSyncClient client = fixture.client(ALICE_TOKEN)) {
      Map<String, McpSchema.Tool> tools = client.listTools().tools().stream()
          .collect(Collectors.toMap(McpSchema.Tool::name, Function.identity()));
      assertThat(tools).containsKeys("execute_sql", "manage_jobs", "get_current_user", "manage_uc_objects",
          "mason_run", "mason_inbox", "mason_get_result", "mason_cancel");

      JsonNode sql = McpFixture.json(McpTools.WIRE.valueToTree(tools.get("execute_sql").inputSchema()).toString());
      assertThat(sql.get("type").asText()).isEqualTo("object");
      assertThat(sql.get("required").toString()).isEqualTo("[\"sql_query\"]");
      assertThat(sql.at("/properties/sql_query/type").asText()).isEqualTo("string");
      assertThat(sql.at("/properties/sql_query/description").asText()).isNotBlank();
      assertThat(sql.at("/properties/output_format/enum").toString()).isEqualTo("[\"markdown\",\"json\"]");
      assertThat(sql.at("/properties/query_tags/type").asText()).isEqualTo("object");

      JsonNode jobs = McpFixture.json(McpTools.WIRE.valueToTree(tools.get("manage_jobs").inputSchema()).toString());
      assertThat(jobs.get("required").toString()).contains("action");
      assertThat(jobs.at("/properties/action/enum").toString()).contains("create", "delete");
      assertThat(jobs.at("/properties/tasks/type").asText()).isEqualTo("array");
      assertThat(jobs.at("/properties/tasks/items/type").asText()).isEqualTo("object");
      // The schema is the agent's own, key for key: nothing was flattened on the way.
      var agentsSchema = fixture.mason.app().databricksTools().all().stream()
          .filter(t -> t.name().equals("manage_jobs")).findFirst().orElseThrow().inputSchema();
      assertThat(jobs).isEqualTo(McpFixture.json(agentsSchema.toString()));

      McpSchema.ToolAnnotations read = tools.get("get_current_user").annotations();
      assertThat(List.of(read.readOnlyHint(), read.destructiveHint(), read.idempotentHint())).containsExactly(true, false, true);
      McpSchema.ToolAnnotations sqlHints = tools.get("execute_sql").annotations();
      assertThat(List.of(sqlHints.readOnlyHint(), sqlHints.destructiveHint(), sqlHints.idempotentHint())).containsExactly(false, true, false);
      McpSchema.ToolAnnotations inbox = tools.get("mason_inbox").annotations();
      assertThat(List.of(inbox.readOnlyHint(), inbox.idempotentHint())).containsExactly(true, true);
      assertThat(tools.get("mason_run").annotations().readOnlyHint()).isFalse();
      assertThat(tools.get("mason_run").annotations().idempotentHint()).isFalse();
      assertThat(tools.get("mason_cancel").annotations().idempotentHint()).isTrue();
    }
  }

  @Test
  void executeSqlRunsAgainstTheWorkspaceWithTheBearersOwnToken() {
    fixture.workspace.clearRequests();
    try (McpSyncClient client = fixture.client(ALICE_TOKEN)) {
      McpSchema.CallToolResult result = McpFixture.callRaw(client, "execute_sql", "{\"sql_query\": \"SELECT 41 + 1 AS answer\"}");
      assertThat(result.isError()).as(McpFixture.text(result)).isFalse();
      assertThat(McpFixture.text(result)).contains("answer").contains("42");
    }
    List<FakeWorkspace.Received> statements = fixture.workspace.requests("/api/2.0/sql/statements");
    assertThat(statements).isNotEmpty();
    assertThat(statements).extracting(FakeWorkspace.Received::token).containsOnly(ALICE_TOKEN);
    assertThat(statements.getFirst().json().get("statement").asText()).isEqualTo("SELECT 41 + 1 AS answer");
  }

  @Test
  void aToolCallWithInputThatBreaksTheSchemaIsAnErrorResultNamingTheField() {
    try (McpSyncClient client = fixture.client(ALICE_TOKEN)) {
      McpSchema.CallToolResult result = McpFixture.callRaw(client, "execute_sql", "{\"max_rows\": 5}");
      assertThat(result.isError()).isTrue();
      assertThat(McpFixture.text(result)).contains("sql_query is required");
    }
  }

  @Test
  void withoutCredentialsTheAnswerIs401WithABearerChallenge() {
    String initialize = initializeBody();
    Api.Response anonymous = new Api(fixture.mason.baseUrl(), Map.of("Accept", "application/json, text/event-stream"))
        .post("/mcp", initialize);
    assertThat(anonymous.status()).isEqualTo(401);
    assertThat(anonymous.headers().firstValue("WWW-Authenticate")).hasValueSatisfying(v -> assertThat(v).startsWith("Bearer"));
    assertThat(anonymous.json().get("error").asText()).contains("Authorization: Bearer");

    Api.Response badToken = new Api(fixture.mason.baseUrl(), Map.of("Accept", "application/json, text/event-stream",
        "Authorization", "Bearer not-a-token")).post("/mcp", initialize);
    assertThat(badToken.status()).isEqualTo(401);
    assertThat(badToken.headers().firstValue("WWW-Authenticate")).hasValueSatisfying(v -> assertThat(v).contains("invalid_token"));
    assertThat(badToken.body()).doesNotContain("not-a-token");
  }

  @Test
  void anotherUsersSessionIdIsRefusedWith404WhileItsOwnerKeepsUsingIt() {
    Api alice = mcpApi(ALICE_TOKEN);
    Api.Response opened = alice.post("/mcp", initializeBody());
    assertThat(opened.status()).as(opened.body()).isEqualTo(200);
    String session = opened.headers().firstValue("Mcp-Session-Id").orElseThrow();
    String toolsList = "{\"jsonrpc\": \"2.0\", \"id\": 2, \"method\": \"tools/list\"}";

    Api.Response stolen = mcpApi(BOB_TOKEN).withHeader("Mcp-Session-Id", session).post("/mcp", toolsList);
    assertThat(stolen.status()).isEqualTo(404);
    assertThat(stolen.body()).doesNotContain("mason_run");

    Api.Response own = alice.withHeader("Mcp-Session-Id", session).post("/mcp", toolsList);
    assertThat(own.status()).isEqualTo(200);
    assertThat(own.body()).contains("mason_run");
    assertThat(mcpApi(ALICE_TOKEN).withHeader("Mcp-Session-Id", "no-such-session").post("/mcp", toolsList).status()).isEqualTo(404);
  }

  @Test
  void healthAndToolsPagesDescribeTheServerForPeople() {
    Api people = new Api(fixture.mason.baseUrl(), Map.of());
    JsonNode health = people.get("/mcp/health").json();
    assertThat(health.get("status").asText()).isEqualTo("ok");
    assertThat(health.get("protocol_versions").toString()).contains("2025-06-18", "2025-11-25");
    assertThat(health.get("databricks_tools").asBoolean()).isTrue();
    assertThat(health.get("max_tasks_per_user").asInt()).isEqualTo(5);

    JsonNode tools = people.get("/mcp/tools").json().get("tools");
    JsonNode sql = null;
    for (JsonNode tool : tools) {
      if (tool.get("name").asText().equals("execute_sql")) {
        sql = tool;
      }
    }
    assertThat(sql).isNotNull();
    assertThat(sql.get("description").asText()).isNotBlank();
    assertThat(sql.at("/inputSchema/required").toString()).contains("sql_query");
    assertThat(sql.at("/annotations/destructiveHint").asBoolean()).isTrue();
    assertThat(tools.size()).isEqualTo(health.get("tools").asInt());
  }

  @Test
  void whoamiOverMcpIsTheBearersUser() {
    try (McpSyncClient client = fixture.client(ALICE_TOKEN)) {
      assertThat(McpFixture.text(McpFixture.callRaw(client, "get_current_user", "{}"))).contains(ALICE);
    }
  }

  static Api mcpApi(String token) {
    return new Api(fixture.mason.baseUrl(), Map.of("Accept", "application/json, text/event-stream",
        "Authorization", "Bearer " + token));
  }

  static String initializeBody() {
    return """
        {"jsonrpc": "2.0", "id": 1, "method": "initialize", "params": {"protocolVersion": "2025-06-18",
         "capabilities": {}, "clientInfo": {"name": "test", "version": "1"}}}""";
  }
}
