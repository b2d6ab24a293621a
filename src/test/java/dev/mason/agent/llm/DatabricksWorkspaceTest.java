package dev.mason.agent.llm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mason.agent.message.ChatMessage;
import dev.mason.agent.message.ChatMessage.Role;
import dev.mason.agent.message.ContentBlock;
import dev.mason.agent.tool.Cancellation;
import dev.mason.web.Json;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A workspace's serving endpoints, with only DATABRICKS_HOST and DATABRICKS_TOKEN set, and the request sanitising they need. */
class DatabricksWorkspaceTest {
  /** Shaped like a workspace token (so the redaction of that shape is exercised) but made up. */
  private static final String TOKEN = "dapi" + "0123456789abcdef".repeat(2);
  private static final RetryPolicy FAST = new RetryPolicy(2, Duration.ofMillis(5), Duration.ofMillis(50));

  /** A schema with everything strict endpoints reject, at several levels. */
  private static final String RICH_SCHEMA = """
      {"$schema": "http://json-schema.org/draft-07/schema#", "$id": "urn:x", "type": "object", "additionalProperties": false,
       "$defs": {"Mode": {"type": "string", "enum": ["a", "b"]}},
       "properties": {
         "path": {"type": "string", "description": "file", "format": "uri-reference", "pattern": "^/", "examples": ["/a"]},
         "mode": {"$ref": "#/$defs/Mode"},
         "limit": {"anyOf": [{"type": "integer", "minimum": 1, "maximum": 100}, {"type": "null"}], "default": 10},
         "tags": {"type": ["array", "null"], "items": {"type": "string", "minLength": 1}, "minItems": 1, "maxItems": 5, "uniqueItems": true},
         "options": {"type": "object", "additionalProperties": {"type": "string"},
                     "properties": {"deep": {"type": "boolean", "const": true}}, "required": ["deep", "ghost"]}
       },
       "required": ["path", "missing"]}""";
  private static final String CLEAN_SCHEMA = """
      {"type": "object",
       "properties": {
         "path": {"type": "string", "description": "file"},
         "mode": {},
         "limit": {"default": 10, "type": "integer", "minimum": 1, "maximum": 100},
         "tags": {"type": "array", "items": {"type": "string"}, "minItems": 1, "maxItems": 5},
         "options": {"type": "object", "properties": {"deep": {"type": "boolean"}}, "required": ["deep"]}
       },
       "required": ["path"]}""";

  private static ModelRouter workspace(FakeModelServer fake) {
    var settings = ModelSettings.fromEnv(Map.of("DATABRICKS_HOST", fake.baseUrl() + "/", "DATABRICKS_TOKEN", TOKEN));
    return new ModelRouter(settings, ModelRouter.newHttpClient(), FAST, Duration.ofSeconds(20));
  }

  @Test
  void claudeOnAWorkspaceGoesToTheAnthropicServingPathWithTheTokenAndTheCodingAgentHeader() throws Exception {
    try (var fake = new FakeAnthropicServer()) {
      fake.enqueue(FakeAnthropicServer.message().text("hello"));
      ModelRouter router = workspace(fake);

      ModelTurn turn = router.clientFor(router.settings().defaultModel())
          .stream(ModelRequest.of("databricks-claude-sonnet-4-5", "sys", List.of(ChatMessage.user("hi")), List.of(), 1024),
              StreamListener.NONE, Cancellation.NEVER);

      assertThat(turn.text()).isEqualTo("hello");
      var received = fake.lastRequest();
      assertThat(received.path()).isEqualTo("/serving-endpoints/anthropic/v1/messages");
      assertThat(received.header("authorization")).isEqualTo("Bearer " + TOKEN);
      assertThat(received.header("x-databricks-use-coding-agent-mode")).isEqualTo("true");
      assertThat(received.header("x-api-key")).isNull();
      assertThat(received.body().path("model").asText()).isEqualTo("databricks-claude-sonnet-4-5");
    }
  }

  @Test
  void otherModelsOnAWorkspaceGoToChatCompletionsWithTheEndpointAsModel() throws Exception {
    try (var fake = new FakeOpenAiServer()) {
      fake.enqueue(FakeOpenAiServer.completion().text("hi from gemini"));

      ModelTurn turn = workspace(fake).clientFor("databricks-gemini-2-5-pro")
          .stream(ModelRequest.of("databricks-gemini-2-5-pro", null, List.of(ChatMessage.user("hi")), List.of(), 1024),
              StreamListener.NONE, Cancellation.NEVER);

      assertThat(turn.text()).isEqualTo("hi from gemini");
      var received = fake.lastRequest();
      assertThat(received.path()).isEqualTo("/serving-endpoints/chat/completions");
      assertThat(received.header("authorization")).isEqualTo("Bearer " + TOKEN);
      assertThat(received.body().path("model").asText()).isEqualTo("databricks-gemini-2-5-pro");
      assertThat(received.body().path("max_tokens").asInt()).isEqualTo(1024);
    }
  }

