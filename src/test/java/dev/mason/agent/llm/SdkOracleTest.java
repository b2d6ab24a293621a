package dev.mason.agent.llm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.anthropic.client.AnthropicClient;
import com.anthropic.client.okhttp.AnthropicOkHttpClient;
import com.anthropic.core.ObjectMappers;
import com.anthropic.helpers.MessageAccumulator;
import com.anthropic.models.messages.Message;
import com.anthropic.models.messages.MessageCreateParams;
import com.anthropic.models.messages.RawMessageStreamEvent;
import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.helpers.ChatCompletionAccumulator;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.openai.models.chat.completions.ChatCompletionMessageToolCall;
import com.openai.models.chat.completions.ChatCompletionStreamOptions;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mason.agent.message.ChatMessage;
import dev.mason.agent.message.ChatMessage.Role;
import dev.mason.agent.message.ContentBlock;
import dev.mason.agent.tool.Cancellation;
import dev.mason.web.Json;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The official SDKs (test scope only) as protocol oracles: pointed at the fake servers, they must
 * read the same answers Mason's clients read, and they must accept the request bodies Mason's
 * clients send. A fake that drifted from the real wire format, or a client that only agrees with
 * its own fake, fails here.
 */
class SdkOracleTest {
  private static final RetryPolicy ONCE = new RetryPolicy(1, Duration.ZERO, Duration.ZERO);

  @Test
  void theAnthropicSdkReadsTheFakeStreamAsMasonDoes() throws Exception {
    try (var fake = new FakeAnthropicServer()) {
      FakeAnthropicServer.Message script = FakeAnthropicServer.message()
          .thinking("sig-xyz", "Think ", "hard.")
          .redactedThinking("c2VjcmV0")
          .text("Calling ", "a tool.")
          .toolUse("toolu_01A", "Read", "{\"path\": \"src/", "Main.java\", \"lines\": [1, ", "2]}")
          .usage(321, 54)
          .cacheUsage(200, 10);
      fake.enqueue(script, script);

      Message sdk = anthropicSdk(fake).messages().createStreaming(MessageCreateParams.builder()
              .model("claude-sonnet-4-5").maxTokens(4096).addUserMessage("hi").build())
          .stream().collect(MessageAccumulator::create, MessageAccumulator::accumulate, (a, b) -> {})
          .message();
      ModelTurn mason = masonAnthropic(fake).stream(ModelRequest.of("claude-sonnet-4-5", null, List.of(ChatMessage.user("hi")), List.of(), 4096),
          StreamListener.NONE, Cancellation.NEVER);

      assertThat(mason.content()).isEqualTo(blocksOf(sdk));
      assertThat(mason.stopReason()).isEqualTo(sdk.stopReason().orElseThrow().asString());
      assertThat(mason.usage()).isEqualTo(new Usage(sdk.usage().inputTokens(), sdk.usage().outputTokens(),
          sdk.usage().cacheReadInputTokens().orElseThrow(), sdk.usage().cacheCreationInputTokens().orElseThrow()));
    }
  }

  @Test
  void theAnthropicSdkSeesTheFakesErrorEventAsAnError() {
    try (var fake = new FakeAnthropicServer()) {
      fake.enqueue(FakeAnthropicServer.message().text("half").failWith("overloaded_error", "Overloaded"));

      Throwable thrown = catchThrowable(() -> {
        try (var stream = anthropicSdk(fake).messages().createStreaming(MessageCreateParams.builder()
            .model("claude-sonnet-4-5").maxTokens(100).addUserMessage("hi").build())) {
          stream.stream().forEach(RawMessageStreamEvent::validate);
        }
      });

      assertThat(thrown).isNotNull();
      assertThat(thrown.toString()).contains("Overloaded");
    }
  }

  @Test
  void theAnthropicSdkAcceptsTheRequestBodiesMasonSends() throws Exception {
    try (var fake = new FakeAnthropicServer()) {
      fake.enqueue(FakeAnthropicServer.message().text("ok"));
      masonAnthropic(fake).stream(richRequest("claude-sonnet-4-5", 2048), StreamListener.NONE, Cancellation.NEVER);

      MessageCreateParams.Body body = ObjectMappers.jsonMapper().readValue(fake.lastRequest().rawBody(), MessageCreateParams.Body.class);
      body.validate();

      assertThat(body.messages()).hasSize(3);
      assertThat(body.messages().get(1).content().asContentBlockParams().get(0).thinking().orElseThrow().signature()).isEqualTo("sig-1");
      assertThat(body.tools().orElseThrow()).hasSize(1);
      assertThat(body.thinking().orElseThrow().enabled().orElseThrow().budgetTokens()).isEqualTo(2048);
    }
  }

