package dev.mason.terminal;

import static org.assertj.core.api.Assertions.assertThat;

import com.databricks.sdk.WorkspaceClient;
import com.databricks.sdk.core.CredentialsProvider;
import com.databricks.sdk.core.DatabricksConfig;
import com.databricks.sdk.core.HeaderFactory;
import com.databricks.sdk.service.iam.MeRequest;
import com.fasterxml.jackson.databind.JsonNode;
import dev.mason.databricks.FakeAiGateway;
import dev.mason.databricks.FakeTokens;
import dev.mason.databricks.FakeWorkspace;
import dev.mason.testing.Api;
import dev.mason.testing.Eventually;
import dev.mason.testing.NpmCache;
import dev.mason.web.Json;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Real Mason shells wired to the workspace: what a shell's environment and home hold, the model
 * gateway reached with the session secret from inside the shell (curl) and from this JVM as a CLI
 * would, and the metadata-service credential the Databricks SDKs use.
 */
class TerminalGatewayTest {
  static final String OWNER_TOKEN = "dapi-owner-terminal";
  /** The JavaScript Databricks SDK from npm (PyPI is out of reach here); it speaks the metadata-service protocol. */
  static final String JS_SDK_VERSION = "0.17.0";
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  static FakeWorkspace workspace;
  static TerminalMason mason;

  @BeforeAll
  static void start() {
    workspace = FakeWorkspace.start().addUser(OWNER_TOKEN, TerminalMason.OWNER);
    // The owner's token comes from Mason's environment, so the test also proves it is kept from the shells.
    mason = TerminalMason.start(Map.of("DATABRICKS_HOST", workspace.url(), "DATABRICKS_TOKEN", OWNER_TOKEN,
        "PAT_ROTATION_INTERVAL", "60", "PAT_TOKEN_LIFETIME", "120"));
    Eventually.await(Duration.ofSeconds(15), "a first minted token", () -> !workspace.tokens().minted().isEmpty());
  }

  @AfterAll
  static void stop() {
    mason.close();
    workspace.close();
  }