  @Test
  void aForbiddenWorkspaceTokenIsNeitherRetriedNorQuoted() {
    try (var fake = new FakeAnthropicServer()) {
      fake.enqueue(FakeModelServer.json(403, "{\"error_code\": \"PERMISSION_DENIED\", \"message\": \"Invalid access token " + TOKEN + ".\"}"));

      ModelException error = catchThrowableOfType(ModelException.class, () -> workspace(fake).clientFor("databricks-claude-opus-4-6")
          .stream(ModelRequest.of("databricks-claude-opus-4-6", null, List.of(ChatMessage.user("hi")), List.of(), 1024),
              StreamListener.NONE, Cancellation.NEVER));

      assertThat(error.status()).isEqualTo(403);
      assertThat(error.getMessage())
          .contains("403 PERMISSION_DENIED", "Invalid access token", "DATABRICKS_TOKEN", "Databricks workspace http://127.0.0.1:")
          .doesNotContain(TOKEN)
          .doesNotContain("0123456789abcdef");
      assertThat(fake.requests()).hasSize(1);
    }
  }

  @Test
  void toolSchemasAreStrippedToTheKeywordsEveryEndpointAcceptsForBothProtocols() throws Exception {
    ObjectNode schema = (ObjectNode) Json.MAPPER.readTree(RICH_SCHEMA);
    JsonNode clean = Json.MAPPER.readTree(CLEAN_SCHEMA);
    var tools = List.of(new ToolSpec("Search", "Searches", schema));
    try (var anthropic = new FakeAnthropicServer(); var openAi = new FakeOpenAiServer()) {
      anthropic.enqueue(FakeAnthropicServer.message().text("ok"));
      openAi.enqueue(FakeOpenAiServer.completion().text("ok"));

      workspace(anthropic).clientFor("databricks-claude-sonnet-4-5").stream(
          ModelRequest.of("databricks-claude-sonnet-4-5", null, List.of(ChatMessage.user("hi")), tools, 1024), StreamListener.NONE, Cancellation.NEVER);
      workspace(openAi).clientFor("databricks-gpt-5").stream(
          ModelRequest.of("databricks-gpt-5", null, List.of(ChatMessage.user("hi")), tools, 1024), StreamListener.NONE, Cancellation.NEVER);

      assertThat(anthropic.lastRequest().body().path("tools").get(0).path("input_schema")).isEqualTo(clean);
      assertThat(openAi.lastRequest().body().path("tools").get(0).path("function").path("parameters")).isEqualTo(clean);
      assertThat(schema).as("the caller's schema is untouched").isEqualTo(Json.MAPPER.readTree(RICH_SCHEMA));
    }
  }

  @Test
  void emptyTextBlocksAreNeverSentAndMessagesLeftEmptyAreDropped() throws Exception {
    var history = List.of(
        new ChatMessage(Role.USER, List.of(new ContentBlock.Text("first question"), new ContentBlock.Text(""))),
        new ChatMessage(Role.ASSISTANT, List.of(new ContentBlock.Text("  \n"))),
        new ChatMessage(Role.USER, List.of(new ContentBlock.Text("second question"))),
        new ChatMessage(Role.ASSISTANT, List.of(new ContentBlock.Text(""), new ContentBlock.Text("an answer"))),
        ChatMessage.user("third"));
    try (var fake = new FakeAnthropicServer()) {
      fake.enqueue(FakeAnthropicServer.message().text("ok"));

      workspace(fake).clientFor("databricks-claude-sonnet-4-5").stream(
          ModelRequest.of("databricks-claude-sonnet-4-5", "", history, List.of(), 1024), StreamListener.NONE, Cancellation.NEVER);

      assertThat(stripCacheControl(fake.lastRequest().body().path("messages"))).isEqualTo(Json.MAPPER.readTree("""
          [
            {"role": "user", "content": [{"type": "text", "text": "first question"}, {"type": "text", "text": "second question"}]},
            {"role": "assistant", "content": [{"type": "text", "text": "an answer"}]},
            {"role": "user", "content": [{"type": "text", "text": "third"}]}
          ]"""));
      assertThat(fake.lastRequest().body().has("system")).isFalse();
    }
  }

  @Test
  void anInterruptedToolCallGetsAnErrorResultAndAnOrphanResultIsDropped() throws Exception {
    var history = List.of(
        new ChatMessage(Role.USER, List.of(new ContentBlock.ToolResult("toolu_gone", "stale", false), new ContentBlock.Text("run it"))),
        new ChatMessage(Role.ASSISTANT, List.of(new ContentBlock.ToolUse("toolu_1", "Bash", Json.MAPPER.readTree("{\"command\":\"sleep 99\"}")))),
        ChatMessage.user("never mind, stop"));
    try (var fake = new FakeOpenAiServer()) {
      fake.enqueue(FakeOpenAiServer.completion().text("stopped"));

      workspace(fake).clientFor("databricks-gpt-5").stream(
          ModelRequest.of("databricks-gpt-5", null, history, List.of(), 1024), StreamListener.NONE, Cancellation.NEVER);

      assertThat(fake.lastRequest().body().path("messages")).isEqualTo(Json.MAPPER.readTree("""
          [
            {"role": "user", "content": "run it"},
            {"role": "assistant", "content": null, "tool_calls": [
              {"id": "toolu_1", "type": "function", "function": {"name": "Bash", "arguments": "{\\"command\\":\\"sleep 99\\"}"}}]},
            {"role": "tool", "tool_call_id": "toolu_1", "content": "Error: No result: the tool call was interrupted before it finished."},
            {"role": "user", "content": "never mind, stop"}
          ]"""));
    }
  }

  private static JsonNode stripCacheControl(JsonNode messages) {
    JsonNode copy = messages.deepCopy();
    copy.forEach(m -> m.path("content").forEach(b -> ((ObjectNode) b).remove("cache_control")));
    return copy;
  }
}
