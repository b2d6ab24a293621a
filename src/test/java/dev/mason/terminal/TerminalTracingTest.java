package dev.mason.terminal;

import static dev.mason.tracing.FakeMlflow.attributes;
import static dev.mason.tracing.FakeMlflow.hex;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mason.databricks.FakeTokens;
import dev.mason.databricks.FakeWorkspace;
import dev.mason.testing.Api;
import dev.mason.testing.Eventually;
import dev.mason.tracing.FakeMlflow;
import dev.mason.web.Json;
import io.opentelemetry.proto.trace.v1.Span;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Terminal CLI sessions traced from the gateway's traffic: requests in each protocol's real shape
 * (Claude Code's Anthropic Messages, Codex's responses, OpenCode's chat completions, Gemini CLI's
 * streamGenerateContent) sent with a live session's secret to the gateway's routes, the fake
 * endpoints answering with a tool call and then with text, and the fake MLflow decoding what
 * arrives with the official OTLP protobuf classes: one trace per CLI turn, its model calls as LLM
 * spans, the tools the CLI ran between them as TOOL spans, and no secret anywhere.
 */
class TerminalTracingTest {
  static final String OWNER_TOKEN = "dapi-owner-traced-terminal";
  static final Duration LIMIT = Duration.ofSeconds(30);
  static final String WEATHER_TOOL_ANTHROPIC = "[{\"name\":\"get_weather\",\"description\":\"Weather of a city\","
      + "\"input_schema\":{\"type\":\"object\",\"properties\":{\"city\":{\"type\":\"string\"}}}}]";
  static final HttpClient HTTP = HttpClient.newHttpClient();

  static FakeWorkspace workspace;
  static FakeMlflow mlflow;
  static TerminalMason mason;
  static String secret;

  @BeforeAll
  static void start() {
    workspace = FakeWorkspace.start().addUser(OWNER_TOKEN, TerminalMason.OWNER);
    mlflow = FakeMlflow.start();
    mason = TerminalMason.start(Map.of("DATABRICKS_HOST", workspace.url(), "DATABRICKS_TOKEN", OWNER_TOKEN,
        "PAT_ROTATION_INTERVAL", "60", "PAT_TOKEN_LIFETIME", "120", "MLFLOW_TRACKING_URI", mlflow.url(),
        "MASON_TRACE_TURN_GAP", "3", "MASON_CLIS_DIR", dev.mason.testing.CachedClis.folder().toString()));
    Eventually.await(Duration.ofSeconds(15), "a first minted token", () -> !workspace.tokens().minted().isEmpty());
    secret = mason.sessionSecret(mason.newSession());
  }

  @AfterAll
  static void stop() {
    mason.close();
    mlflow.close();
    workspace.close();
  }

