package dev.mason.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mason.testing.Api;
import dev.mason.testing.MasonDatabase;
import dev.mason.testing.TestMason;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The default database: PostgreSQL run by Mason itself, its data in $MASON_HOME/pg. */
class EmbeddedDatabaseTest {

  @Test
  void theMigrationsCreateMasonsTablesInTheMasonSchema() {
    try (TestMason mason = TestMason.start()) {
      var db = MasonDatabase.of(mason);

      List<String> tables = db.withHandle(h -> h.createQuery(
              "SELECT table_name FROM information_schema.tables WHERE table_schema = 'mason' ORDER BY table_name")
          .mapTo(String.class).list());
      assertThat(tables).contains("projects", "conversations", "messages", "project_backups", "flyway_schema_history");
      List<String> applied = db.withHandle(h -> h.createQuery(
              "SELECT version FROM mason.flyway_schema_history WHERE success AND version IS NOT NULL ORDER BY installed_rank")
          .mapTo(String.class).list());
      assertThat(applied).startsWith("1");
      assertThat(mason.home().resolve("pg").resolve("PG_VERSION")).exists();
    }
  }

  @Test
  void everythingSurvivesAStopAndAStartOnTheSameHome() throws Exception {
    Path home = TestMason.freshHome();
    String project;
    String conversation;
    try (TestMason first = TestMason.startAt(home, Map.of())) {
      Api alice = first.as("alice@example.com");
      project = alice.post("/api/projects", "{\"name\": \"durable\"}").json().get("id").asText();
      conversation = alice.post("/api/projects/" + project + "/conversations",
          "{\"title\": \"kept\", \"default_catalog\": \"main\"}").json().get("id").asText();
      MasonDatabase.of(first).useHandle(h -> h.createUpdate(
              "INSERT INTO messages (conversation_id, role, content) VALUES (:c, 'user', '[{\"type\":\"text\",\"text\":\"hi\"}]')")
          .bind("c", UUID.fromString(conversation)).execute());
      Files.writeString(home.resolve("projects").resolve(project).resolve("notes.md"), "remember me");
    }

    try (TestMason second = TestMason.startAt(home, Map.of())) {
      Api alice = second.as("alice@example.com");
      assertThat(alice.get("/api/projects").json().findValuesAsText("name")).containsExactly("durable");
      var read = alice.get("/api/projects/" + project + "/conversations/" + conversation).json();
      assertThat(read.get("title").asText()).isEqualTo("kept");
      assertThat(read.get("default_catalog").asText()).isEqualTo("main");
      assertThat(read.get("messages").get(0).get("content").get(0).get("text").asText()).isEqualTo("hi");
      assertThat(alice.get("/api/projects/" + project + "/files/content?path=notes.md").json().get("content").asText())
          .isEqualTo("remember me");
    }
  }

  @Test
  void aSecondMasonOnTheSameHomeFailsFastAndLeavesTheFirstRunning() {
    try (TestMason first = TestMason.start()) {
      String project = first.as("alice@example.com").post("/api/projects", "{\"name\": \"first\"}").json().get("id").asText();
      long started = System.nanoTime();

      assertThatThrownBy(() -> TestMason.startAt(first.home(), Map.of()).close())
          .isInstanceOf(StartupException.class)
          .hasMessageContaining("Another Mason is already running with MASON_HOME=" + first.home())
          .hasMessageContaining("pid " + ProcessHandle.current().pid())
          .message().doesNotContain("\n");
      assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(5));

      var health = first.anonymous().get("/api/health").json();
      assertThat(health.get("database").asText()).isEqualTo("ok");
      assertThat(first.as("alice@example.com").get("/api/projects/" + project).status()).isEqualTo(200);
    }
  }
}