  @Test
  void theOpenAiSdkReadsTheFakeStreamAsMasonDoes() throws Exception {
    try (var fake = new FakeOpenAiServer()) {
      FakeOpenAiServer.Completion script = FakeOpenAiServer.completion()
          .text("Looking ", "now.")
          .toolCall("call_1", "Read", "{\"path\":", " \"a.txt\"}")
          .toolCall("call_2", "Grep", "{\"pattern\": \"x\"", "}")
          .usage(90, 12, 40);
      fake.enqueue(script, script);

      ChatCompletion sdk = openAiSdk(fake).chat().completions().createStreaming(ChatCompletionCreateParams.builder()
              .model("gpt-4.1").addUserMessage("hi")
              .streamOptions(ChatCompletionStreamOptions.builder().includeUsage(true).build()).build())
          .stream().collect(ChatCompletionAccumulator::create, ChatCompletionAccumulator::accumulate, (a, b) -> {})
          .chatCompletion();
      ModelTurn mason = masonOpenAi(fake).stream(ModelRequest.of("gpt-4.1", null, List.of(ChatMessage.user("hi")), List.of(), 100),
          StreamListener.NONE, Cancellation.NEVER);

      var message = sdk.choices().get(0).message();
      List<ContentBlock> expected = new ArrayList<>();
      expected.add(new ContentBlock.Text(message.content().orElseThrow()));
      for (ChatCompletionMessageToolCall call : message.toolCalls().orElseThrow()) {
        var function = call.asFunction();
        expected.add(new ContentBlock.ToolUse(function.id(), function.function().name(), Json.MAPPER.readTree(function.function().arguments())));
      }
      assertThat(mason.content()).isEqualTo(expected);
      assertThat(sdk.choices().get(0).finishReason().asString()).isEqualTo("tool_calls");
      assertThat(mason.stopReason()).isEqualTo("tool_use");
      var usage = sdk.usage().orElseThrow();
      long cached = usage.promptTokensDetails().orElseThrow().cachedTokens().orElseThrow();
      assertThat(mason.usage()).isEqualTo(new Usage(usage.promptTokens() - cached, usage.completionTokens(), cached, 0));
    }
  }

  @Test
  void theOpenAiSdkAcceptsTheRequestBodiesMasonSends() throws Exception {
    try (var fake = new FakeOpenAiServer()) {
      fake.enqueue(FakeOpenAiServer.completion().text("ok"));
      masonOpenAi(fake).stream(richRequest("gpt-4.1", null), StreamListener.NONE, Cancellation.NEVER);

      ChatCompletionCreateParams.Body body = com.openai.core.ObjectMappers.jsonMapper()
          .readValue(fake.lastRequest().rawBody(), ChatCompletionCreateParams.Body.class);
      body.validate();

      assertThat(body.messages()).hasSize(5); // system, user, assistant with tool_calls, tool, user
      assertThat(body.messages().get(2).asAssistant().toolCalls().orElseThrow().get(0).asFunction().id()).isEqualTo("toolu_1");
      assertThat(body.messages().get(3).asTool().toolCallId()).isEqualTo("toolu_1");
      assertThat(body.tools().orElseThrow()).hasSize(1);
      assertThat(body.streamOptions().orElseThrow().includeUsage()).contains(true);
    }
  }

  private static ModelRequest richRequest(String model, Integer thinkingBudgetTokens) throws Exception {
    ObjectNode schema = (ObjectNode) Json.MAPPER.readTree(
        "{\"$schema\":\"x\",\"type\":\"object\",\"properties\":{\"path\":{\"type\":\"string\",\"format\":\"uri\"}},\"required\":[\"path\"]}");
    var history = List.of(
        ChatMessage.user("read a.txt"),
        new ChatMessage(Role.ASSISTANT, List.of(
            new ContentBlock.Thinking("Reading.", "sig-1"),
            new ContentBlock.Text("On it."),
            new ContentBlock.ToolUse("toolu_1", "Read", Json.MAPPER.readTree("{\"path\":\"a.txt\"}")))),
        new ChatMessage(Role.USER, List.of(new ContentBlock.ToolResult("toolu_1", "hello", false), new ContentBlock.Text("and summarise"))));
    return new ModelRequest(model, "You are Mason.", history, List.of(new ToolSpec("Read", "Reads a file", schema)), 8192, thinkingBudgetTokens);
  }

  private static List<ContentBlock> blocksOf(Message message) throws Exception {
    List<ContentBlock> blocks = new ArrayList<>();
    for (com.anthropic.models.messages.ContentBlock block : message.content()) {
      if (block.isThinking()) {
        blocks.add(new ContentBlock.Thinking(block.asThinking().thinking(), block.asThinking().signature()));
      } else if (block.isRedactedThinking()) {
        blocks.add(new ContentBlock.RedactedThinking(block.asRedactedThinking().data()));
      } else if (block.isText()) {
        blocks.add(new ContentBlock.Text(block.asText().text()));
      } else if (block.isToolUse()) {
        String input = ObjectMappers.jsonMapper().writeValueAsString(block.asToolUse()._input());
        JsonNode parsed = Json.MAPPER.readTree(input);
        blocks.add(new ContentBlock.ToolUse(block.asToolUse().id(), block.asToolUse().name(), parsed));
      } else {
        throw new AssertionError("unexpected block " + block);
      }
    }
    return blocks;
  }

  private static AnthropicClient anthropicSdk(FakeModelServer fake) {
    return AnthropicOkHttpClient.builder().apiKey("test-key").baseUrl(fake.baseUrl()).maxRetries(0).build();
  }

  private static OpenAIClient openAiSdk(FakeModelServer fake) {
    return OpenAIOkHttpClient.builder().apiKey("test-key").baseUrl(fake.baseUrl()).maxRetries(0).build();
  }

  private static ModelClient masonAnthropic(FakeModelServer fake) {
    return new ModelRouter(ModelSettings.fromEnv(Map.of("ANTHROPIC_BASE_URL", fake.baseUrl(), "ANTHROPIC_API_KEY", "test-key")),
        ModelRouter.newHttpClient(), ONCE, Duration.ofSeconds(20)).clientFor("claude-sonnet-4-5");
  }

  private static ModelClient masonOpenAi(FakeModelServer fake) {
    return new ModelRouter(ModelSettings.fromEnv(Map.of("OPENAI_BASE_URL", fake.baseUrl(), "OPENAI_API_KEY", "test-key")),
        ModelRouter.newHttpClient(), ONCE, Duration.ofSeconds(20)).clientFor("gpt-4.1");
  }
}