  @Test
  void aClaudeCodeTurnIsOneTraceWithItsModelCallsAndTheToolItRanAndTheStreamIsNotHeld() throws Exception {
    String session = "{\\\"device_id\\\":\\\"d1\\\",\\\"account_uuid\\\":\\\"\\\",\\\"session_id\\\":\\\"cc-session-7\\\"}";
    String prompt = "{\"role\":\"user\",\"content\":[{\"type\":\"text\",\"text\":\"Please use a tool: the weather in Oslo. My key is "
        + OWNER_TOKEN + " and " + secret + "\"}]}";
    String first = "{\"model\":\"databricks-claude-sonnet-4-5\",\"max_tokens\":256,\"stream\":true,\"metadata\":{\"user_id\":\""
        + session + "\"},\"tools\":" + WEATHER_TOOL_ANTHROPIC + ",\"messages\":[" + prompt + "]}";
    String answer = anthropic(first);
    assertThat(answer).contains("\"tool_use\"").contains("input_json_delta");

    // A side request of the CLI (a title), with no tools: it joins the turn.
    String title = anthropic("{\"model\":\"databricks-claude-haiku-4-5\",\"max_tokens\":32,\"stream\":true,\"metadata\":{\"user_id\":\""
        + session + "\"},\"messages\":[{\"role\":\"user\",\"content\":\"Write a title for: the weather in Oslo\"}]}");
    assertThat(title).contains("message_stop");

    // The tool's result goes back; the endpoint holds its answer after the first delta, which the CLI still sees at once.
    String second = "{\"model\":\"databricks-claude-sonnet-4-5\",\"max_tokens\":256,\"stream\":true,\"metadata\":{\"user_id\":\""
        + session + "\"},\"tools\":" + WEATHER_TOOL_ANTHROPIC + ",\"messages\":[" + prompt + ",{\"role\":\"assistant\",\"content\":["
        + "{\"type\":\"text\",\"text\":\"Checking.\"},{\"type\":\"tool_use\",\"id\":\"toolu_1\",\"name\":\"get_weather\",\"input\":{\"city\":\"Oslo\"}}]},"
        + "{\"role\":\"user\",\"content\":[{\"type\":\"tool_result\",\"tool_use_id\":\"toolu_1\",\"content\":\"Sunny, 21 C\"}]}]}";
    CountDownLatch held = workspace.models().holdAfterFirstEvent();
    try {
      HttpResponse<InputStream> response = HTTP.send(HttpRequest.newBuilder(URI.create(mason.baseUrl() + "/gateway/anthropic/v1/messages"))
          .header("x-api-key", secret).header("content-type", "application/json").header("anthropic-version", "2023-06-01")
          .header("User-Agent", "claude-cli/2.1.0 (external, cli)")
          .POST(HttpRequest.BodyPublishers.ofString(second)).build(), HttpResponse.BodyHandlers.ofInputStream());
      try (var reader = new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
        String line;
        while ((line = reader.readLine()) != null && !line.contains("\"text\":\"Hello\"")) {
          // up to the first delta, while the endpoint holds the rest
        }
        assertThat(line).as("the first delta arrives while the endpoint holds the rest").isNotNull();
        held.countDown();
        workspace.models().release();
        StringBuilder rest = new StringBuilder();
        while ((line = reader.readLine()) != null) {
          rest.append(line).append('\n');
        }
        assertThat(rest).contains("message_stop");
      }
    } finally {
      held.countDown();
      workspace.models().release();
    }

    List<Span> trace = awaitTurn("cc-session-7", 5);
    Span root = only(trace, "invoke_agent claude");
    assertThat(root.getParentSpanId().isEmpty()).isTrue();
    assertThat(attributes(root))
        .containsEntry("gen_ai.operation.name", "invoke_agent")
        .containsEntry("mlflow.spanType", "AGENT")
        .containsEntry("gen_ai.agent.name", "claude")
        .containsEntry("mlflow.trace.session", "cc-session-7")
        .containsEntry("mlflow.trace.user", TerminalMason.OWNER)
        .containsEntry("mason.runtime", "terminal")
        .containsEntry("mason.cli.conversation_id", "cc-session-7")
        .containsEntry("mlflow.spanOutputs", "\"Hello from the fake endpoint\"");
    assertThat(attributes(root).get("mlflow.spanInputs")).contains("the weather in Oslo");

    List<Span> calls = named(trace, "chat ");
    assertThat(calls).hasSize(3).allSatisfy(call -> {
      assertThat(call.getParentSpanId()).isEqualTo(root.getSpanId());
      assertThat(attributes(call)).containsEntry("gen_ai.operation.name", "chat").containsEntry("mlflow.spanType", "LLM");
    });
    Map<String, String> asked = attributes(calls.stream().filter(c -> "tool_use".equals(attributes(c).get("gen_ai.response.finish_reasons")))
        .findFirst().orElseThrow());
    assertThat(asked).containsEntry("gen_ai.request.model", "databricks-claude-sonnet-4-5")
        .containsEntry("gen_ai.usage.cache_read.input_tokens", "30").containsEntry("gen_ai.usage.cache_creation.input_tokens", "4")
        .containsEntry("gen_ai.usage.output_tokens", "9").containsEntry("mason.gateway.role", "prompt");
    JsonNode output = json(asked.get("gen_ai.output.messages")).get(0);
    assertThat(output.path("parts").findValuesAsText("type")).containsExactly("text", "tool_call");
    assertThat(output.path("parts").get(1).path("arguments").path("city").asText()).isEqualTo("Oslo");
    assertThat(calls).anySatisfy(c -> assertThat(attributes(c)).containsEntry("mason.gateway.role", "side")
        .containsEntry("gen_ai.request.model", "databricks-claude-haiku-4-5"));

    Span tool = only(trace, "execute_tool get_weather");
    assertThat(tool.getParentSpanId()).isEqualTo(root.getSpanId());
    assertThat(attributes(tool)).containsEntry("mlflow.spanType", "TOOL").containsEntry("gen_ai.tool.call.id", "toolu_1")
        .containsEntry("gen_ai.tool.call.result", "Sunny, 21 C").containsEntry("mason.tool.is_error", "false");
    assertThat(json(attributes(tool).get("gen_ai.tool.call.arguments")).path("city").asText()).isEqualTo("Oslo");
    Span last = calls.stream().filter(c -> "tool_results".equals(attributes(c).get("mason.gateway.role"))).findFirst().orElseThrow();
    assertThat(tool.getEndTimeUnixNano()).as("the tool ran until the next call").isLessThanOrEqualTo(last.getStartTimeUnixNano());
    assertThat(tool.getStartTimeUnixNano()).isGreaterThanOrEqualTo(root.getStartTimeUnixNano());

    FakeMlflow.Experiment experiment = mlflow.experiment("/Users/" + TerminalMason.OWNER + "/mason");
    assertThat(experiment).as("the owner's experiment, created with the owner's current token").isNotNull();
    assertThat(minted()).contains(experiment.createdWithToken());
    assertNoSecretIn(trace);
  }

