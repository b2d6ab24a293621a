package dev.mason.databricks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.DynamicContainer.dynamicContainer;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mason.agent.llm.FakeAnthropicServer;
import dev.mason.testing.TestMason;
import dev.mason.web.Json;
import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.client.transport.HttpClientStreamableHttpTransport;
import io.modelcontextprotocol.spec.McpSchema;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.TestFactory;

/**
 * The cases of {@link ToolCases} through Mason's MCP server, with the official SDK's client
 * presenting a user's bearer token: each call answers as it does through the agent, and every
 * workspace request carries that token. The tool's schema on the wire is the agent's own.
 */
class DatabricksToolsOverMcpTest {
  static final String TOKEN = "dana-token";
  static final Duration LIMIT = Duration.ofSeconds(60);
  static FakeWorkspace fake;
  static FakeAnthropicServer model;
  static TestMason mason;
  static McpSyncClient client;

  @BeforeAll
  static void start() {
    fake = FakeWorkspace.start().addUser(TOKEN, "dana@example.com").addUser("mason-token", "mason-sp@example.com");
    ToolScenarios.setUp(fake);
    model = new FakeAnthropicServer();
    mason = TestMason.start(Map.of("DATABRICKS_HOST", fake.url(), "DATABRICKS_TOKEN", "mason-token",
        "ANTHROPIC_BASE_URL", model.baseUrl(), "ANTHROPIC_AUTH_TOKEN", "test-model-token", "ANTHROPIC_MODEL", "fake-claude"));
    var transport = HttpClientStreamableHttpTransport.builder(mason.baseUrl()).endpoint("/mcp")
        .addHttpRequestCustomizer((request, method, uri, body, context) -> request.header("Authorization", "Bearer " + TOKEN)).build();
    client = McpClient.sync(transport).requestTimeout(LIMIT).initializationTimeout(LIMIT).build();
    client.initialize();
  }

  @AfterAll
  static void stop() {
    if (client != null) {
      client.closeGracefully();
    }
    if (mason != null) {
      mason.close();
    }
    model.close();
    fake.close();
  }

  @TestFactory
  Stream<DynamicNode> everyNewerToolAnswersOverMcpAsTheBearer() {
    Map<String, McpSchema.Tool> listed = new HashMap<>();
    client.listTools().tools().forEach(t -> listed.put(t.name(), t));
    ToolCases cases = new ToolCases(fake, "mcp");
    DynamicNode schemas = dynamicTest("tools/list carries each of them with its complete schema and honest hints", () -> {
      for (String tool : cases.tools()) {
        assertThat(listed).as("tools/list").containsKey(tool);
        JsonNode wire = new ObjectMapper().valueToTree(listed.get(tool).inputSchema());
        JsonNode own = mason.app().databricksTools().all().stream().filter(t -> t.name().equals(tool)).findFirst().orElseThrow().inputSchema();
        assertThat(wire).as(tool + " schema on the wire").isEqualTo(own);
        boolean destroys = own.path("properties").path("action").path("enum").toString().contains("delete")
            || own.path("properties").path("action").path("enum").toString().contains("drop");
        if (destroys) {
          assertThat(listed.get(tool).annotations().destructiveHint()).as(tool + " destructiveHint").isTrue();
        }
      }
    });
    return Stream.concat(Stream.of(schemas), cases.all().stream().map(c -> dynamicContainer(c.name(), play(c))));
  }

  /** The steps of a case, run in order when JUnit reaches them (a later step may use an earlier answer). */
  private static Stream<DynamicNode> play(ToolCases.Case c) {
    Map<String, JsonNode> answers = new HashMap<>();
    List<DynamicNode> tests = new ArrayList<>();
    for (ToolCases.Step step : c.steps()) {
      tests.add(dynamicTest(step.tool(), () -> {
        String input = step.input().apply(answers);
        fake.clearRequests();
        @SuppressWarnings("unchecked")
        Map<String, Object> arguments = Json.MAPPER.readValue(input, Map.class);
        McpSchema.CallToolResult result = client.callTool(McpSchema.CallToolRequest.builder(step.tool()).arguments(arguments).build());
        String text = ((McpSchema.TextContent) result.content().getFirst()).text();
        boolean error = Boolean.TRUE.equals(result.isError());
        assertThat(error).as(step.tool() + " " + input + " -> " + text).isEqualTo(step.error());
        assertThat(fake.requests()).as(step.tool() + ": only the bearer's token reached the workspace")
            .allMatch(r -> TOKEN.equals(r.token()));
        ToolCases.Answer answer = new ToolCases.Answer(error, text);
        if (step.key() != null && !error) {
          answers.put(step.key(), answer.json());
        }
        step.check().accept(answer);
      }));
    }
    return tests.stream();
  }
}
