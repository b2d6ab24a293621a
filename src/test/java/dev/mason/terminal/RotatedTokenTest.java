package dev.mason.terminal;

import static dev.mason.agent.llm.FakeAnthropicServer.message;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mason.agent.llm.FakeAnthropicServer;
import dev.mason.databricks.FakeTokens;
import dev.mason.databricks.FakeWorkspace;
import dev.mason.mcp.McpFixture;
import dev.mason.testing.Eventually;
import dev.mason.tracing.FakeMlflow;
import dev.mason.web.Json;
import io.modelcontextprotocol.client.McpSyncClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Work that a terminal hands Mason holds the owner's minted token for longer than a rotation: a
 * delegated task started over /mcp with the shell's session secret goes on acting as the owner
 * after the token it started with was replaced and revoked, and never sends that token again: not
 * to the workspace, and not with its traces to MLflow.
 */
class RotatedTokenTest {
  static final String OWNER_TOKEN = "dapi-owner-own";

  @Test
  void aDelegatedTaskKeepsActingAsTheOwnerAfterTheTokenItStartedWithIsRevoked() throws Exception {
    Path gate = Files.createTempDirectory("rotated-token").resolve("open");
    try (FakeWorkspace workspace = FakeWorkspace.start().addUser(OWNER_TOKEN, TerminalMason.OWNER);
        FakeAnthropicServer model = new FakeAnthropicServer();
        FakeMlflow mlflow = FakeMlflow.start()) {
      model.alwaysAnswer("mini", message().text("A title"));
      model.enqueue(
          // Holds the run until the test has seen the token it started with revoked.
          message().toolUse("tu_wait", "Bash", Json.write(Map.of("command", "while [ ! -e '" + gate + "' ]; do sleep 0.1; done; echo open"))),
          message().toolUse("tu_me", "get_current_user", "{}"),
          message().text("You are the owner."));
      try (TerminalMason mason = TerminalMason.start(Map.of("DATABRICKS_HOST", workspace.url(),
          "PAT_ROTATION_INTERVAL", "1", "PAT_TOKEN_LIFETIME", "60", "MASON_BASH", "host", "MLFLOW_TRACKING_URI", mlflow.url(),
          "ANTHROPIC_BASE_URL", model.baseUrl(), "ANTHROPIC_AUTH_TOKEN", "t", "ANTHROPIC_MODEL", "main", "ANTHROPIC_MODEL_MINI", "mini"))) {
        var configured = mason.owner().post("/api/configure-pat", Json.write(Map.of("token", OWNER_TOKEN)));
        assertThat(configured.status()).as(configured.toString()).isEqualTo(200);
        String secret = mason.sessionSecret(mason.newSession());

        JsonNode started;
        int mintedSoFar;
        try (McpSyncClient client = McpFixture.client(mason.baseUrl(), secret, null)) {
          started = McpFixture.call(client, "mason_run", "{\"prompt\": \"who am I?\"}");
          mintedSoFar = workspace.tokens().minted().size();
        }
        List<FakeTokens.Minted> before = workspace.tokens().minted().subList(0, mintedSoFar);
        Eventually.await(Duration.ofSeconds(30), "every token minted before the task started to be revoked",
            () -> before.stream().allMatch(t -> workspace.tokens().isDeleted(t.id())));
        int exportsBefore = mlflow.exports().size();
        Files.createFile(gate);

        String conversation = "/api/projects/" + started.get("project_id").asText() + "/conversations/"
            + started.get("conversation_id").asText();
        Eventually.await(Duration.ofSeconds(30), "the task's run to end",
            () -> mason.owner().get(conversation).json().get("messages").toString().contains("You are the owner."));
        JsonNode me = null;
        for (JsonNode message : mason.owner().get(conversation).json().get("messages")) {
          for (JsonNode block : message.path("content")) {
            if (block.path("type").asText().equals("tool_result") && block.path("tool_use_id").asText().equals("tu_me")) {
              me = block;
            }
          }
        }
        assertThat(me).as("get_current_user's result in the conversation").isNotNull();
        assertThat(me.path("is_error").asBoolean()).as(me.toString()).isFalse();
        assertThat(me.toString()).contains(TerminalMason.OWNER);
        assertThat(workspace.tokens().misuses()).as("no request went out with a revoked or expired token").isEmpty();

        Eventually.await(Duration.ofSeconds(30), "the run's spans exported",
            () -> mlflow.exports().size() > exportsBefore);
        List<String> revoked = before.stream().map(t -> "Bearer " + t.value()).toList();
        assertThat(mlflow.exports().subList(exportsBefore, mlflow.exports().size()))
            .extracting(FakeMlflow.Export::authorization)
            .as("spans exported after the task's first token was revoked").doesNotContainAnyElementsOf(revoked);
      }
    }
  }
}