  @Test
  void theRealClaudeCodeInAShellIsTracedWithItsModelCallsAndTheToolItRan() throws Exception {
    java.nio.file.Path folder = mason.home().resolve("projects").resolve("traced");
    java.nio.file.Files.createDirectories(folder);
    java.nio.file.Path written = folder.resolve("notes.md");
    workspace.models().scriptToolUse("Write", "{\"file_path\": " + Json.write(written.toString())
        + ", \"content\": \"traced through the gateway\\n\"}");
    String id = mason.newSession();
    Poller poller = new Poller(mason.owner(), id, "tab-traced", 0, null);
    java.nio.file.Path out = mason.home().resolve("traced-claude.jsonl");
    mason.input(id, "cd " + folder + " && claude -p 'Write the notes.' --output-format stream-json --verbose --allowedTools Write > "
        + out + " 2>&1; echo \"CLAUDE-EXIT=$? END-$((40+2))\"\n");
    String text = poller.until("END-42", Duration.ofSeconds(120)).text();
    assertThat(text).as(java.nio.file.Files.exists(out) ? java.nio.file.Files.readString(out) : "no output").contains("CLAUDE-EXIT=0");
    assertThat(java.nio.file.Files.readString(written)).isEqualTo("traced through the gateway\n");
    List<String> lines = java.nio.file.Files.readAllLines(out).stream().filter(l -> l.startsWith("{")).toList();
    String session = json(lines.getLast()).path("session_id").asText();
    assertThat(session).isNotBlank();

    List<Span> trace = awaitTurn(session, 4);
    Span root = only(trace, "invoke_agent claude");
    assertThat(attributes(root)).containsEntry("mlflow.spanType", "AGENT").containsEntry("mlflow.trace.user", TerminalMason.OWNER);
    assertThat(named(trace, "chat ")).hasSizeGreaterThanOrEqualTo(2)
        .allSatisfy(call -> assertThat(attributes(call)).containsEntry("mlflow.spanType", "LLM"));
    Map<String, String> tool = attributes(only(trace, "execute_tool Write"));
    assertThat(tool).containsEntry("mlflow.spanType", "TOOL");
    assertThat(json(tool.get("gen_ai.tool.call.arguments")).path("file_path").asText()).isEqualTo(written.toString());
    assertNoSecretIn(trace);
  }

