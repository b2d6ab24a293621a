package dev.mason.project;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mason.testing.Api;
import dev.mason.testing.MasonDatabase;
import dev.mason.testing.TestMason;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Two users, every project, conversation and file route: the other user's ids answer 404 exactly
 * as ids that do not exist, and the owner keeps their data whatever the other user sends.
 */
class OwnershipTest {
  static TestMason mason;
  static Api alice;
  static Api bob;
  static String aliceProject;
  static String aliceConversation;
  static String bobProject;
  static String claudeMd;

  @BeforeAll
  static void start() throws Exception {
    mason = TestMason.start();
    alice = mason.as("alice@example.com");
    bob = mason.as("bob@example.com");
    aliceProject = alice.post("/api/projects", "{\"name\": \"alice's\"}").json().get("id").asText();
    aliceConversation = alice.post("/api/projects/" + aliceProject + "/conversations",
        "{\"title\": \"private\", \"warehouse_id\": \"wh\"}").json().get("id").asText();
    MasonDatabase.of(mason).useHandle(h -> h.createUpdate(
            "INSERT INTO messages (conversation_id, role, content) VALUES (:c, 'user', '[{\"type\":\"text\",\"text\":\"secret plan\"}]')")
        .bind("c", UUID.fromString(aliceConversation)).execute());
    claudeMd = Files.readString(folderOf(aliceProject).resolve("CLAUDE.md"));
    bobProject = bob.post("/api/projects", "{\"name\": \"bob's\"}").json().get("id").asText();
  }

  @AfterAll
  static void stop() {
    mason.close();
  }

  /** A request bob makes with alice's ids ({pid}, {cid}), or his own project with her conversation ({bpid}). */
  record Attempt(String method, String path, String body) {
    @Override
    public String toString() {
      return method + " " + path;
    }

    String resolve(String pid, String cid) {
      return path.replace("{pid}", pid).replace("{cid}", cid).replace("{bpid}", bobProject);
    }
  }

  static Stream<Arguments> attempts() {
    String project = "/api/projects/{pid}";
    String conversation = project + "/conversations/{cid}";
    String crossed = "/api/projects/{bpid}/conversations/{cid}";
    return Stream.of(
        new Attempt("GET", project, null),
        new Attempt("PATCH", project, "{\"name\": \"taken over\"}"),
        new Attempt("DELETE", project, null),
        new Attempt("GET", project + "/conversations", null),
        new Attempt("POST", project + "/conversations", "{\"title\": \"intruder\"}"),
        new Attempt("GET", conversation, null),
        new Attempt("PATCH", conversation, "{\"title\": \"taken over\", \"warehouse_id\": \"evil\"}"),
        new Attempt("DELETE", conversation, null),
        new Attempt("GET", crossed, null),
        new Attempt("PATCH", crossed, "{\"title\": \"taken over\"}"),
        new Attempt("DELETE", crossed, null),
        new Attempt("GET", project + "/files", null),
        new Attempt("GET", project + "/files/content?path=CLAUDE.md", null),
        new Attempt("GET", project + "/backup", null),
        new Attempt("DELETE", conversation + "/messages?from=1", null),
        // Routes other rooms serve under the project: the agent's and the skills'.
        new Attempt("GET", project + "/running", null),
        new Attempt("GET", conversation + "/executions", null),
        new Attempt("GET", project + "/skills/available", null),
        new Attempt("GET", project + "/skills/tree", null),
        new Attempt("GET", project + "/skills/file?path=databricks-sql/SKILL.md", null),
        new Attempt("PUT", project + "/skills/enabled", "{\"enabled_skills\": null}"),
        // Bad input on someone else's project still answers 404: validation must not reveal the id exists.
        new Attempt("PATCH", project, "{\"name\": 1}"),
        new Attempt("PATCH", conversation, "not json"),
        new Attempt("DELETE", conversation + "/messages?from=x", null),
        new Attempt("PUT", project + "/skills/enabled", "{\"enabled_skills\": [\"no-such-skill\"]}"),
        new Attempt("GET", project + "/skills/file?path=..", null))
        .map(Arguments::of);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("attempts")
  void anotherUsersIdsAnswer404LikeIdsThatDoNotExist(Attempt attempt) throws Exception {
    Api.Response response = bob.send(attempt.method(), attempt.resolve(aliceProject, aliceConversation), attempt.body());

    assertThat(response.status()).as(response.toString()).isEqualTo(404);
    String unknownProject = UUID.randomUUID().toString();
    String unknownConversation = UUID.randomUUID().toString();
    Api.Response unknown = bob.send(attempt.method(), attempt.resolve(unknownProject, unknownConversation), attempt.body());
    assertThat(unknown.status()).isEqualTo(404);
    assertThat(anonymised(response, aliceProject, aliceConversation))
        .as("the answer must not tell an existing id from a made-up one")
        .isEqualTo(anonymised(unknown, unknownProject, unknownConversation));
    assertThat(response.body()).doesNotContain("alice", "private", "secret plan");

    aliceStillHasEverything();
  }

  @Test
  void listingsShowOnlyTheCallersOwnProjects() {
    assertThat(bob.get("/api/projects").json().findValuesAsText("id")).containsExactly(bobProject);
    assertThat(alice.get("/api/projects").json().findValuesAsText("id")).containsExactly(aliceProject);
  }

  @Test
  void aHardLinkPlantedInAnotherProjectDoesNotShowAlicesFile() throws Exception {
    Path planted = folderOf(bobProject).resolve("stolen.md");
    Files.createLink(planted, folderOf(aliceProject).resolve("CLAUDE.md"));
    try {
      Api.Response response = bob.get("/api/projects/" + bobProject + "/files/content?path=stolen.md");

      assertThat(response.status()).as(response.toString()).isEqualTo(400);
      assertThat(response.json().get("error").asText()).contains("stolen.md", "hard link");
      assertThat(response.body()).doesNotContain("alice");
    } finally {
      Files.delete(planted);
    }
    aliceStillHasEverything();
  }

  private static void aliceStillHasEverything() throws Exception {
    JsonNode project = alice.get("/api/projects/" + aliceProject).json();
    assertThat(project.get("name").asText()).isEqualTo("alice's");
    assertThat(project.get("user_email").asText()).isEqualTo("alice@example.com");
    JsonNode conversations = alice.get("/api/projects/" + aliceProject + "/conversations").json();
    assertThat(conversations.findValuesAsText("id")).containsExactly(aliceConversation);
    JsonNode conversation = alice.get("/api/projects/" + aliceProject + "/conversations/" + aliceConversation).json();
    assertThat(conversation.get("title").asText()).isEqualTo("private");
    assertThat(conversation.get("warehouse_id").asText()).isEqualTo("wh");
    assertThat(conversation.get("messages")).hasSize(1);
    assertThat(Files.readString(folderOf(aliceProject).resolve("CLAUDE.md"))).isEqualTo(claudeMd);
    assertThat(alice.get("/api/projects/" + aliceProject + "/files/content?path=CLAUDE.md").json().get("content").asText())
        .isEqualTo(claudeMd);
    assertThat(bob.get("/api/projects/" + bobProject + "/conversations").json()).isEmpty();
  }

  private static String anonymised(Api.Response response, String projectId, String conversationId) {
    return response.body().replace(projectId, "<pid>").replace(conversationId, "<cid>");
  }

  private static Path folderOf(String projectId) {
    return mason.home().resolve("projects").resolve(projectId);
  }
}
