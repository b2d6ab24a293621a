package dev.mason.mcp;

import static dev.mason.mcp.McpFixture.ALICE;
import static dev.mason.mcp.McpFixture.ALICE_TOKEN;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mason.testing.TestMason;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** {@code mason bridge} as a stdio MCP client runs it: a separate JVM, JSON-RPC lines in and out. */
class McpBridgeTest {
  static McpFixture fixture;
  final List<Bridge> started = new ArrayList<>();

  @BeforeAll
  static void start() {
    fixture = McpFixture.start(Map.of());
  }

  @AfterAll
  static void stop() {
    fixture.close();
  }

  @AfterEach
  void killLeftovers() {
    started.forEach(bridge -> bridge.process.destroyForcibly());
  }

  @Test
  void aStdioClientInitializesListsToolsAndCallsOneThroughTheBridge() throws Exception {
    Bridge bridge = start(fixture.mcpUrl(), Map.of("DATABRICKS_TOKEN", ALICE_TOKEN), null);

    bridge.send("{\"jsonrpc\": \"2.0\", \"id\": 1, \"method\": \"initialize\", \"params\": {\"protocolVersion\": \"2025-06-18\", "
        + "\"capabilities\": {}, \"clientInfo\": {\"name\": \"stdio-client\", \"version\": \"1\"}}}");
    JsonNode init = bridge.next();
    assertThat(init.get("id").asInt()).isEqualTo(1);
    assertThat(init.at("/result/protocolVersion").asText()).isEqualTo("2025-06-18");
    assertThat(init.at("/result/serverInfo/name").asText()).isEqualTo("mason");

    // A notification gets no answer: the next line out is the answer to the request after it.
    bridge.send("{\"jsonrpc\": \"2.0\", \"method\": \"notifications/initialized\"}");
    bridge.send("{\"jsonrpc\": \"2.0\", \"id\": 2, \"method\": \"tools/list\"}");
    JsonNode tools = bridge.next();
    assertThat(tools.get("id").asInt()).isEqualTo(2);
    assertThat(tools.at("/result/tools").findValuesAsText("name")).contains("execute_sql", "mason_run");

    bridge.send("{\"jsonrpc\": \"2.0\", \"id\": \"call-3\", \"method\": \"tools/call\", \"params\": "
        + "{\"name\": \"get_current_user\", \"arguments\": {}}}");
    JsonNode call = bridge.next();
    assertThat(call.get("id").asText()).isEqualTo("call-3");
    assertThat(call.at("/result/isError").asBoolean()).isFalse();
    assertThat(call.at("/result/content/0/text").asText()).contains(ALICE);

    assertThat(bridge.closeAndWait()).isZero();
    assertThat(bridge.stdoutLeft()).isEmpty();
    assertThat(bridge.stderr()).doesNotContain(ALICE_TOKEN);
  }

  @Test
  void anUnreachableMasonGetsEachRequestAJsonRpcErrorWithItsIdAndNotificationsNoAnswer() throws Exception {
    int closedPort;
    try (ServerSocket socket = new ServerSocket(0)) {
      closedPort = socket.getLocalPort();
    }
    Bridge bridge = start("http://127.0.0.1:" + closedPort + "/mcp", Map.of("DATABRICKS_TOKEN", ALICE_TOKEN), null);
    bridge.send("{\"jsonrpc\": \"2.0\", \"id\": 7, \"method\": \"initialize\", \"params\": {}}");
    JsonNode error = bridge.next();
    assertThat(error.get("jsonrpc").asText()).isEqualTo("2.0");
    assertThat(error.get("id").asInt()).isEqualTo(7);
    assertThat(error.at("/error/code").asInt()).isEqualTo(-32000);
    assertThat(error.at("/error/message").asText()).contains("cannot reach Mason at http://127.0.0.1:" + closedPort);

    bridge.send("{\"jsonrpc\": \"2.0\", \"method\": \"notifications/initialized\"}");
    bridge.send("not json");
    assertThat(bridge.next().at("/error/code").asInt()).isEqualTo(-32700);
    bridge.send("{\"jsonrpc\": \"2.0\", \"id\": \"x\", \"method\": \"tools/list\"}");
    assertThat(bridge.next().get("id").asText()).isEqualTo("x");
    assertThat(bridge.closeAndWait()).isZero();
    assertThat(bridge.stdoutLeft()).isEmpty();
  }

