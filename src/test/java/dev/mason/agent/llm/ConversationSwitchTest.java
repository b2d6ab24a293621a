package dev.mason.agent.llm;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
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

/** One conversation that moves from a Claude model to a GPT model and back, through the stored content blocks. */
class ConversationSwitchTest {
  private static final RetryPolicy FAST = new RetryPolicy(2, Duration.ofMillis(5), Duration.ofMillis(50));

  @Test
  void aConversationCanSwitchBetweenAnthropicAndOpenAiModelsMidWay() throws Exception {
    try (var anthropic = new FakeAnthropicServer(); var openAi = new FakeOpenAiServer()) {
      var router = new ModelRouter(ModelSettings.fromEnv(Map.of(
          "ANTHROPIC_BASE_URL", anthropic.baseUrl(), "ANTHROPIC_API_KEY", "k1",
          "OPENAI_BASE_URL", openAi.baseUrl(), "OPENAI_API_KEY", "k2")), ModelRouter.newHttpClient(), FAST, Duration.ofSeconds(20));
      List<ChatMessage> conversation = new ArrayList<>(List.of(ChatMessage.user("Count the lines of a.txt")));

      anthropic.enqueue(FakeAnthropicServer.message().thinking("sig-A", "Read it first.").toolUse("toolu_01", "Read", "{\"path\":", "\"a.txt\"}"));
      ModelTurn claudeTurn = turn(router, "claude-sonnet-4-5", conversation);
      conversation.add(new ChatMessage(Role.ASSISTANT, claudeTurn.content()));
      conversation.add(new ChatMessage(Role.USER, List.of(new ContentBlock.ToolResult("toolu_01", "x\ny\nz", false))));

      openAi.enqueue(FakeOpenAiServer.completion().text("Three lines. Checking b too.").toolCall("call|7:b", "Read", "{\"path\":\"b.txt\"}"));
      ModelTurn gptTurn = turn(router, "gpt-5", conversation);
      JsonNode openAiMessages = openAi.lastRequest().body().path("messages");
      assertThat(openAiMessages.get(2).path("tool_calls").get(0).path("function").path("arguments").asText()).isEqualTo("{\"path\":\"a.txt\"}");
      assertThat(openAiMessages.get(2).has("thinking")).isFalse();
      assertThat(openAiMessages.get(2).has("content")).as("thinking alone is no content").isTrue();
      assertThat(openAiMessages.get(3)).isEqualTo(Json.MAPPER.readTree("{\"role\":\"tool\",\"tool_call_id\":\"toolu_01\",\"content\":\"x\\ny\\nz\"}"));
      conversation.add(new ChatMessage(Role.ASSISTANT, gptTurn.content()));
      conversation.add(new ChatMessage(Role.USER, List.of(new ContentBlock.ToolResult("call|7:b", "1", false))));

      anthropic.enqueue(FakeAnthropicServer.message().text("a.txt has 3 lines, b.txt has 1."));
      ModelTurn last = turn(router, "claude-sonnet-4-5", conversation);

      assertThat(last.text()).isEqualTo("a.txt has 3 lines, b.txt has 1.");
      JsonNode messages = anthropic.lastRequest().body().path("messages");
      assertThat(messages).hasSize(5);
      assertThat(messages.get(1).path("content").get(0).path("signature").asText()).as("Claude's own thinking goes back signed").isEqualTo("sig-A");
      assertThat(messages.get(3).path("content").get(0).path("text").asText()).isEqualTo("Three lines. Checking b too.");
      JsonNode call = messages.get(3).path("content").get(1);
      JsonNode result = messages.get(4).path("content").get(0);
      assertThat(call.path("id").asText()).as("an id the Anthropic API accepts").matches("[a-zA-Z0-9_-]+");
      assertThat(result.path("tool_use_id").asText()).isEqualTo(call.path("id").asText());
      assertThat(call.path("input")).isEqualTo(Json.MAPPER.readTree("{\"path\":\"b.txt\"}"));
    }
  }

  private static ModelTurn turn(ModelRouter router, String model, List<ChatMessage> conversation) throws ModelException {
    return router.clientFor(model).stream(ModelRequest.of(model, "sys", conversation, List.of(), 4096), StreamListener.NONE, Cancellation.NEVER);
  }
}
