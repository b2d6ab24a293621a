package dev.mason.agent.llm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mason.agent.message.ChatMessage;
import dev.mason.agent.message.ContentBlock;
import dev.mason.agent.tool.Cancellation;
import dev.mason.testing.Eventually;
import dev.mason.web.Json;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class AnthropicClientTest {
  private static final String KEY = "sk-ant-api03-secretsecretsecret";
  private static final RetryPolicy FAST = new RetryPolicy(3, Duration.ofMillis(5), Duration.ofSeconds(2));

  private FakeAnthropicServer fake;
  private ModelClient client;

  @BeforeEach
  void start() {
    fake = new FakeAnthropicServer();
    client = router(Duration.ofSeconds(20)).clientFor("claude-sonnet-4-5");
  }

  @AfterEach
  void stop() {
    fake.close();
  }

  private ModelRouter router(Duration idle) {
    var settings = ModelSettings.fromEnv(Map.of("ANTHROPIC_BASE_URL", fake.baseUrl(), "ANTHROPIC_API_KEY", KEY));
    return new ModelRouter(settings, ModelRouter.newHttpClient(), FAST, idle);
  }

  private static ModelRequest ask(String question) {
    return ModelRequest.of("claude-sonnet-4-5", "You are terse.", List.of(ChatMessage.user(question)), List.of(), 8192);
  }

  @Test
  void textStreamedInSeveralDeltasArrivesInOrderAndAsOneBlock() throws Exception {
    fake.enqueue(FakeAnthropicServer.message().text("Hel", "lo, ", "world").usage(100, 7).cacheUsage(80, 5));
    var listener = new RecordingListener();

    ModelTurn turn = client.stream(ask("hi"), listener, Cancellation.NEVER);

    assertThat(listener.textDeltas).containsExactly("Hel", "lo, ", "world");
    assertThat(turn.content()).containsExactly(new ContentBlock.Text("Hello, world"));
    assertThat(listener.blocks).containsExactly(new ContentBlock.Text("Hello, world"));
    assertThat(turn.stopReason()).isEqualTo("end_turn");
    assertThat(turn.usage()).isEqualTo(new Usage(100, 7, 80, 5));
  }

  @Test
  void thinkingKeepsItsSignatureAndComesBeforeTheText() throws Exception {
    fake.enqueue(FakeAnthropicServer.message().thinking("EqQBCkYIARgCKkBsig==", "Let me ", "think.").text("Four."));
    var listener = new RecordingListener();

    ModelTurn turn = client.stream(new ModelRequest("claude-sonnet-4-5", "You are terse.", List.of(ChatMessage.user("2+2?")), List.of(), 8192, 2048), listener, Cancellation.NEVER);

    assertThat(turn.content()).containsExactly(
        new ContentBlock.Thinking("Let me think.", "EqQBCkYIARgCKkBsig=="),
        new ContentBlock.Text("Four."));
    assertThat(listener.thinkingDeltas).containsExactly("Let me ", "think.");
    JsonNode body = fake.lastRequest().body();
    assertThat(body.path("thinking").path("type").asText()).isEqualTo("enabled");
    assertThat(body.path("thinking").path("budget_tokens").asInt()).isEqualTo(2048);
  }

  @Test
  void redactedThinkingIsKept() throws Exception {
    fake.enqueue(FakeAnthropicServer.message().redactedThinking("opaque-bytes").text("Done."));

    ModelTurn turn = client.stream(ask("go"), StreamListener.NONE, Cancellation.NEVER);

    assertThat(turn.content()).containsExactly(new ContentBlock.RedactedThinking("opaque-bytes"), new ContentBlock.Text("Done."));
  }

  @Test
  void aToolCallSplitAcrossDeltasIsReassembled() throws Exception {
    fake.enqueue(FakeAnthropicServer.message()
        .text("Reading it.")
        .toolUse("toolu_01", "Read", "{\"pa", "th\": \"src/Ma", "in.java\", \"li", "mit\": 20}")
        .toolUse("toolu_02", "Glob", "{\"pattern\": \"**/*.sql\"}"));

    ModelTurn turn = client.stream(ask("read Main"), StreamListener.NONE, Cancellation.NEVER);

    assertThat(turn.stopReason()).isEqualTo("tool_use");
    assertThat(turn.toolUses()).containsExactly(
        new ContentBlock.ToolUse("toolu_01", "Read", Json.MAPPER.readTree("{\"path\":\"src/Main.java\",\"limit\":20}")),
        new ContentBlock.ToolUse("toolu_02", "Glob", Json.MAPPER.readTree("{\"pattern\":\"**/*.sql\"}")));
  }

  @Test
  void toolInputThatIsNotJsonIsAClearErrorNotARetry() {
    fake.enqueue(FakeAnthropicServer.message().toolUse("toolu_01", "Read", "{\"path\": \"a", "").stopReason("max_tokens"));

    ModelException error = catchThrowableOfType(ModelException.class,
        () -> client.stream(ask("read"), StreamListener.NONE, Cancellation.NEVER));

    assertThat(error.getMessage()).contains("tool Read", "not valid JSON");
    assertThat(error.retryable()).isFalse();
    assertThat(fake.requests()).hasSize(1);
  }

  @Test
  void theRequestCarriesTheKeyTheVersionCacheBreakpointsAndStreaming() throws Exception {
    fake.enqueue(FakeAnthropicServer.message().text("ok"));
    ObjectNode schema = (ObjectNode) Json.MAPPER.readTree("{\"type\":\"object\",\"properties\":{\"path\":{\"type\":\"string\"}}}");
    var request = new ModelRequest("claude-sonnet-4-5", "Be brief.", List.of(ChatMessage.user("hi")),
        List.of(new ToolSpec("Read", "Reads a file", schema), new ToolSpec("Glob", "Finds files", schema)), 4096, null);

    client.stream(request, StreamListener.NONE, Cancellation.NEVER);

    var received = fake.lastRequest();
    assertThat(received.path()).isEqualTo("/v1/messages");
    assertThat(received.header("x-api-key")).isEqualTo(KEY);
    assertThat(received.header("anthropic-version")).isEqualTo("2023-06-01");
    assertThat(received.header("authorization")).isNull();
    assertThat(received.header("x-databricks-use-coding-agent-mode")).isNull();
    JsonNode body = received.body();
    assertThat(body.path("stream").asBoolean()).isTrue();
    assertThat(body.path("model").asText()).isEqualTo("claude-sonnet-4-5");
    assertThat(body.path("max_tokens").asInt()).isEqualTo(4096);
    assertThat(body.path("system").get(0).path("text").asText()).isEqualTo("Be brief.");
    assertThat(body.path("system").get(0).path("cache_control").path("type").asText()).isEqualTo("ephemeral");
    assertThat(body.path("tools").get(0).has("cache_control")).isFalse();
    assertThat(body.path("tools").get(1).path("cache_control").path("type").asText()).isEqualTo("ephemeral");
    assertThat(body.path("tools").get(1).path("input_schema").path("properties").path("path").path("type").asText()).isEqualTo("string");
    assertThat(body.has("thinking")).isFalse();
  }

  @Test
  void thinkingBlocksWithSignaturesGoBackInLaterRequests() throws Exception {
    fake.enqueue(FakeAnthropicServer.message().text("It has 3 lines."));
    var history = List.of(
        ChatMessage.user("How long is a.txt?"),
        new ChatMessage(ChatMessage.Role.ASSISTANT, List.of(
            new ContentBlock.Thinking("I should read it.", "sig-1"),
            new ContentBlock.ToolUse("toolu_01", "Read", Json.MAPPER.readTree("{\"path\":\"a.txt\"}")))),
        new ChatMessage(ChatMessage.Role.USER, List.of(new ContentBlock.ToolResult("toolu_01", "1\n2\n3", false))));

    client.stream(new ModelRequest("claude-sonnet-4-5", null, history, List.of(), 4096, 2048), StreamListener.NONE, Cancellation.NEVER);

    JsonNode messages = fake.lastRequest().body().path("messages");
    assertThat(messages).hasSize(3);
    JsonNode assistant = messages.get(1).path("content");
    assertThat(assistant.get(0).path("type").asText()).isEqualTo("thinking");
    assertThat(assistant.get(0).path("thinking").asText()).isEqualTo("I should read it.");
    assertThat(assistant.get(0).path("signature").asText()).isEqualTo("sig-1");
    assertThat(assistant.get(1).path("type").asText()).isEqualTo("tool_use");
    JsonNode result = messages.get(2).path("content").get(0);
    assertThat(result.path("tool_use_id").asText()).isEqualTo("toolu_01");
    assertThat(result.path("content").asText()).isEqualTo("1\n2\n3");
    assertThat(fake.lastRequest().body().path("thinking").path("budget_tokens").asInt()).isEqualTo(2048);
    assertThat(fake.lastRequest().body().has("system")).as("no empty system prompt is sent").isFalse();
  }

  @Test
  void aToolLoopStartedWithoutThinkingContinuesWithoutIt() throws Exception {
    fake.enqueue(FakeAnthropicServer.message().text("ok"));
    var history = List.of(
        ChatMessage.user("list files"),
        new ChatMessage(ChatMessage.Role.ASSISTANT, List.of(
            new ContentBlock.Thinking("unsigned, from another model", null),
            new ContentBlock.ToolUse("call_9", "Glob", Json.MAPPER.readTree("{\"pattern\":\"*\"}")))),
        new ChatMessage(ChatMessage.Role.USER, List.of(new ContentBlock.ToolResult("call_9", "a.txt", false))));

    client.stream(new ModelRequest("claude-sonnet-4-5", null, history, List.of(), 4096, 2048), StreamListener.NONE, Cancellation.NEVER);

    JsonNode body = fake.lastRequest().body();
    assertThat(body.path("messages").get(1).path("content").get(0).path("type").asText())
        .as("unsigned thinking cannot be sent").isEqualTo("tool_use");
    assertThat(body.has("thinking")).isFalse();
  }

  @Test
  void aRateLimitWithRetryAfterIsWaitedOutThenRetried() throws Exception {
    fake.enqueue(
        FakeAnthropicServer.error(429, "rate_limit_error", "Number of requests has exceeded your rate limit").header("retry-after", "1"),
        FakeAnthropicServer.message().text("finally"));
    var listener = new RecordingListener();
    long started = System.nanoTime();

    ModelTurn turn = client.stream(ask("hi"), listener, Cancellation.NEVER);

    assertThat(turn.text()).isEqualTo("finally");
    assertThat(Duration.ofNanos(System.nanoTime() - started)).isGreaterThanOrEqualTo(Duration.ofMillis(950));
    assertThat(listener.retries).hasSize(1);
    assertThat(listener.retries.get(0).attempt()).isEqualTo(2);
    assertThat(listener.retries.get(0).delay()).isEqualTo(Duration.ofSeconds(1));
    assertThat(listener.retries.get(0).reason()).contains("429", "rate_limit_error");
    assertThat(fake.requests()).hasSize(2);
  }

  @Test
  void anOverloadedErrorMidStreamIsRetriedAndTheListenerToldToDiscardThePartialAnswer() throws Exception {
    fake.enqueue(
        FakeAnthropicServer.message().text("Half an ", "answer").failWith("overloaded_error", "Overloaded").header("retry-after", "1"),
        FakeAnthropicServer.message().text("A whole answer."));
    var listener = new RecordingListener();

    ModelTurn turn = client.stream(ask("hi"), listener, Cancellation.NEVER);

    assertThat(turn.content()).containsExactly(new ContentBlock.Text("A whole answer."));
    assertThat(listener.allTextDeltas).containsExactly("Half an ", "answer", "A whole answer.");
    assertThat(listener.retries).hasSize(1);
    assertThat(listener.retries.get(0).reason()).contains("overloaded_error", "Overloaded");
    assertThat(listener.retries.get(0).delay()).as("retry-after of the streaming response").isEqualTo(Duration.ofSeconds(1));
    assertThat(listener.text()).isEqualTo("A whole answer.");
  }

  @Test
  void aDroppedConnectionIsRetried() throws Exception {
    fake.enqueue(FakeAnthropicServer.message().text("par", "tial").dropConnection(), FakeAnthropicServer.message().text("complete"));
    var listener = new RecordingListener();

    ModelTurn turn = client.stream(ask("hi"), listener, Cancellation.NEVER);

    assertThat(turn.text()).isEqualTo("complete");
    assertThat(listener.retries).hasSize(1);
    assertThat(listener.retries.get(0).reason()).contains("connection");
  }

  @Test
  void aStreamThatGoesSilentIsTreatedAsDroppedAndRetried() throws Exception {
    ModelClient impatient = router(Duration.ofMillis(300)).clientFor("claude-sonnet-4-5");
    fake.enqueue(FakeAnthropicServer.message().text("thinking...").hang(), FakeAnthropicServer.message().text("back"));
    var listener = new RecordingListener();

    ModelTurn turn = impatient.stream(ask("hi"), listener, Cancellation.NEVER);

    assertThat(turn.text()).isEqualTo("back");
    assertThat(listener.retries.get(0).reason()).contains("sent nothing for");
  }

  @Test
  void retriesStopAfterTheLastAttempt() {
    for (int i = 0; i < 3; i++) {
      fake.enqueue(FakeAnthropicServer.error(529, "overloaded_error", "Overloaded"));
    }

    ModelException error = catchThrowableOfType(ModelException.class,
        () -> client.stream(ask("hi"), StreamListener.NONE, Cancellation.NEVER));

    assertThat(error.getMessage()).contains("529", "overloaded_error", "Overloaded", "gave up after 3 attempts");
    assertThat(error.status()).isEqualTo(529);
    assertThat(fake.requests()).hasSize(3);
  }

  @Test
  void anUnauthorizedKeyBecomesAClearErrorWithoutTheKeyInIt() {
    fake.enqueue(FakeAnthropicServer.error(401, "authentication_error", "invalid x-api-key " + KEY));

    ModelException error = catchThrowableOfType(ModelException.class,
        () -> client.stream(ask("hi"), StreamListener.NONE, Cancellation.NEVER));

    assertThat(error.status()).isEqualTo(401);
    assertThat(error.retryable()).isFalse();
    assertThat(error.getMessage())
        .contains("401", "authentication_error", "invalid x-api-key", "ANTHROPIC_API_KEY", "claude-sonnet-4-5")
        .doesNotContain(KEY)
        .doesNotContain("secretsecret");
    assertThat(fake.requests()).as("not retried").hasSize(1);
  }

  @Test
  void anUnknownModelIsA404ThatIsNotRetried() {
    fake.enqueue(FakeAnthropicServer.error(404, "not_found_error", "model: claude-sonnet-9"));

    ModelException error = catchThrowableOfType(ModelException.class,
        () -> client.stream(ask("hi"), StreamListener.NONE, Cancellation.NEVER));

    assertThat(error.status()).isEqualTo(404);
    assertThat(error.getMessage()).contains("model: claude-sonnet-9", "is 'claude-sonnet-4-5' the name of a model");
    assertThat(fake.requests()).hasSize(1);
  }

  @Test
  void cancellationStopsASlowStreamPromptly() throws Exception {
    fake.enqueue(FakeAnthropicServer.message().text("one", "two", "three", "four").delayBetweenEvents(Duration.ofSeconds(5)));
    var cancellation = new TestCancellation();
    var listener = new RecordingListener();
    var outcome = new CompletableFuture<Throwable>();
    Thread.ofVirtual().start(() -> {
      try {
        client.stream(ask("hi"), listener, cancellation);
        outcome.complete(null);
      } catch (Throwable t) {
        outcome.complete(t);
      }
    });
    Eventually.await(Duration.ofSeconds(30), "the stream to start", () -> !fake.requests().isEmpty());
    Thread.sleep(200);

    long cancelledAt = System.nanoTime();
    cancellation.cancel();
    Throwable thrown = outcome.get(10, TimeUnit.SECONDS);

    assertThat(Duration.ofNanos(System.nanoTime() - cancelledAt)).isLessThan(Duration.ofSeconds(1));
    assertThat(thrown).isInstanceOf(ModelException.class);
    assertThat(((ModelException) thrown).cancelled()).isTrue();
    assertThat(listener.textDeltas).doesNotContain("three", "four");
    assertThat(fake.requests()).as("a cancelled call is not retried").hasSize(1);
  }

  @Test
  void cancellationEndsABackoffWaitPromptly() throws Exception {
    fake.enqueue(FakeAnthropicServer.error(429, "rate_limit_error", "slow down").header("retry-after", "30"));
    var cancellation = new TestCancellation();
    var outcome = new CompletableFuture<Throwable>();
    var listener = new RecordingListener();
    Thread.ofVirtual().start(() -> {
      try {
        client.stream(ask("hi"), listener, cancellation);
        outcome.complete(null);
      } catch (Throwable t) {
        outcome.complete(t);
      }
    });
    Eventually.await(Duration.ofSeconds(30), "the first retry to be announced", () -> !listener.retries.isEmpty());

    long cancelledAt = System.nanoTime();
    cancellation.cancel();
    Throwable thrown = outcome.get(10, TimeUnit.SECONDS);

    assertThat(Duration.ofNanos(System.nanoTime() - cancelledAt)).isLessThan(Duration.ofSeconds(1));
    assertThat(((ModelException) thrown).cancelled()).isTrue();
    assertThat(listener.retries.get(0).delay()).as("retry-after capped at the policy's max delay").isEqualTo(Duration.ofSeconds(2));
  }
}
