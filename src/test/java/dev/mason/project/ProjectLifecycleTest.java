package dev.mason.project;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mason.testing.Api;
import dev.mason.testing.MasonDatabase;
import dev.mason.testing.TestMason;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.UUID;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Projects, conversations and files end to end, through HTTP, with the rows checked in PostgreSQL. */
class ProjectLifecycleTest {
  static TestMason mason;
  static Jdbi db;
  static Api alice;

  @BeforeAll
  static void start() {
    mason = TestMason.start();
    db = MasonDatabase.of(mason);
    alice = mason.as("alice@example.com");
  }

  @AfterAll
  static void stop() {
    mason.close();
  }

  @Test
  void projectsAreListedNewestFirstAndRenamed() {
    String first = createProject("first");
    String second = createProject("second");

    assertThat(alice.get("/api/projects").json().findValuesAsText("id")).containsSubsequence(second, first);

    var renamed = alice.patch("/api/projects/" + first, "{\"name\": \"  renamed  \"}");
    assertThat(renamed.status()).isEqualTo(200);
    assertThat(renamed.json().get("name").asText()).isEqualTo("renamed");
    assertThat(alice.get("/api/projects/" + first).json().get("name").asText()).isEqualTo("renamed");
  }

  @Test
  void aNameOfExactly255CharactersIsAcceptedAndKeptWhole() {
    String name = "é".repeat(255);
    String id = createProject(name);

    assertThat(alice.get("/api/projects/" + id).json().get("name").asText()).isEqualTo(name);
  }

  @Test
  void conversationsCarryTheirSettingsAndAcceptPartialUpdates() {
    String project = createProject("settings");
    var created = alice.post("/api/projects/" + project + "/conversations", """
        {"title": "Load sales", "cluster_id": "0101-abc", "warehouse_id": "wh1", "default_catalog": "main",
         "default_schema": "sales", "workspace_folder": "/Workspace/Users/alice@example.com/x", "model": "databricks-claude-sonnet-4-5"}""");
    assertThat(created.status()).isEqualTo(201);
    String id = created.json().get("id").asText();

    var patched = alice.patch("/api/projects/" + project + "/conversations/" + id, "{\"warehouse_id\": \"wh2\", \"cluster_id\": \"\"}");
    assertThat(patched.status()).isEqualTo(200);

    JsonNode read = alice.get("/api/projects/" + project + "/conversations/" + id).json();
    assertThat(read.get("title").asText()).isEqualTo("Load sales");
    assertThat(read.get("project_id").asText()).isEqualTo(project);
    assertThat(read.get("cluster_id").isNull()).as("an empty string clears a setting").isTrue();
    assertThat(read.get("warehouse_id").asText()).isEqualTo("wh2");
    assertThat(read.get("default_catalog").asText()).isEqualTo("main");
    assertThat(read.get("default_schema").asText()).isEqualTo("sales");
    assertThat(read.get("workspace_folder").asText()).isEqualTo("/Workspace/Users/alice@example.com/x");
    assertThat(read.get("model").asText()).isEqualTo("databricks-claude-sonnet-4-5");
    assertThat(read.get("messages")).isEmpty();

    var listed = alice.get("/api/projects/" + project + "/conversations").json();
    assertThat(listed).hasSize(1);
    assertThat(listed.get(0).has("messages")).as("listings carry no messages").isFalse();
    assertThat(listed.get(0).get("message_count").asInt()).isZero();
  }

  @Test
  void aConversationWithoutBodyGetsADefaultTitle() {
    String project = createProject("untitled");
    var created = alice.send("POST", "/api/projects/" + project + "/conversations", null);

    assertThat(created.status()).isEqualTo(201);
    assertThat(created.json().get("title").asText()).isNotBlank();
  }

  @Test
  void aConversationIsReadWithItsMessagesOldestFirst() {
    String project = createProject("history");
    String conversation = alice.post("/api/projects/" + project + "/conversations", "{\"title\": \"chat\"}").json().get("id").asText();
    db.useHandle(h -> {
      String insert = "INSERT INTO messages (conversation_id, role, content, is_error) VALUES (:c, :role, CAST(:content AS jsonb), :error)";
      h.createUpdate(insert).bind("c", UUID.fromString(conversation)).bind("role", "user")
          .bind("content", "[{\"type\":\"text\",\"text\":\"count the rows\"}]").bind("error", false).execute();
      h.createUpdate(insert).bind("c", UUID.fromString(conversation)).bind("role", "assistant")
          .bind("content", """
              [{"type":"thinking","thinking":"use SQL","signature":"sig"},
               {"type":"tool_use","id":"tu1","name":"execute_sql","input":{"sql_query":"SELECT 1"}}]""")
          .bind("error", false).execute();
      h.createUpdate(insert).bind("c", UUID.fromString(conversation)).bind("role", "assistant")
          .bind("content", "[{\"type\":\"text\",\"text\":\"Error: warehouse stopped\"}]").bind("error", true).execute();
    });

    JsonNode read = alice.get("/api/projects/" + project + "/conversations/" + conversation).json();

    JsonNode messages = read.get("messages");
    assertThat(messages).hasSize(3);
    assertThat(read.get("message_count").asInt()).isEqualTo(3);
    assertThat(messages.findValuesAsText("role")).containsExactly("user", "assistant", "assistant");
    assertThat(messages.get(0).get("content").get(0).get("text").asText()).isEqualTo("count the rows");
    assertThat(messages.get(1).get("content").get(0).get("signature").asText()).isEqualTo("sig");
    assertThat(messages.get(1).get("content").get(1).get("input").get("sql_query").asText()).isEqualTo("SELECT 1");
    assertThat(messages.findValuesAsText("is_error")).containsExactly("false", "false", "true");
    Instant first = Instant.parse(messages.get(0).get("created_at").asText());
    Instant last = Instant.parse(messages.get(2).get("created_at").asText());
    assertThat(first).isBeforeOrEqualTo(last);
  }

