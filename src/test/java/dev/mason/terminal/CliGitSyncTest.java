package dev.mason.terminal;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mason.databricks.FakeTokens;
import dev.mason.databricks.FakeWorkspace;
import dev.mason.testing.Eventually;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Commits in a real Mason shell: the owner's workspace identity on them from Mason's own git
 * config, and each commit synced by Mason to the owner's workspace folder: the whole tree the first
 * time, then only what changed.
 */
class CliGitSyncTest {
  static final String OWNER_TOKEN = "dapi-owner-git";
  static final String DESTINATION = "/Workspace/Users/" + TerminalMason.OWNER + "/projects/repo1";
  static WiredMason wired;
  static FakeWorkspace workspace;
  static TerminalMason mason;

  @BeforeAll
  static void start() {
    wired = WiredMason.start(OWNER_TOKEN, Map.of());
    workspace = wired.workspace();
    mason = wired.mason();
  }

  @AfterAll
  static void stop() {
    wired.close();
  }

  @Test
  void aCommitSyncsItsFilesToTheOwnersWorkspaceFolderAndTheNextOneOnlyWhatChanged() {
    String id = mason.newSession();
    Poller poller = new Poller(mason.owner(), id, "tab-git", 0, null);
    workspace.clearRequests();
    mason.input(id, "mkdir -p repo1/docs && cd repo1 && git init -q && echo one > a.txt && echo two > b.txt && echo guide > docs/guide.md"
        + " && git add . && git commit -qm first && echo \"AUTHOR=$(git log -1 --format='%an <%ae>')\"; echo G1-$((6*7))\n");
    assertThat(poller.until("G1-42", Duration.ofSeconds(20)).text()).contains("AUTHOR=owner <" + TerminalMason.OWNER + ">");
    JsonNode first = awaitSynced(null);
    assertThat(first.path("workspace_path").asText()).isEqualTo(DESTINATION);
    assertThat(first.path("uploaded").asInt()).isEqualTo(3);
    assertThat(imports()).containsOnlyKeys(DESTINATION + "/a.txt", DESTINATION + "/b.txt", DESTINATION + "/docs/guide.md")
        .containsEntry(DESTINATION + "/a.txt", "one\n");
    assertThat(workspace.requests("/api/2.0/workspace/delete")).isEmpty();

    workspace.clearRequests();
    mason.input(id, "echo uno > a.txt && git rm -q b.txt && echo three > c.txt && git add . && git commit -qm second; echo G2-$((7*7))\n");
    poller.until("G2-49", Duration.ofSeconds(20));
    JsonNode second = awaitSynced(first.path("last_commit").asText());
    assertThat(second.path("uploaded").asInt()).isEqualTo(2);
    assertThat(second.path("deleted").asInt()).isEqualTo(1);
    assertThat(imports()).as("only what the commit changed").containsOnlyKeys(DESTINATION + "/a.txt", DESTINATION + "/c.txt")
        .containsEntry(DESTINATION + "/a.txt", "uno\n");
    assertThat(workspace.requests("/api/2.0/workspace/delete")).singleElement()
        .satisfies(r -> assertThat(r.json().path("path").asText()).isEqualTo(DESTINATION + "/b.txt"));

    Set<String> minted = workspace.tokens().minted().stream().map(FakeTokens.Minted::value).collect(Collectors.toSet());
    assertThat(workspace.requests("/api/2.0/workspace/")).allSatisfy(r -> assertThat(r.token()).as("as the owner").isIn(minted));
    assertThat(mason.home().resolve(".gitconfig")).as("the owner's own git config is never written").doesNotExist();

    var retried = mason.owner().post("/api/workspace-sync", TerminalMason.Json.object("repo", "repo1"));
    assertThat(retried.status()).isEqualTo(200);
    assertThat(mason.as("mallory@example.com").get("/api/workspace-sync").status()).isEqualTo(403);
    var forged = new dev.mason.testing.Api(mason.baseUrl(), Map.of("Authorization", "Bearer mason-session-forged"))
        .post("/api/workspace-sync/commit", TerminalMason.Json.object("path", mason.home().resolve("projects/repo1").toString()));
    assertThat(forged.status()).isEqualTo(401);
  }

  /** Waits until repo1's record is synced at a commit other than {@code previous}. */
  private static JsonNode awaitSynced(String previous) {
    JsonNode[] found = new JsonNode[1];
    Eventually.await(Duration.ofSeconds(20), "repo1 synced", () -> {
      for (JsonNode record : mason.owner().get("/api/workspace-sync").json().path("repositories")) {
        if (record.path("repo").asText().equals("repo1") && record.path("status").asText().equals("synced")
            && !record.path("last_commit").asText().equals(previous)) {
          found[0] = record;
          return true;
        }
      }
      return false;
    });
    return found[0];
  }

  /** Workspace path to content of every import received. */
  private static Map<String, String> imports() {
    List<FakeWorkspace.Received> requests = workspace.requests("/api/2.0/workspace/import");
    return requests.stream().collect(Collectors.toMap(r -> r.json().path("path").asText(),
        r -> new String(Base64.getDecoder().decode(r.json().path("content").asText()), StandardCharsets.UTF_8), (a, b) -> b));
  }
}
