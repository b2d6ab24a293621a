package dev.mason.terminal;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mason.clis.CliPins;
import dev.mason.clis.Cli;
import dev.mason.testing.CachedClis;
import dev.mason.testing.Eventually;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The CLIs' setup as the owner and scripts see it: {@code /api/setup-status} in the reference's
 * shape, the summary in {@code /health}, the CLIs first on a real shell's PATH, and a failed
 * install that leaves Mason healthy and says why.
 */
class CliSetupTest {
  @Test
  void clisAlreadyInstalledInTheAppFolderAreReadyAtTheirPinsAndFirstOnAShellsPath() {
    Path folder = CachedClis.folder();
    try (var mason = TerminalMason.start(Map.of("MASON_CLIS_DIR", folder.toString()))) {
      JsonNode status = awaitSetup(mason, "complete");
      assertThat(status.path("steps")).hasSize(Cli.values().length);
      CliPins pins = CliPins.shipped();
      for (JsonNode step : status.path("steps")) {
        Cli cli = Cli.byId(step.path("id").asText()).orElseThrow();
        assertThat(step.path("status").asText()).isEqualTo("complete");
        assertThat(step.path("version").asText()).isEqualTo(pins.version(cli));
        assertThat(step.path("label").asText()).isEqualTo(cli.label());
        assertThat(step.has("started_at") && step.has("completed_at") && step.has("error")).isTrue();
      }
      JsonNode health = mason.owner().get("/health").json();
      assertThat(health.path("status").asText()).isEqualTo("healthy");
      assertThat(health.path("setup_status").path("status").asText()).isEqualTo("complete");
      assertThat(health.path("setup_status").path("ready")).hasSize(Cli.values().length);

      String id = mason.newSession();
      Poller poller = new Poller(mason.owner(), id, "tab-path", 0, null);
      mason.input(id, "echo \"FIRST=${PATH%%:*}\"; command -v claude codex gemini opencode; claude --version; echo DONE-$((2*21))\n");
      String out = poller.until("DONE-42", Duration.ofSeconds(60)).text();
      Path bin = folder.resolve("node_modules/.bin");
      assertThat(out).contains("FIRST=" + bin).contains(bin.resolve("claude").toString()).contains(bin.resolve("opencode").toString())
          .contains(pins.version(Cli.CLAUDE) + " (Claude Code)");
    }
  }

  @Test
  void anUnreachableRegistryLeavesMasonHealthyTheReasonVisibleAndShellsWorking() {
    try (var mason = TerminalMason.start(Map.of("MASON_CLIS_INSTALL", "true", "npm_config_registry", "http://127.0.0.1:9/",
        "npm_config_fetch_retries", "0"))) {
      assertThat(mason.owner().get("/health").json().path("status").asText()).isEqualTo("healthy");
      String id = mason.newSession();
      assertThat(id).as("a shell opens while the CLIs install").isNotBlank();

      JsonNode status = awaitSetup(mason, "error");
      for (JsonNode step : status.path("steps")) {
        assertThat(step.path("status").asText()).isEqualTo("error");
        assertThat(step.path("error").asText()).startsWith("registry unreachable (http://127.0.0.1:9/)");
      }
      assertThat(status.path("error").asText()).contains("Claude Code: registry unreachable");
      assertThat(mason.owner().get("/health").status()).isEqualTo(200);
      assertThat(mason.owner().get("/health").json().path("setup_status").path("failed")).hasSize(Cli.values().length);

      var launch = mason.owner().post("/api/session", TerminalMason.Json.object("label", "Claude Code", "cli", "claude"));
      assertThat(launch.status()).isEqualTo(409);
      assertThat(launch.json().path("error").asText()).startsWith("Claude Code could not be installed: registry unreachable");
      var unknown = mason.owner().post("/api/session", TerminalMason.Json.object("cli", "hermes-x"));
      assertThat(unknown.status()).isEqualTo(400);
      assertThat(unknown.json().path("field").asText()).isEqualTo("cli");
    }
  }

  @Test
  void hermesAlreadyOnTheShellsPathIsWiredToTheGatewayAndMasonsMcpWithNoSecretInItsConfig() throws Exception {
    try (var mason = TerminalMason.start(Map.of("MASON_CLIS_INSTALL", "false"))) {
      String plain = mason.newSession();
      Poller before = new Poller(mason.owner(), plain, "tab-plain", 0, null);
      mason.input(plain, "echo \"HH=[${HERMES_HOME:-none}]\"; echo DONE-$((2*21))\n");
      assertThat(before.until("DONE-42", Duration.ofSeconds(30)).text()).as("no Hermes, no wiring").contains("HH=[none]");

      // Where Hermes' own installer links it.
      Path hermes = mason.home().resolve(".local/bin/hermes");
      java.nio.file.Files.createDirectories(hermes.getParent());
      java.nio.file.Files.writeString(hermes, "#!/bin/sh\necho \"HOME-OF-HERMES=$HERMES_HOME\"\ncat \"$HERMES_HOME/config.yaml\"\n");
      assertThat(hermes.toFile().setExecutable(true)).isTrue();

      String id = mason.newSession();
      Poller poller = new Poller(mason.owner(), id, "tab-hermes", 0, null);
      mason.input(id, "hermes; ls \"$HERMES_HOME\"; echo DONE-$((2*21))\n");
      String out = poller.until("DONE-42", Duration.ofSeconds(30)).text();
      assertThat(out).contains("HOME-OF-HERMES=").contains("provider: custom")
          .contains("base_url: \"" + mason.baseUrl() + "/gateway/openai/v1\"")
          .contains("url: \"" + mason.baseUrl() + "/mcp\"")
          .contains("Authorization: \"Bearer ${MASON_SESSION_SECRET}\"")
          .contains("HERMES.md").contains("skills");
    }
  }

  private static JsonNode awaitSetup(TerminalMason mason, String status) {
    JsonNode[] last = new JsonNode[1];
    Eventually.await(Duration.ofSeconds(120), "setup-status " + status, () -> {
      last[0] = mason.owner().get("/api/setup-status").json();
      return last[0].path("status").asText().equals(status);
    });
    return last[0];
  }
}
