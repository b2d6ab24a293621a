package dev.mason.agent.llm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mason.agent.message.ChatMessage;
import dev.mason.agent.message.ContentBlock;
import dev.mason.agent.tool.Cancellation;
import dev.mason.web.Json;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class OpenAiClientTest {
  private static final String KEY = "sk-proj-0123456789abcdefSECRET";
  private static final RetryPolicy FAST = new RetryPolicy(3, Duration.ofMillis(5), Duration.ofSeconds(2));

  private FakeOpenAiServer fake;
  private ModelClient client;

  @BeforeEach
  void start() {
    fake = new FakeOpenAiServer();
    var settings = ModelSettings.fromEnv(Map.of("OPENAI_BASE_URL", fake.baseUrl() + "/v1", "OPENAI_API_KEY", KEY));
    client = new ModelRouter(settings, ModelRouter.newHttpClient(), FAST, Duration.ofSeconds(20)).clientFor("gpt-4.1");
  }

  @AfterEach
  void stop() {
    fake.close();
  }

  private static ModelRequest ask(String question) {
    return ModelRequest.of("gpt-4.1", "You are terse.", List.of(ChatMessage.user(question)), List.of(), 2048);
  }

  @Test
  void textStreamedInSeveralChunksArrivesInOrderWithUsage() throws Exception {
    fake.enqueue(FakeOpenAiServer.completion().text("Hel", "lo", "!").usage(50, 7, 20));
    var listener = new RecordingListener();

    ModelTurn turn = client.stream(ask("hi"), listener, Cancellation.NEVER);

    assertThat(listener.textDeltas).containsExactly("Hel", "lo", "!");
    assertThat(turn.content()).containsExactly(new ContentBlock.Text("Hello!"));
    assertThat(turn.stopReason()).isEqualTo("end_turn");
    assertThat(turn.usage()).as("cached prompt tokens are not counted as input").isEqualTo(new Usage(30, 7, 20, 0));
    var received = fake.lastRequest();
    assertThat(received.path()).isEqualTo("/v1/chat/completions");
    assertThat(received.header("authorization")).isEqualTo("Bearer " + KEY);
    JsonNode body = received.body();
    assertThat(body.path("stream").asBoolean()).isTrue();
    assertThat(body.path("stream_options").path("include_usage").asBoolean()).isTrue();
    assertThat(body.path("max_tokens").asInt()).isEqualTo(2048);
    assertThat(body.path("messages").get(0)).isEqualTo(Json.MAPPER.readTree("{\"role\":\"system\",\"content\":\"You are terse.\"}"));
    assertThat(body.path("messages").get(1)).isEqualTo(Json.MAPPER.readTree("{\"role\":\"user\",\"content\":\"hi\"}"));
  }

  @Test
  void toolCallDeltasSplitOverChunksAreReassembled() throws Exception {
    fake.enqueue(FakeOpenAiServer.completion()
        .text("Let me look.")
        .toolCall("call_A", "Read", "{\"pa", "th\": \"a.t", "xt\"}")
        .toolCall("call_B", "Grep", "{\"pattern\":", " \"TODO\", \"limit\": 5}")
        .usage(120, 30, 0));
    var listener = new RecordingListener();

    ModelTurn turn = client.stream(ask("look"), listener, Cancellation.NEVER);

    assertThat(turn.content()).containsExactly(
        new ContentBlock.Text("Let me look."),
        new ContentBlock.ToolUse("call_A", "Read", Json.MAPPER.readTree("{\"path\":\"a.txt\"}")),
        new ContentBlock.ToolUse("call_B", "Grep", Json.MAPPER.readTree("{\"pattern\":\"TODO\",\"limit\":5}")));
    assertThat(turn.stopReason()).isEqualTo("tool_use");
    assertThat(turn.usage()).isEqualTo(new Usage(120, 30, 0, 0));
    assertThat(listener.blocks).hasSize(3);
  }

  @Test
  void toolCallsMeanToolUseEvenWhenTheServerSaysStop() throws Exception {
    fake.enqueue(FakeOpenAiServer.completion().toolCall("call_1", "Glob", "{}").finishReason("stop"));

    ModelTurn turn = client.stream(ask("go"), StreamListener.NONE, Cancellation.NEVER);

    assertThat(turn.stopReason()).isEqualTo("tool_use");
  }

  @Test
  void aHistoryWithThinkingToolUseAndToolResultIsTranslatedToOpenAiMessages() throws Exception {
    fake.enqueue(FakeOpenAiServer.completion().text("Both files are short."));
    ObjectNode schema = (ObjectNode) Json.MAPPER.readTree("{\"type\":\"object\",\"properties\":{\"path\":{\"type\":\"string\"}},\"required\":[\"path\"]}");
    var history = List.of(
        ChatMessage.user("How long are a.txt and b.txt?"),
        new ChatMessage(ChatMessage.Role.ASSISTANT, List.of(
            new ContentBlock.Thinking("Read both.", "sig"),
            new ContentBlock.RedactedThinking("opaque"),
            new ContentBlock.Text("Reading them."),
            new ContentBlock.ToolUse("toolu_1", "Read", Json.MAPPER.readTree("{\"path\":\"a.txt\"}")),
            new ContentBlock.ToolUse("toolu_2", "Read", Json.MAPPER.readTree("{\"path\":\"b.txt\"}")))),
        new ChatMessage(ChatMessage.Role.USER, List.of(
            new ContentBlock.ToolResult("toolu_1", "1\n2", false),
            new ContentBlock.ToolResult("toolu_2", "no such file", true),
            new ContentBlock.Text("Be quick."))),
        new ChatMessage(ChatMessage.Role.ASSISTANT, List.of(
            new ContentBlock.Thinking("only thinking here", "sig2"),
            new ContentBlock.ToolUse("toolu_3", "Glob", Json.MAPPER.readTree("{}")))),
        new ChatMessage(ChatMessage.Role.USER, List.of(new ContentBlock.ToolResult("toolu_3", "", false))));

    client.stream(new ModelRequest("gpt-4.1", "sys", history, List.of(new ToolSpec("Read", "Reads a file", schema)), 2048, null),
        StreamListener.NONE, Cancellation.NEVER);

    JsonNode body = fake.lastRequest().body();
    assertThat(body.path("messages")).isEqualTo(Json.MAPPER.readTree("""
        [
          {"role": "system", "content": "sys"},
          {"role": "user", "content": "How long are a.txt and b.txt?"},
          {"role": "assistant", "content": "Reading them.", "tool_calls": [
            {"id": "toolu_1", "type": "function", "function": {"name": "Read", "arguments": "{\\"path\\":\\"a.txt\\"}"}},
            {"id": "toolu_2", "type": "function", "function": {"name": "Read", "arguments": "{\\"path\\":\\"b.txt\\"}"}}]},
          {"role": "tool", "tool_call_id": "toolu_1", "content": "1\\n2"},
          {"role": "tool", "tool_call_id": "toolu_2", "content": "Error: no such file"},
          {"role": "user", "content": "Be quick."},
          {"role": "assistant", "content": null, "tool_calls": [
            {"id": "toolu_3", "type": "function", "function": {"name": "Glob", "arguments": "{}"}}]},
          {"role": "tool", "tool_call_id": "toolu_3", "content": "(no output)"}
        ]"""));
    assertThat(body.path("tools")).isEqualTo(Json.MAPPER.readTree("""
        [{"type": "function", "function": {"name": "Read", "description": "Reads a file",
          "parameters": {"type": "object", "properties": {"path": {"type": "string"}}, "required": ["path"]}}}]"""));
  }

  @Test
  void anEndpointThatRefusesStreamOptionsIsAskedAgainWithoutThem() throws Exception {
    fake.enqueue(
        FakeOpenAiServer.error(400, "invalid_request_error", "Unrecognized request argument supplied: stream_options"),
        FakeOpenAiServer.completion().text("fine"));

    ModelTurn turn = client.stream(ask("hi"), StreamListener.NONE, Cancellation.NEVER);

    assertThat(turn.text()).isEqualTo("fine");
    assertThat(turn.usage()).as("no usage without stream_options").isEqualTo(Usage.ZERO);
    assertThat(fake.requests()).hasSize(2);
    assertThat(fake.requests().get(1).body().has("stream_options")).isFalse();
    fake.enqueue(FakeOpenAiServer.completion().text("again"));
    client.stream(ask("hi"), StreamListener.NONE, Cancellation.NEVER);
    assertThat(fake.lastRequest().body().has("stream_options")).as("remembered").isFalse();
  }

  @Test
  void anErrorChunkMidStreamIsRetried() throws Exception {
    fake.enqueue(
        FakeOpenAiServer.completion().text("partial").failWith("server_error", "The server had an error while processing your request"),
        FakeOpenAiServer.completion().text("whole"));
    var listener = new RecordingListener();

    ModelTurn turn = client.stream(ask("hi"), listener, Cancellation.NEVER);

    assertThat(turn.text()).isEqualTo("whole");
    assertThat(listener.retries).hasSize(1);
    assertThat(listener.retries.get(0).reason()).contains("server_error", "The server had an error");
    assertThat(listener.text()).isEqualTo("whole");
  }

  @Test
  void aServerErrorStatusIsRetriedAndABadRequestIsNot() throws Exception {
    fake.enqueue(FakeOpenAiServer.error(503, "server_error", "busy"), FakeOpenAiServer.completion().text("ok"));
    assertThat(client.stream(ask("hi"), StreamListener.NONE, Cancellation.NEVER).text()).isEqualTo("ok");

    fake.enqueue(FakeOpenAiServer.error(400, "invalid_request_error", "messages: must not be empty"));
    ModelException error = catchThrowableOfType(ModelException.class,
        () -> client.stream(ask("hi"), StreamListener.NONE, Cancellation.NEVER));
    assertThat(error.status()).isEqualTo(400);
    assertThat(error.getMessage()).contains("messages: must not be empty");
    assertThat(fake.requests()).hasSize(3);
  }

  @Test
  void anUnauthorizedKeyBecomesAClearErrorWithoutTheKeyInIt() {
    fake.enqueue(FakeOpenAiServer.error(401, "invalid_request_error", "Incorrect API key provided: " + KEY));

    ModelException error = catchThrowableOfType(ModelException.class,
        () -> client.stream(ask("hi"), StreamListener.NONE, Cancellation.NEVER));

    assertThat(error.status()).isEqualTo(401);
    assertThat(error.getMessage()).contains("401", "Incorrect API key provided", "OPENAI_API_KEY").doesNotContain(KEY).doesNotContain("SECRET");
    assertThat(fake.requests()).hasSize(1);
  }

  @Test
  void aServerThatAnswersWithPlainJsonGetsAClearErrorNotRetries() {
    fake.enqueue(FakeModelServer.json(200, "{\"choices\":[{\"message\":{\"content\":\"not streamed\"}}]}"));

    ModelException error = catchThrowableOfType(ModelException.class,
        () -> client.stream(ask("hi"), StreamListener.NONE, Cancellation.NEVER));

    assertThat(error.getMessage()).contains("JSON instead of an event stream");
    assertThat(fake.requests()).hasSize(1);
  }

  @Test
  void aDroppedConnectionIsRetried() throws Exception {
    fake.enqueue(FakeOpenAiServer.completion().text("par").dropConnection(), FakeOpenAiServer.completion().text("done"));
    var listener = new RecordingListener();

    ModelTurn turn = client.stream(ask("hi"), listener, Cancellation.NEVER);

    assertThat(turn.text()).isEqualTo("done");
    assertThat(listener.retries).hasSize(1);
  }
}
