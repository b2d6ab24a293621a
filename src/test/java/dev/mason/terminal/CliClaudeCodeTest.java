package dev.mason.terminal;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mason.databricks.FakeTokens;
import dev.mason.databricks.FakeWorkspace;
import dev.mason.testing.CachedClis;
import dev.mason.web.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The real Claude Code from npm, in a real Mason shell through the PTY: {@code claude -p} reaches
 * the fake workspace's Anthropic endpoint through Mason's gateway with the current rotated token,
 * is offered Mason's MCP tools, and its scripted {@code execute_sql} runs on the fake workspace as
 * the owner.
 */
class CliClaudeCodeTest {
  static final String OWNER_TOKEN = "dapi-owner-claude";
  static final String WAREHOUSE = "wh-claude";
  static WiredMason wired;
  static FakeWorkspace workspace;
  static TerminalMason mason;

  @BeforeAll
  static void start() {
    // A revocation grace (half the interval) longer than the run: a tool call keeps the token it
    // started with, so a statement polled past that token's revocation would fail.
    wired = WiredMason.start(OWNER_TOKEN, Map.of("PAT_ROTATION_INTERVAL", "30", "PAT_TOKEN_LIFETIME", "90",
        "MASON_CLIS_DIR", CachedClis.folder().toString()));
    workspace = wired.workspace().addWarehouse(WAREHOUSE, "Terminal warehouse", "RUNNING", TerminalMason.OWNER);
    mason = wired.mason();
  }

  @AfterAll
  static void stop() {
    wired.close();
  }

  @Test
  void claudePrintModeStreamsThroughTheGatewayAndRunsExecuteSqlThroughMasonsMcpAsTheOwner() throws IOException {
    workspace.models().scriptToolUse("mcp__mason__execute_sql",
        "{\"sql_query\": \"SELECT 6 * 7 AS answer\", \"warehouse_id\": \"" + WAREHOUSE + "\"}");
    workspace.clearRequests();
    String id = mason.newSession();
    Poller poller = new Poller(mason.owner(), id, "tab-claude", 0, null);
    Path out = mason.home().resolve("claude-out.jsonl");
    mason.input(id, "claude -p 'How much is six times seven? Use SQL.' --output-format stream-json --verbose"
        + " --allowedTools mcp__mason__execute_sql > " + out + " 2> " + out + ".err; echo \"CLAUDE-EXIT=$? END-$((40+2))\"\n");
    String text = poller.until("END-42", Duration.ofSeconds(120)).text();
    assertThat(text).as(Files.exists(out) ? Files.readString(out) + Files.readString(Path.of(out + ".err")) : "no output")
        .contains("CLAUDE-EXIT=0");

    List<JsonNode> events = new ArrayList<>();
    for (String line : Files.readAllLines(out)) {
      if (!line.isBlank()) {
        events.add(Json.MAPPER.readTree(line));
      }
    }
    JsonNode init = events.stream().filter(e -> "init".equals(e.path("subtype").asText())).findFirst().orElseThrow();
    List<String> tools = new ArrayList<>();
    init.path("tools").forEach(t -> tools.add(t.asText()));
    assertThat(tools).as("Mason's MCP tools are offered directly").contains("mcp__mason__execute_sql", "mcp__mason__manage_jobs");
    assertThat(init.path("mcp_servers").toString()).contains("\"name\":\"mason\"").contains("\"status\":\"connected\"");
    JsonNode result = events.get(events.size() - 1);
    assertThat(result.path("type").asText()).isEqualTo("result");
    assertThat(result.path("is_error").asBoolean()).isFalse();
    assertThat(result.path("result").asText()).isEqualTo("Hello from the fake endpoint");

    List<FakeWorkspace.Received> calls = workspace.requests("/serving-endpoints/anthropic/v1/messages");
    Set<String> minted = workspace.tokens().minted().stream().map(FakeTokens.Minted::value).collect(Collectors.toSet());
    assertThat(calls).isNotEmpty().allSatisfy(call -> {
      assertThat(call.token()).as("a token Mason minted, never the owner's own").isIn(minted);
      assertThat(call.headers()).containsEntry("x-databricks-use-coding-agent-mode", "true");
    });
    assertThat(workspace.tokens().misuses()).as("no call used a revoked or expired token").isEmpty();
    FakeWorkspace.Received answered = calls.stream().filter(c -> c.body().contains("\"tool_result\"")).findFirst().orElseThrow();
    assertThat(answered.body()).contains("42");
    assertThat(answered.json().path("model").asText()).startsWith("databricks-claude-");

    List<FakeWorkspace.Received> sql = workspace.requests("/api/2.0/sql/statements");
    assertThat(sql).isNotEmpty().allSatisfy(call -> assertThat(call.token()).isIn(minted));
    assertThat(sql.get(0).json().path("statement").asText()).isEqualTo("SELECT 6 * 7 AS answer");
    assertThat(sql.get(0).json().path("warehouse_id").asText()).isEqualTo(WAREHOUSE);
  }
}