  @Test
  void aShellsEnvironmentAndHomeHoldNoWorkspaceTokenOnlyTheGatewayAndTheMetadataService() throws IOException {
    String id = mason.newSession();
    Poller poller = new Poller(mason.owner(), id, "tab-env", 0, null);
    mason.input(id, "curl -s -o /dev/null \"$ANTHROPIC_BASE_URL/v1/models\" -H \"x-api-key: $ANTHROPIC_AUTH_TOKEN\"; env; echo END-$((2+3))\n");
    String env = poller.until("END-5", Duration.ofSeconds(15)).text();
    Path masonHome = mason.home().getParent();
    assertThat(env)
        .contains("ANTHROPIC_BASE_URL=" + mason.baseUrl() + "/gateway/anthropic")
        .contains("OPENAI_BASE_URL=" + mason.baseUrl() + "/gateway/openai/v1")
        .contains("GOOGLE_GEMINI_BASE_URL=" + mason.baseUrl() + "/gateway/gemini")
        .contains("DATABRICKS_HOST=" + workspace.url())
        .contains("DATABRICKS_AUTH_TYPE=metadata-service")
        .contains("DATABRICKS_METADATA_SERVICE_URL=" + mason.baseUrl() + "/api/credentials/metadata-service/mason-session-")
        .contains("CLAUDE_CONFIG_DIR=" + masonHome.resolve("clis/claude"))
        .contains("CODEX_HOME=" + masonHome.resolve("clis/codex"))
        .contains("DATABRICKS_CONFIG_FILE=" + masonHome.resolve("clis/databricks/databrickscfg"))
        .doesNotContain("DATABRICKS_TOKEN=");
    List<String> tokens = workspaceTokens();
    for (String token : tokens) {
      assertThat(env).doesNotContain(token);
    }
    for (Path root : List.of(mason.home(), masonHome.resolve("clis"))) {
      try (Stream<Path> files = Files.walk(root)) {
        for (Path file : files.filter(Files::isRegularFile).toList()) {
          String content = new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1);
          for (String token : tokens) {
            assertThat(content).as(file.toString()).doesNotContain(token);
          }
        }
      }
    }
    assertThat(mason.home().resolve(".databrickscfg")).doesNotExist();
    assertThat(mason.home().resolve(".claude")).doesNotExist();
  }

  @Test
  void curlInAShellStreamsFromTheAnthropicEndpointEventByEventCarryingTheCurrentToken() {
    String id = mason.newSession();
    Poller poller = new Poller(mason.owner(), id, "tab-curl", 0, null);
    CountDownLatch held = workspace.models().holdAfterFirstEvent();
    workspace.clearRequests();
    try {
      mason.input(id, "curl -sN \"$ANTHROPIC_BASE_URL/v1/messages\" -H \"Authorization: Bearer $ANTHROPIC_AUTH_TOKEN\""
          + " -H 'content-type: application/json' -H 'anthropic-version: 2023-06-01'"
          + " -d '{\"model\":\"databricks-claude-sonnet-4-5\",\"max_tokens\":64,\"stream\":true,"
          + "\"messages\":[{\"role\":\"user\",\"content\":[{\"type\":\"text\",\"text\":\"hi\"},{\"type\":\"text\",\"text\":\" \"}]}]}';"
          + " echo; echo CURL-$((6*7))\n");
      String first = poller.until("\"text\":\"Hello\"", Duration.ofSeconds(15)).text();
      assertThat(first).as("the rest is still held by the endpoint").doesNotContain("message_stop");
    } finally {
      held.countDown();
      workspace.models().release();
    }
    String all = poller.until("CURL-42", Duration.ofSeconds(15)).text();
    assertThat(all).contains("\"text\":\" endpoint\"").contains("message_stop");

    FakeWorkspace.Received upstream = workspace.requests("/serving-endpoints/anthropic/v1/messages").get(0);
    assertThat(upstream.token()).isEqualTo(currentMinted().value());
    assertThat(upstream.headers()).containsEntry("x-databricks-use-coding-agent-mode", "true").containsEntry("anthropic-version", "2023-06-01");
    // The blank text block was dropped by the same sanitizer Mason's own client uses.
    assertThat(upstream.json().path("messages").get(0).path("content")).hasSize(1);
  }

  @Test
  void aWrongOrDeadSecretGets401AndALiveOneReachesEveryProtocol() throws Exception {
    String first = mason.newSession();
    String deadSecret = secretOf(first);
    assertThat(mason.owner().post("/api/session/close", TerminalMason.Json.object("session_id", first)).status()).isEqualTo(200);

    String id = mason.newSession();
    Poller poller = new Poller(mason.owner(), id, "tab-401", 0, null);
    mason.input(id, "for s in wrong-secret " + deadSecret + " \"$ANTHROPIC_AUTH_TOKEN\"; do curl -s -o /dev/null -w 'CODE=%{http_code} '"
        + " \"$ANTHROPIC_BASE_URL/v1/models\" -H \"x-api-key: $s\"; done; echo; echo DONE-$((4*4))\n");
    assertThat(poller.until("DONE-16", Duration.ofSeconds(15)).text()).contains("CODE=401 CODE=401 CODE=200");

    String secret = secretOf(id);
    Api cli = new Api(mason.baseUrl(), Map.of("Authorization", "Bearer " + secret, "User-Agent", "codex_cli_rs/0.50.0"));
    var chat = cli.post("/gateway/openai/v1/chat/completions", "{\"model\":\"databricks-gpt-5\",\"stream\":true,"
        + "\"stream_options\":{\"include_usage\":true},\"messages\":[{\"role\":\"tool\",\"tool_call_id\":\"orphan\",\"content\":\"x\"},"
        + "{\"role\":\"user\",\"content\":\"use a tool\"}],\"tools\":[{\"type\":\"function\",\"function\":{\"name\":\"get_weather\","
        + "\"parameters\":{\"$schema\":\"http://json-schema.org/draft-07/schema#\",\"type\":\"object\",\"properties\":{\"city\":{\"type\":\"string\"}},"
        + "\"additionalProperties\":false}}}]}");
    assertThat(chat.status()).isEqualTo(200);
    assertThat(chat.body()).contains("\"finish_reason\":\"tool_calls\"").doesNotContain("\"finish_reason\":\"stop\"").contains("data: [DONE]");
    JsonNode sent = last("/serving-endpoints/chat/completions").json();
    assertThat(sent.path("messages")).hasSize(1);
    assertThat(sent.path("tools").get(0).path("function").path("parameters").has("$schema")).isFalse();
    assertThat(sent.path("tools").get(0).path("function").path("parameters").has("additionalProperties")).isFalse();

    var responses = cli.post("/gateway/openai/v1/responses", "{\"model\":\"databricks-gpt-5-codex\",\"stream\":true,\"input\":\"hi\"}");
    assertThat(responses.body()).contains("event: response.output_text.delta").contains("response.completed");

    Api gemini = new Api(mason.baseUrl(), Map.of("x-goog-api-key", secret, "User-Agent", "GeminiCLI/0.9.0"));
    var streamed = gemini.post("/gateway/gemini/v1beta/models/databricks-gemini-2-5-pro:streamGenerateContent?alt=sse",
        "{\"contents\":[{\"role\":\"user\",\"parts\":[{\"text\":\"hi\"},{\"text\":\"\"}]}]}");
    assertThat(streamed.status()).isEqualTo(200);
    assertThat(streamed.body()).contains("\"text\":\"Hello\"").contains("usageMetadata");
    assertThat(last("/serving-endpoints/google/v1beta/models/").json().path("contents").get(0).path("parts")).hasSize(1);
    assertThat(gemini.get("/gateway/gemini/v1beta/models").json().path("models")).isNotEmpty();
    assertThat(cli.get("/gateway/openai/v1/files").status()).as("not a gateway route").isEqualTo(404);

    JsonNode usage = mason.owner().get("/api/gateway/usage").json();
    assertThat(usage.toString()).doesNotContain(secret);
    JsonNode codex = line(usage, "codex", "databricks-gpt-5");
    assertThat(codex.get("user").asText()).isEqualTo(TerminalMason.OWNER);
    assertThat(codex.get("input_tokens").asLong()).isEqualTo(20);
    assertThat(codex.get("output_tokens").asLong()).isEqualTo(5);
    assertThat(line(usage, "gemini", "databricks-gemini-2-5-pro").get("input_tokens").asLong()).isEqualTo(8);
    assertThat(mason.as("mallory@example.com").get("/api/gateway/usage").status()).isEqualTo(403);
  }

  @Test
  void aCliThatLeavesMidStreamCancelsTheUpstreamRequestAndBigConversationsPass() throws Exception {
    String secret = secretOf(mason.newSession());
    int brokenBefore = workspace.models().brokenStreams();
    CountDownLatch held = workspace.models().holdAfterFirstEvent();
    try {
      HttpRequest request = HttpRequest.newBuilder(URI.create(mason.baseUrl() + "/gateway/anthropic/v1/messages"))
          .header("x-api-key", secret).header("content-type", "application/json")
          .POST(HttpRequest.BodyPublishers.ofString("{\"model\":\"databricks-claude-sonnet-4-5\",\"max_tokens\":64,\"stream\":true,"
              + "\"metadata\":{\"user_id\":\"long-stream\"},\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}"))
          .build();
      HttpResponse<InputStream> response = HTTP.send(request, HttpResponse.BodyHandlers.ofInputStream());
      try (var reader = new java.io.BufferedReader(new java.io.InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
        String line;
        while ((line = reader.readLine()) != null && !line.contains("\"text\":\"Hello\"")) {
          // read up to the first delta, then hang up
        }
        assertThat(line).isNotNull();
      }
    } finally {
      held.countDown();
      workspace.models().release();
    }
    Eventually.await(Duration.ofSeconds(15), "the endpoint to see its stream cancelled", () -> workspace.models().brokenStreams() > brokenBefore);

    String big = "x".repeat(3 * 1024 * 1024);
    var answer = new Api(mason.baseUrl(), Map.of("x-api-key", secret)).post("/gateway/anthropic/v1/messages",
        "{\"model\":\"databricks-claude-sonnet-4-5\",\"max_tokens\":10,\"messages\":[{\"role\":\"user\",\"content\":\"" + big + "\"}]}");
    assertThat(answer.status()).as("over the API's 1 MB limit, within the gateway's").isEqualTo(200);
  }

  @Test
  void theMetadataServiceGivesTheSdkTheCurrentTokenAndTheSdkActsAsTheOwner() throws Exception {
    String id = mason.newSession();
    Poller poller = new Poller(mason.owner(), id, "tab-md", 0, null);
    mason.input(id, "echo \"URL=$DATABRICKS_METADATA_SERVICE_URL\"; curl -s -H 'X-Databricks-Metadata-Version: 1'"
        + " -H \"X-Databricks-Host: $DATABRICKS_HOST\" \"$DATABRICKS_METADATA_SERVICE_URL\"; echo; echo MD-$((3*3))\n");
    String out = poller.until("MD-9", Duration.ofSeconds(15)).text();
    Matcher url = Pattern.compile("URL=(http://127\\.0\\.0\\.1:\\d+/api/credentials/metadata-service/mason-session-[A-Za-z0-9_-]{43})").matcher(out);
    assertThat(url.find()).as(out).isTrue();
    String current = currentMinted().value();
    assertThat(out).contains("\"access_token\":\"" + current + "\"").contains("\"token_type\":\"Bearer\"").contains("\"expires_on\":");

    // The SDKs' metadata-service protocol, as the Go and JavaScript SDKs speak it, plugged into the Java SDK.
    workspace.clearRequests();
    var config = new DatabricksConfig().setHost(workspace.url()).setAuthType("metadata-service")
        .setCredentialsProvider(new MetadataServiceProtocol(url.group(1)));
    assertThat(new WorkspaceClient(config).currentUser().me(new MeRequest()).getUserName()).isEqualTo(TerminalMason.OWNER);
    assertThat(workspace.requests("/api/2.0/preview/scim/v2/Me")).singleElement()
        .satisfies(r -> assertThat(r.token()).isEqualTo(current));

    assertThat(metadata(url.group(1), "2", workspace.url()).statusCode()).isEqualTo(400);
    assertThat(metadata(url.group(1), "1", "https://other.cloud.databricks.com").statusCode()).isEqualTo(404);
    mason.owner().post("/api/session/close", TerminalMason.Json.object("session_id", id));
    assertThat(metadata(url.group(1), "1", workspace.url()).statusCode()).as("the session ended").isEqualTo(401);
  }

  @Test
  void theJavaScriptSdkInAShellGetsTheCurrentTokenFromTheMetadataServiceAndActsAsTheOwner() {
    Path sdk = NpmCache.install("databricks-sdk-js", "@databricks/sdk-experimental", JS_SDK_VERSION);
    String id = mason.newSession();
    Poller poller = new Poller(mason.owner(), id, "tab-js-sdk", 0, null);
    workspace.clearRequests();
    // The SDK reads DATABRICKS_HOST, DATABRICKS_AUTH_TYPE and DATABRICKS_METADATA_SERVICE_URL from the shell, as a user's script would.
    mason.input(id, "NODE_PATH='" + sdk.resolve("node_modules") + "' node -e 'const { WorkspaceClient } = require(\"@databricks/sdk-experimental\");"
        + " new WorkspaceClient({}).currentUser.me().then(me => console.log(\"ME=\" + me.userName),"
        + " e => console.log(\"SDK_\" + \"ERROR \" + e))'; echo JS-$((7*6))\n");
    String out = poller.until("JS-42", Duration.ofSeconds(60)).text();
    assertThat(out).contains("ME=" + TerminalMason.OWNER).doesNotContain("SDK_ERROR");
    String current = currentMinted().value();
    assertThat(workspace.requests("/api/2.0/preview/scim/v2/Me")).singleElement()
        .satisfies(r -> assertThat(r.token()).as("the current rotated token, never the owner's own").isEqualTo(current));
  }

  @Test
  void withAnAiGatewayHostRequestsGoThereInsteadOfTheServingEndpoints() throws Exception {
    // A workspace of its own: this Mason mints tokens, which must not pass for the shared Mason's.
    try (var workspace = FakeWorkspace.start().addUser(OWNER_TOKEN, TerminalMason.OWNER);
        var gateway = FakeAiGateway.start(workspace);
        var viaGateway = TerminalMason.start(Map.of("DATABRICKS_HOST", workspace.url(), "DATABRICKS_TOKEN", OWNER_TOKEN,
            "DATABRICKS_GATEWAY_HOST", gateway.url(), "PAT_ROTATION_INTERVAL", "60", "PAT_TOKEN_LIFETIME", "120"))) {
      String secret = viaGateway.sessionSecret(viaGateway.newSession());
      workspace.clearRequests();
      var answer = new Api(viaGateway.baseUrl(), Map.of("x-api-key", secret)).post("/gateway/anthropic/v1/messages",
          "{\"model\":\"databricks-claude-opus-4-6\",\"max_tokens\":10,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");
      assertThat(answer.status()).isEqualTo(200);
      assertThat(answer.json().path("content").get(0).path("text").asText()).isEqualTo("Hello from the fake endpoint");
      assertThat(workspace.requests("/anthropic/v1/messages")).hasSize(1);
      assertThat(workspace.requests("/serving-endpoints/")).isEmpty();
    }
  }

  @Test
  void withoutAGatewayHostTheWorkspaceIdFindsTheAiGatewayProbedOnceAtStartAndNoAnswerMeansTheServingEndpoints() throws Exception {
    String workspaceId = "1234567890123456";
    String discovered = "/ws-" + workspaceId;
    // A workspace of its own: the Masons started here mint tokens, which must not pass for the shared Mason's.
    try (var workspace = FakeWorkspace.start().addUser(OWNER_TOKEN, TerminalMason.OWNER)) {
      try (var gateway = FakeAiGateway.start(workspace, discovered);
          var viaDiscovery = TerminalMason.start(Map.of("DATABRICKS_HOST", workspace.url(), "DATABRICKS_TOKEN", OWNER_TOKEN,
              "DATABRICKS_WORKSPACE_ID", workspaceId, "MASON_AI_GATEWAY_TEMPLATE", gateway.url() + "/ws-{workspace_id}",
              "PAT_ROTATION_INTERVAL", "60", "PAT_TOKEN_LIFETIME", "120"))) {
        assertThat(workspace.requests().stream().filter(r -> r.path().equals(discovered)).toList())
            .as("one probe of the discovered address, at start").singleElement()
            .satisfies(probe -> assertThat(probe.method()).isEqualTo("GET"));
        String secret = viaDiscovery.sessionSecret(viaDiscovery.newSession());
        var answer = new Api(viaDiscovery.baseUrl(), Map.of("x-api-key", secret)).post("/gateway/anthropic/v1/messages",
            "{\"model\":\"databricks-claude-sonnet-4-5\",\"max_tokens\":10,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");
        assertThat(answer.status()).isEqualTo(200);
        assertThat(workspace.requests(discovered + "/anthropic/v1/messages")).singleElement()
            .satisfies(r -> assertThat(r.token()).isEqualTo(workspace.tokens().minted().getLast().value()));
        assertThat(workspace.requests("/serving-endpoints/")).isEmpty();
        assertThat(workspace.requests().stream().filter(r -> r.path().equals(discovered)).toList()).as("never probed again").hasSize(1);
        assertThat(viaDiscovery.owner().get("/api/gateway/usage").json().path("upstream").asText())
            .isEqualTo("ai-gateway " + gateway.url() + discovered);
      }

      int closed;
      try (var socket = new java.net.ServerSocket(0)) {
        closed = socket.getLocalPort();
      }
      try (var noGateway = TerminalMason.start(Map.of("DATABRICKS_HOST", workspace.url(), "DATABRICKS_TOKEN", OWNER_TOKEN,
          "DATABRICKS_WORKSPACE_ID", workspaceId, "MASON_AI_GATEWAY_TEMPLATE", "http://127.0.0.1:" + closed + "/ws-{workspace_id}",
          "PAT_ROTATION_INTERVAL", "60", "PAT_TOKEN_LIFETIME", "120"))) {
        assertThat(noGateway.owner().get("/api/gateway/usage").json().path("upstream").asText())
            .as("nothing answered the probe").isEqualTo("serving-endpoints " + workspace.url());
      }
    }
  }

  private static HttpResponse<String> metadata(String url, String version, String host) throws Exception {
    return HTTP.send(HttpRequest.newBuilder(URI.create(url)).header("X-Databricks-Metadata-Version", version)
        .header("X-Databricks-Host", host).GET().build(), HttpResponse.BodyHandlers.ofString());
  }

  /** GET the URL with the version and host headers, read {access_token, token_type, expires_on}: the SDKs' contract. */
  private record MetadataServiceProtocol(String url) implements CredentialsProvider {
    @Override
    public String authType() {
      return "metadata-service";
    }

    @Override
    public HeaderFactory configure(DatabricksConfig config) {
      return () -> {
        try {
          var response = metadata(url, "1", config.getHost());
          JsonNode token = Json.MAPPER.readTree(response.body());
          assertThat(response.statusCode()).isEqualTo(200);
          assertThat(token.get("expires_on").asLong()).isGreaterThan(System.currentTimeMillis() / 1000);
          return Map.of("Authorization", token.get("token_type").asText() + " " + token.get("access_token").asText());
        } catch (Exception e) {
          throw new IllegalStateException(e);
        }
      };
    }
  }

  private static String secretOf(String sessionId) {
    return mason.sessionSecret(sessionId);
  }

  private static FakeTokens.Minted currentMinted() {
    List<FakeTokens.Minted> minted = workspace.tokens().minted();
    return minted.get(minted.size() - 1);
  }

  private static List<String> workspaceTokens() {
    List<String> tokens = new java.util.ArrayList<>(List.of(OWNER_TOKEN));
    workspace.tokens().minted().forEach(t -> tokens.add(t.value()));
    return tokens;
  }

  private static FakeWorkspace.Received last(String prefix) {
    List<FakeWorkspace.Received> requests = workspace.requests(prefix);
    assertThat(requests).isNotEmpty();
    return requests.get(requests.size() - 1);
  }

  private static JsonNode line(JsonNode usage, String cli, String model) {
    for (JsonNode line : usage.path("by_cli")) {
      if (line.path("cli").asText().equals(cli) && line.path("model").asText().equals(model)) {
        return line;
      }
    }
    throw new AssertionError("no usage line for " + cli + " / " + model + " in " + usage);
  }
}