  @Test
  void aCodexTurnThroughTheResponsesApiIsGroupedByItsConversationHeader() throws Exception {
    Api codex = cli("codex_cli_rs/0.50.0 (Linux; x86_64)", Map.of("session_id", "codex-conv-3", "conversation_id", "codex-conv-3"));
    String tools = "[{\"type\":\"function\",\"name\":\"get_weather\",\"parameters\":{\"type\":\"object\",\"properties\":{\"city\":{\"type\":\"string\"}}}}]";
    String user = "{\"type\":\"message\",\"role\":\"user\",\"content\":[{\"type\":\"input_text\",\"text\":\"use a tool for the weather\"}]}";
    var first = codex.post("/gateway/openai/v1/responses", "{\"model\":\"databricks-gpt-5-codex\",\"stream\":true,\"tools\":" + tools
        + ",\"input\":[" + user + "]}");
    assertThat(first.body()).contains("response.function_call_arguments.delta");
    var second = codex.post("/gateway/openai/v1/responses", "{\"model\":\"databricks-gpt-5-codex\",\"stream\":true,\"tools\":" + tools
        + ",\"input\":[" + user + ",{\"type\":\"function_call\",\"call_id\":\"call_1\",\"name\":\"get_weather\",\"arguments\":\"{\\\"city\\\":\\\"Oslo\\\"}\"},"
        + "{\"type\":\"function_call_output\",\"call_id\":\"call_1\",\"output\":\"Rain, 9 C\"}]}");
    assertThat(second.body()).contains("response.completed");

    List<Span> trace = awaitTurn("codex-conv-3", 4);
    assertThat(attributes(only(trace, "invoke_agent codex"))).containsEntry("mlflow.trace.session", "codex-conv-3")
        .containsEntry("mlflow.spanOutputs", "\"Hello from the fake endpoint\"");
    assertThat(named(trace, "chat databricks-gpt-5-codex")).hasSize(2);
    assertThat(named(trace, "chat ")).anySatisfy(c -> assertThat(attributes(c)).containsEntry("gen_ai.usage.cache_read.input_tokens", "16"));
    Map<String, String> tool = attributes(only(trace, "execute_tool get_weather"));
    assertThat(tool).containsEntry("gen_ai.tool.call.id", "call_1").containsEntry("gen_ai.tool.call.result", "Rain, 9 C");
    assertThat(json(tool.get("gen_ai.tool.call.arguments")).path("city").asText()).isEqualTo("Oslo");
    assertNoSecretIn(trace);
  }

  @Test
  void geminiCliAndChatCompletionsTurnsCarryingNoIdAreTracedAndCutByTimeGap() throws Exception {
    Api gemini = cli("GeminiCLI/0.9.0 (linux; x64)", Map.of());
    String tools = "[{\"functionDeclarations\":[{\"name\":\"get_weather\",\"parameters\":{\"type\":\"OBJECT\",\"properties\":{\"city\":{\"type\":\"STRING\"}}}}]}]";
    String user = "{\"role\":\"user\",\"parts\":[{\"text\":\"use a tool: weather in Bergen\"}]}";
    String path = "/gateway/gemini/v1beta/models/databricks-gemini-2-5-pro:streamGenerateContent?alt=sse";
    assertThat(gemini.post(path, "{\"contents\":[" + user + "],\"tools\":" + tools + "}").body()).contains("functionCall");
    assertThat(gemini.post(path, "{\"contents\":[" + user + ",{\"role\":\"model\",\"parts\":[{\"functionCall\":{\"name\":\"get_weather\","
        + "\"args\":{\"city\":\"Bergen\"}}}]},{\"role\":\"user\",\"parts\":[{\"functionResponse\":{\"name\":\"get_weather\","
        + "\"response\":{\"result\":\"Fog\"}}}]}],\"tools\":" + tools + "}").body()).contains("\"text\":\"Hello\"");
    List<Span> geminiTrace = awaitTrace(s -> s.getName().equals("invoke_agent gemini"), 4);
    Map<String, String> tool = attributes(only(geminiTrace, "execute_tool get_weather"));
    assertThat(tool.get("gen_ai.tool.call.result")).contains("Fog");
    assertThat(attributes(only(geminiTrace, "invoke_agent gemini")).get("mlflow.trace.session")).as("the terminal session").isNotBlank();

    // OpenCode-style chat completions with no id: the first call asks for a tool, then nothing comes for longer than
    // the gap (3 s here), so the turn is ended; the tool results that come later open a trace of their own.
    Api opencode = cli("opencode/0.15.0", Map.of());
    String chatTools = "[{\"type\":\"function\",\"function\":{\"name\":\"get_weather\",\"parameters\":{\"type\":\"object\","
        + "\"properties\":{\"city\":{\"type\":\"string\"}}}}}]";
    String ask = "{\"role\":\"user\",\"content\":\"use a tool: weather in Tromso\"}";
    var first = opencode.post("/gateway/openai/v1/chat/completions", "{\"model\":\"databricks-gpt-5\",\"stream\":true,"
        + "\"stream_options\":{\"include_usage\":true},\"tools\":" + chatTools + ",\"messages\":[" + ask + "]}");
    assertThat(first.body()).contains("\"finish_reason\":\"tool_calls\"");
    List<Span> cut = awaitTrace(s -> s.getName().equals("invoke_agent opencode"), 2);
    assertThat(named(cut, "chat ")).hasSize(1);
    var second = opencode.post("/gateway/openai/v1/chat/completions", "{\"model\":\"databricks-gpt-5\",\"stream\":true,"
        + "\"tools\":" + chatTools + ",\"messages\":[" + ask + ",{\"role\":\"assistant\",\"content\":null,\"tool_calls\":[{\"id\":\"call_1\","
        + "\"type\":\"function\",\"function\":{\"name\":\"get_weather\",\"arguments\":\"{\\\"city\\\":\\\"Tromso\\\"}\"}}]},"
        + "{\"role\":\"tool\",\"tool_call_id\":\"call_1\",\"content\":\"Snow\"}]}");
    assertThat(second.body()).contains("data: [DONE]");
    String firstTrace = hex(cut.getFirst().getTraceId().toByteArray());
    List<Span> later = awaitTrace(s -> s.getName().equals("invoke_agent opencode") && !hex(s.getTraceId().toByteArray()).equals(firstTrace), 3);
    assertThat(attributes(only(later, "execute_tool get_weather"))).containsEntry("gen_ai.tool.call.result", "Snow");
    assertNoSecretIn(mlflow.spans());
  }

