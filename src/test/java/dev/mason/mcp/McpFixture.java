package dev.mason.mcp;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mason.agent.llm.FakeAnthropicServer;
import dev.mason.databricks.FakeWorkspace;
import dev.mason.testing.TestMason;
import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.client.transport.HttpClientStreamableHttpTransport;
import io.modelcontextprotocol.spec.McpSchema;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A Mason for MCP tests: a fake workspace whose users are known by their tokens, a fake model, and
 * MCP clients made with the official SDK's streamable HTTP transport.
 */
public final class McpFixture implements AutoCloseable {
  static final String MODEL = "fake-claude";
  static final String MINI = "fake-claude-mini";
  static final String ALICE = "alice@example.com";
  static final String ALICE_TOKEN = "alice-token";
  static final String BOB = "bob@example.com";
  static final String BOB_TOKEN = "bob-token";
  static final Duration LIMIT = Duration.ofSeconds(30);
  private static final ObjectMapper JSON = new ObjectMapper();

  final FakeWorkspace workspace;
  final FakeAnthropicServer model;
  private final Map<String, String> env;
  TestMason mason;

  private McpFixture(Map<String, String> extraEnv) {
    workspace = FakeWorkspace.start().addUser(ALICE_TOKEN, ALICE).addUser(BOB_TOKEN, BOB);
    model = new FakeAnthropicServer();
    model.alwaysAnswer(MINI, FakeAnthropicServer.message().text("A title"));
    Map<String, String> all = new HashMap<>(Map.of(
        "DATABRICKS_HOST", workspace.url(),
        "ANTHROPIC_BASE_URL", model.baseUrl(),
        "ANTHROPIC_AUTH_TOKEN", "test-model-token",
        "ANTHROPIC_MODEL", MODEL,
        "ANTHROPIC_MODEL_MINI", MINI));
    all.putAll(extraEnv);
    env = Map.copyOf(all);
  }

  static McpFixture start(Map<String, String> extraEnv) {
    McpFixture fixture = new McpFixture(extraEnv);
    fixture.mason = TestMason.start(fixture.env);
    return fixture;
  }

  /** The fakes only: Mason is started by the test (on {@link #env()}), then {@link #adopt}ed. */
  static McpFixture withoutMason(Map<String, String> extraEnv) {
    return new McpFixture(extraEnv);
  }

  void adopt(TestMason started) {
    mason = started;
  }

  /** Stops Mason and starts it again on the same home, with the same fakes. */
  void restart() {
    Path home = mason.home();
    mason.close();
    mason = TestMason.startAt(home, env);
  }

  String mcpUrl() {
    return mason.baseUrl() + "/mcp";
  }

  /** An initialized MCP client presenting {@code token}. */
  McpSyncClient client(String token) {
    return client(token, null);
  }

  /** An initialized MCP client presenting {@code token} and offering only {@code versions} (null: the SDK's). */
  McpSyncClient client(String token, List<String> versions) {
    return client(mason.baseUrl(), token, versions);
  }

  /** The environment Mason runs with here, for a Mason started some other way. */
  Map<String, String> env() {
    return env;
  }

  public static McpSyncClient client(String baseUrl, String token, List<String> versions) {
    var transport = HttpClientStreamableHttpTransport.builder(baseUrl)
        .endpoint("/mcp")
        .addHttpRequestCustomizer((request, method, uri, body, context) -> request.header("Authorization", "Bearer " + token));
    if (versions != null) {
      transport.supportedProtocolVersions(versions);
    }
    McpSyncClient client = McpClient.sync(transport.build()).requestTimeout(LIMIT).initializationTimeout(LIMIT).build();
    client.initialize();
    return client;
  }

  /** Calls a tool that must succeed and returns its JSON answer. */
  public static JsonNode call(McpSyncClient client, String tool, String argumentsJson) {
    McpSchema.CallToolResult result = callRaw(client, tool, argumentsJson);
    assertThat(result.isError()).as(tool + " answered " + text(result)).isFalse();
    try {
      return JSON.readTree(text(result));
    } catch (IOException e) {
      throw new AssertionError(tool + " did not answer JSON: " + text(result), e);
    }
  }

  public static McpSchema.CallToolResult callRaw(McpSyncClient client, String tool, String argumentsJson) {
    try {
      @SuppressWarnings("unchecked")
      Map<String, Object> arguments = JSON.readValue(argumentsJson, Map.class);
      return client.callTool(McpSchema.CallToolRequest.builder(tool).arguments(arguments).build());
    } catch (IOException e) {
      throw new AssertionError("bad test arguments: " + argumentsJson, e);
    }
  }

  public static String text(McpSchema.CallToolResult result) {
    return ((McpSchema.TextContent) result.content().getFirst()).text();
  }

  static JsonNode json(String text) {
    try {
      return JSON.readTree(text);
    } catch (IOException e) {
      throw new AssertionError("not JSON: " + text, e);
    }
  }

  @Override
  public void close() {
    if (mason != null) {
      mason.close();
    }
    model.close();
    workspace.close();
  }
}