  @Test
  void deletingAConversationRemovesItAndItsMessages() {
    String project = createProject("cleanup");
    String conversation = alice.post("/api/projects/" + project + "/conversations", "{}").json().get("id").asText();
    db.useHandle(h -> h.createUpdate("INSERT INTO messages (conversation_id, role, content) VALUES (:c, 'user', '[]')")
        .bind("c", UUID.fromString(conversation)).execute());

    var deleted = alice.delete("/api/projects/" + project + "/conversations/" + conversation);

    assertThat(deleted.status()).isEqualTo(200);
    assertThat(deleted.json().get("deleted_conversation_id").asText()).isEqualTo(conversation);
    assertThat(alice.get("/api/projects/" + project + "/conversations/" + conversation).status()).isEqualTo(404);
    assertThat(count("SELECT count(*) FROM messages WHERE conversation_id = '" + conversation + "'")).isZero();
  }

  @Test
  void deletingAProjectRemovesItsRowsAndItsFolder() {
    String project = createProject("doomed");
    String conversation = alice.post("/api/projects/" + project + "/conversations", "{}").json().get("id").asText();
    Path folder = mason.home().resolve("projects").resolve(project);
    assertThat(folder.resolve("CLAUDE.md")).exists();

    var deleted = alice.delete("/api/projects/" + project);

    assertThat(deleted.status()).isEqualTo(200);
    assertThat(deleted.json().get("success").asBoolean()).isTrue();
    assertThat(deleted.json().get("deleted_project_id").asText()).isEqualTo(project);
    assertThat(alice.get("/api/projects/" + project).status()).isEqualTo(404);
    assertThat(Files.exists(folder)).isFalse();
    assertThat(count("SELECT count(*) FROM projects WHERE id = '" + project + "'")).isZero();
    assertThat(count("SELECT count(*) FROM conversations WHERE id = '" + conversation + "'")).isZero();
  }

  @Test
  void filesAreListedWithSizesAndReadAsText() throws Exception {
    String project = createProject("files");
    Path folder = mason.home().resolve("projects").resolve(project);
    Files.createDirectories(folder.resolve("src/etl"));
    Files.writeString(folder.resolve("src/etl/load.sql"), "SELECT 'é' AS accent;\n");
    Files.createDirectories(folder.resolve(".git"));
    Files.writeString(folder.resolve(".git/HEAD"), "ref: refs/heads/main\n");

    JsonNode listing = alice.get("/api/projects/" + project + "/files").json();
    assertThat(listing.get("project_id").asText()).isEqualTo(project);
    assertThat(listing.get("files").findValuesAsText("path")).containsExactly("CLAUDE.md", "src/etl/load.sql");
    JsonNode sql = listing.get("files").get(1);
    assertThat(sql.get("name").asText()).isEqualTo("load.sql");
    assertThat(sql.get("size").asLong()).isEqualTo(Files.size(folder.resolve("src/etl/load.sql")));
    assertThat(sql.get("modified").asText()).isNotBlank();

    JsonNode content = alice.get("/api/projects/" + project + "/files/content?path=src/etl/load.sql").json();
    assertThat(content.get("content").asText()).isEqualTo("SELECT 'é' AS accent;\n");
    assertThat(content.get("path").asText()).isEqualTo("src/etl/load.sql");
  }

  @Test
  void projectFoldersLiveUnderProjectsBaseDirWhenItIsSet() throws Exception {
    Path base = Files.createTempDirectory(TestMason.freshHome(), "projects-");
    try (TestMason elsewhere = TestMason.start(java.util.Map.of("PROJECTS_BASE_DIR", base.toString()))) {
      String project = elsewhere.as("alice@example.com").post("/api/projects", "{\"name\": \"placed\"}").json().get("id").asText();

      assertThat(base.resolve(project).resolve("CLAUDE.md")).exists();
      assertThat(elsewhere.home().resolve("projects").resolve(project)).doesNotExist();
    }
  }

  private static String createProject(String name) {
    var response = alice.post("/api/projects", "{\"name\": \"" + name + "\"}");
    assertThat(response.status()).as(response.toString()).isEqualTo(201);
    return response.json().get("id").asText();
  }

  private static long count(String sql) {
    return db.withHandle(h -> h.createQuery(sql).mapTo(Long.class).one());
  }
}
