package dev.mason.terminal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mason.databricks.FakeTokens;
import dev.mason.databricks.FakeWorkspace;
import dev.mason.testing.CachedClis;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The real Codex, Gemini CLI and OpenCode from npm, each run non-interactively in a real Mason
 * shell against the fake workspace's endpoints through Mason's gateway, with nothing but the
 * configuration Mason wrote for them.
 */
class CliAgentsTest {
  static final String OWNER_TOKEN = "dapi-owner-agents";
  static WiredMason wired;
  static FakeWorkspace workspace;
  static TerminalMason mason;

  @BeforeAll
  static void start() {
    wired = WiredMason.start(OWNER_TOKEN, Map.of("MASON_CLIS_DIR", CachedClis.folder().toString()));
    workspace = wired.workspace();
    mason = wired.mason();
  }

  @AfterAll
  static void stop() {
    wired.close();
  }

  @Test
  void codexExecAnswersFromTheResponsesEndpointThroughTheGateway() throws IOException {
    String out = run("codex", "codex exec --skip-git-repo-check 'Say hello'");
    assertThat(out).contains("Hello from the fake endpoint");
    var calls = upstream("/serving-endpoints/responses");
    assertThat(calls.get(0).json().path("model").asText()).isEqualTo("databricks-gpt-5-3-codex");
    assertThat(calls.get(0).json().path("stream").asBoolean()).isTrue();
  }

  @Test
  void geminiCliAnswersFromTheGeminiEndpointThroughTheGateway() throws IOException {
    String out = run("gemini", "gemini -p 'Say hello'");
    assertThat(out).contains("Hello from the fake endpoint");
    assertThat(upstream("/serving-endpoints/google/v1beta/models/databricks-gemini-2-5-pro:")).isNotEmpty();
  }

  @Test
  void openCodeRunAnswersFromTheAnthropicEndpointThroughTheGateway() throws IOException {
    String out = run("opencode", "opencode run 'Say hello'");
    assertThat(out).contains("Hello from the fake endpoint");
    assertThat(upstream("/serving-endpoints/anthropic/v1/messages")).isNotEmpty();
  }

  /** Runs {@code command} in a new shell, its output to a file; returns that output once it exits 0. */
  private static String run(String name, String command) throws IOException {
    String id = mason.newSession();
    Poller poller = new Poller(mason.owner(), id, "tab-" + name, 0, null);
    Path out = mason.home().resolve(name + "-out.txt");
    mason.input(id, command + " < /dev/null > " + out + " 2>&1; echo \"" + name.toUpperCase() + "-EXIT=$? END-$((40+2))\"\n");
    String text = poller.until("END-42", Duration.ofSeconds(120)).text();
    String output = Files.exists(out) ? Files.readString(out) : "";
    assertThat(text).as(output).contains(name.toUpperCase() + "-EXIT=0");
    return output;
  }

  /** The fake's requests under {@code prefix}, each checked to carry a token Mason minted. */
  private static List<FakeWorkspace.Received> upstream(String prefix) {
    Set<String> minted = workspace.tokens().minted().stream().map(FakeTokens.Minted::value).collect(Collectors.toSet());
    List<FakeWorkspace.Received> calls = workspace.requests(prefix);
    assertThat(calls).isNotEmpty().allSatisfy(call -> assertThat(call.token()).isIn(minted));
    return calls;
  }
}
