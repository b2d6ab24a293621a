package dev.mason.agent.llm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.mason.agent.message.ChatMessage;
import dev.mason.agent.tool.Cancellation;
import dev.mason.env.ConfigException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ModelSettingsTest {
  private static final RetryPolicy FAST = new RetryPolicy(2, Duration.ofMillis(5), Duration.ofMillis(50));

  @Test
  void aWorkspaceAloneServesDatabricksModelNamesByDefault() {
    var settings = ModelSettings.fromEnv(Map.of("DATABRICKS_HOST", "adb-123.azuredatabricks.net/", "DATABRICKS_TOKEN", "dapi-x"));

    assertThat(settings.configured()).isTrue();
    assertThat(settings.databricksHost()).isEqualTo("https://adb-123.azuredatabricks.net");
    assertThat(settings.defaultModel()).isEqualTo("databricks-claude-sonnet-4-5");
    assertThat(settings.miniModel()).isEqualTo("databricks-claude-haiku-4-5");
  }

  @Test
  void theAnthropicApiServesAnthropicModelNamesAndTheModelVariablesWin() {
    var api = ModelSettings.fromEnv(Map.of("ANTHROPIC_API_KEY", "sk-ant-x"));
    assertThat(api.defaultModel()).isEqualTo("claude-sonnet-4-5");
    assertThat(api.miniModel()).isEqualTo("claude-haiku-4-5");

    var chosen = ModelSettings.fromEnv(Map.of("ANTHROPIC_API_KEY", "sk-ant-x", "ANTHROPIC_MODEL", "claude-opus-4-1", "ANTHROPIC_MODEL_MINI", "claude-3-5-haiku"));
    assertThat(chosen.defaultModel()).isEqualTo("claude-opus-4-1");
    assertThat(chosen.miniModel()).isEqualTo("claude-3-5-haiku");
  }

  @Test
  void withNothingSetNoModelIsConfiguredAndEveryCallSaysWhatToSet() {
    var settings = ModelSettings.fromEnv(Map.of("DATABRICKS_HOST", "https://x.cloud.databricks.com", "ANTHROPIC_API_KEY", "  "));

    assertThat(settings.configured()).isFalse();
    assertThat(settings.defaultModel()).isNull();
    assertThat(settings.whatToSet())
        .contains("ANTHROPIC_API_KEY", "DATABRICKS_HOST and DATABRICKS_TOKEN", "ANTHROPIC_BASE_URL and ANTHROPIC_AUTH_TOKEN", "OPENAI_API_KEY")
        .contains("DATABRICKS_HOST is set but DATABRICKS_TOKEN is not");

    ModelException error = catchThrowableOfType(ModelException.class, () -> new ModelRouter(settings, ModelRouter.newHttpClient())
        .clientFor("anything")
        .stream(ModelRequest.of("anything", null, List.of(ChatMessage.user("hi")), List.of(), 100), StreamListener.NONE, Cancellation.NEVER));
    assertThat(error.getMessage()).isEqualTo(settings.whatToSet());
  }

  @Test
  void toStringMasksEveryKeyAndToken() {
    var settings = ModelSettings.fromEnv(Map.of(
        "ANTHROPIC_API_KEY", "sk-ant-KEY1", "ANTHROPIC_AUTH_TOKEN", "TOKEN2", "OPENAI_API_KEY", "sk-KEY3",
        "DATABRICKS_HOST", "https://x.cloud.databricks.com", "DATABRICKS_TOKEN", "dapiTOKEN4"));

    assertThat(settings.toString()).contains("https://x.cloud.databricks.com", "****")
        .doesNotContain("KEY1", "TOKEN2", "KEY3", "TOKEN4");
    assertThat(new ModelRouter(settings, ModelRouter.newHttpClient()).toString()).doesNotContain("KEY1", "TOKEN2", "KEY3", "TOKEN4");
  }

  @Test
  void aBaseUrlThatIsNotAUrlIsRefusedNamingTheVariable() {
    assertThatThrownBy(() -> ModelSettings.fromEnv(Map.of("ANTHROPIC_BASE_URL", "localhost:8080")))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("ANTHROPIC_BASE_URL");
    assertThatThrownBy(() -> ModelSettings.fromEnv(Map.of("OPENAI_BASE_URL", "ftp://example.com")))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("OPENAI_BASE_URL");
  }

  @Test
  void claudeNamesGoToTheAnthropicEndpointAndOthersToTheOpenAiEndpoint() throws Exception {
    try (var anthropic = new FakeAnthropicServer(); var openAi = new FakeOpenAiServer()) {
      var router = new ModelRouter(ModelSettings.fromEnv(Map.of(
          "ANTHROPIC_BASE_URL", anthropic.baseUrl(), "ANTHROPIC_AUTH_TOKEN", "gateway-token",
          "OPENAI_BASE_URL", openAi.baseUrl(), "OPENAI_API_KEY", "sk-local")), ModelRouter.newHttpClient(), FAST, Duration.ofSeconds(20));
      anthropic.enqueue(FakeAnthropicServer.message().text("from claude"));
      openAi.enqueue(FakeOpenAiServer.completion().text("from gpt"));

      assertThat(call(router, "Claude-Opus-4-1").text()).isEqualTo("from claude");
      assertThat(call(router, "gpt-5").text()).isEqualTo("from gpt");
      assertThat(anthropic.lastRequest().header("authorization")).isEqualTo("Bearer gateway-token");
      assertThat(anthropic.lastRequest().header("x-databricks-use-coding-agent-mode")).isNull();
    }
  }

  @Test
  void aModelNamedInAnthropicModelIsServedOverTheAnthropicProtocolWhateverItsName() throws Exception {
    try (var anthropic = new FakeAnthropicServer(); var openAi = new FakeOpenAiServer()) {
      var router = new ModelRouter(ModelSettings.fromEnv(Map.of(
          "ANTHROPIC_BASE_URL", anthropic.baseUrl(), "ANTHROPIC_AUTH_TOKEN", "gateway-token",
          "ANTHROPIC_MODEL", "house-model", "ANTHROPIC_MODEL_MINI", "house-mini",
          "OPENAI_BASE_URL", openAi.baseUrl(), "OPENAI_API_KEY", "sk-local")), ModelRouter.newHttpClient(), FAST, Duration.ofSeconds(20));
      anthropic.enqueue(FakeAnthropicServer.message().text("big"));
      anthropic.enqueue(FakeAnthropicServer.message().text("small"));
      openAi.enqueue(FakeOpenAiServer.completion().text("from gpt"));

      assertThat(call(router, "house-model").text()).isEqualTo("big");
      assertThat(call(router, "house-mini").text()).isEqualTo("small");
      assertThat(call(router, "gpt-5").text()).isEqualTo("from gpt");
    }
  }

  @Test
  void theSummaryForThePageNamesTheModelAndEndpointAndNoSecret() {
    var configured = ModelSettings.fromEnv(Map.of("ANTHROPIC_API_KEY", "sk-ant-secret"));
    assertThat(configured.summary()).containsEntry("configured", true).containsEntry("default_model", "claude-sonnet-4-5")
        .containsEntry("endpoint", "the Anthropic API").containsEntry("what_to_set", null);
    assertThat(configured.summary().toString()).doesNotContain("sk-ant-secret");

    var workspace = ModelSettings.fromEnv(Map.of("DATABRICKS_HOST", "https://adb-1.azuredatabricks.net", "DATABRICKS_TOKEN", "dapi-x"));
    assertThat(workspace.summary().get("endpoint")).isEqualTo("Anthropic-compatible endpoint of Databricks workspace https://adb-1.azuredatabricks.net");

    var none = ModelSettings.fromEnv(Map.of());
    assertThat(none.summary()).containsEntry("configured", false).containsEntry("what_to_set", none.whatToSet());
  }

  @Test
  void withOneProtocolConfiguredItServesEveryModelName() throws Exception {
    try (var anthropic = new FakeAnthropicServer()) {
      var router = new ModelRouter(ModelSettings.fromEnv(Map.of("ANTHROPIC_BASE_URL", anthropic.baseUrl(), "ANTHROPIC_API_KEY", "k")),
          ModelRouter.newHttpClient(), FAST, Duration.ofSeconds(20));
      anthropic.enqueue(FakeAnthropicServer.message().text("served anyway"));

      assertThat(call(router, "some-other-model").text()).isEqualTo("served anyway");
    }
  }

  @Test
  void anAnthropicBaseUrlOnTheWorkspaceGetsTheCodingAgentHeader() throws Exception {
    try (var fake = new FakeAnthropicServer()) {
      var router = new ModelRouter(ModelSettings.fromEnv(Map.of(
          "ANTHROPIC_BASE_URL", fake.baseUrl() + "/serving-endpoints/anthropic", "ANTHROPIC_AUTH_TOKEN", "dapi-rotating")),
          ModelRouter.newHttpClient(), FAST, Duration.ofSeconds(20));
      fake.enqueue(FakeAnthropicServer.message().text("ok"));

      call(router, "databricks-claude-opus-4-6");

      assertThat(fake.lastRequest().path()).isEqualTo("/serving-endpoints/anthropic/v1/messages");
      assertThat(fake.lastRequest().header("authorization")).isEqualTo("Bearer dapi-rotating");
      assertThat(fake.lastRequest().header("x-databricks-use-coding-agent-mode")).isEqualTo("true");
    }
  }

  private static ModelTurn call(ModelRouter router, String model) throws ModelException {
    return router.clientFor(model).stream(ModelRequest.of(model, null, List.of(ChatMessage.user("hi")), List.of(), 100),
        StreamListener.NONE, Cancellation.NEVER);
  }
}