  @Test
  void withoutDatabricksTokenTheCliTokenOfTheProfileIsUsedAndRefreshedOnceWhenRefused() throws Exception {
    Path bin = Files.createTempDirectory(TestMason.freshHome(), "bin");
    Path calls = bin.resolve("calls");
    // A stand-in for the Databricks CLI: the first token it hands out is stale, the next one is Alice's.
    Path cli = bin.resolve("databricks");
    Files.writeString(cli, """
        #!/bin/sh
        [ "$1 $2 $3 $4" = "auth token --profile dev" ] || { echo "unexpected arguments: $*" >&2; exit 1; }
        echo call >> "%s"
        if [ "$(wc -l < "%s")" -eq 1 ]; then token=stale-token; else token=%s; fi
        printf '{"access_token": "%%s", "token_type": "Bearer"}\\n' "$token"
        """.formatted(calls, calls, ALICE_TOKEN));
    Files.setPosixFilePermissions(cli, PosixFilePermissions.fromString("rwxr-xr-x"));

    Bridge bridge = start(fixture.mcpUrl(), Map.of("PATH", bin + ":" + System.getenv("PATH")), "dev");
    bridge.send("{\"jsonrpc\": \"2.0\", \"id\": 1, \"method\": \"initialize\", \"params\": {\"protocolVersion\": \"2025-11-25\", "
        + "\"capabilities\": {}, \"clientInfo\": {\"name\": \"stdio-client\", \"version\": \"1\"}}}");
    JsonNode init = bridge.next();
    assertThat(init.at("/result/protocolVersion").asText()).as(init.toString()).isEqualTo("2025-11-25");
    bridge.send("{\"jsonrpc\": \"2.0\", \"id\": 2, \"method\": \"tools/call\", \"params\": {\"name\": \"get_current_user\", \"arguments\": {}}}");
    assertThat(bridge.next().at("/result/content/0/text").asText()).contains(ALICE);
    assertThat(Files.readAllLines(calls)).hasSize(2);
    assertThat(bridge.closeAndWait()).isZero();
    assertThat(bridge.stderr()).contains("401").doesNotContain("stale-token").doesNotContain(ALICE_TOKEN);
  }

  private Bridge start(String url, Map<String, String> env, String profile) throws IOException {
    List<String> command = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElse("java"),
        "-cp", System.getProperty("java.class.path"), "dev.mason.Mason", "bridge", "--url", url));
    if (profile != null) {
      command.addAll(List.of("--profile", profile));
    }
    ProcessBuilder builder = new ProcessBuilder(command);
    builder.environment().keySet().removeIf(name -> name.startsWith("DATABRICKS_"));
    builder.environment().putAll(env);
    Bridge bridge = new Bridge(builder.start());
    started.add(bridge);
    return bridge;
  }

  /** A running bridge: lines to its stdin, lines from its stdout, its stderr kept for assertions. */
  static final class Bridge {
    final Process process;
    private final OutputStream stdin;
    private final BlockingQueue<String> stdout = new LinkedBlockingQueue<>();
    private final StringBuffer stderr = new StringBuffer();

    Bridge(Process process) {
      this.process = process;
      this.stdin = process.getOutputStream();
      pump(process.getInputStream(), stdout::add, "bridge-stdout");
      pump(process.getErrorStream(), line -> stderr.append(line).append('\n'), "bridge-stderr");
    }

    private static void pump(java.io.InputStream stream, java.util.function.Consumer<String> sink, String name) {
      Thread.ofVirtual().name(name).start(() -> {
        try (var reader = new BufferedReader(new InputStreamReader(stream, StandardCharsets.UTF_8))) {
          String line;
          while ((line = reader.readLine()) != null) {
            sink.accept(line);
          }
        } catch (IOException ended) {
          // the process is gone
        }
      });
    }

    void send(String line) throws IOException {
      stdin.write((line + "\n").getBytes(StandardCharsets.UTF_8));
      stdin.flush();
    }

    /** The next line the bridge wrote, which must be one JSON-RPC message. */
    JsonNode next() throws InterruptedException {
      String line = stdout.poll(McpFixture.LIMIT.toSeconds(), TimeUnit.SECONDS);
      assertThat(line).as("a line from the bridge within " + McpFixture.LIMIT.toSeconds() + " s; stderr:\n" + stderr).isNotNull();
      return McpFixture.json(line);
    }

    int closeAndWait() throws Exception {
      stdin.close();
      assertThat(process.waitFor(20, TimeUnit.SECONDS)).as("the bridge exits when stdin ends; stderr:\n" + stderr).isTrue();
      return process.exitValue();
    }

    List<String> stdoutLeft() {
      return List.copyOf(stdout);
    }

    String stderr() {
      return stderr.toString();
    }
  }
}