  private static Api cli(String userAgent, Map<String, String> headers) {
    Map<String, String> all = new java.util.HashMap<>(headers);
    all.put("Authorization", "Bearer " + secret);
    all.put("User-Agent", userAgent);
    return new Api(mason.baseUrl(), all);
  }

  private static String anthropic(String body) {
    var response = cli("claude-cli/2.1.0 (external, cli)", Map.of("anthropic-version", "2023-06-01"))
        .post("/gateway/anthropic/v1/messages", body);
    assertThat(response.status()).as(response.body()).isEqualTo(200);
    return response.body();
  }

  /** The trace whose root is the turn of the CLI conversation {@code conversation}, once it holds {@code spans} spans. */
  private static List<Span> awaitTurn(String conversation, int spans) {
    return awaitTrace(s -> s.getName().startsWith("invoke_agent") && conversation.equals(attributes(s).get("mlflow.trace.session")), spans);
  }

  private static List<Span> awaitTrace(java.util.function.Predicate<Span> root, int spans) {
    Eventually.await(LIMIT, "a trace of " + spans + " spans", () -> traceOf(root).size() >= spans);
    return traceOf(root);
  }

  private static List<Span> traceOf(java.util.function.Predicate<Span> root) {
    return mlflow.spans().stream().filter(root).findFirst().map(r -> mlflow.trace(hex(r.getTraceId().toByteArray()))).orElse(List.of());
  }

  private static Span only(List<Span> trace, String name) {
    List<Span> found = trace.stream().filter(s -> s.getName().startsWith(name)).toList();
    assertThat(found).as("spans named " + name + " in " + trace.stream().map(Span::getName).toList()).hasSize(1);
    return found.getFirst();
  }

  private static List<Span> named(List<Span> trace, String prefix) {
    return trace.stream().filter(s -> s.getName().startsWith(prefix)).toList();
  }

  private static List<String> minted() {
    return workspace.tokens().minted().stream().map(FakeTokens.Minted::value).toList();
  }

  private static JsonNode json(String text) {
    try {
      return Json.MAPPER.readTree(text);
    } catch (java.io.IOException e) {
      throw new AssertionError("not JSON: " + text, e);
    }
  }

  private static void assertNoSecretIn(List<Span> spans) {
    assertThat(spans).isNotEmpty();
    List<String> secrets = new ArrayList<>(minted());
    secrets.add(OWNER_TOKEN);
    secrets.add(secret);
    for (Span span : spans) {
      String text = span.toString();
      for (String value : secrets) {
        assertThat(text).as("span " + span.getName()).doesNotContain(value);
      }
    }
  }
}
