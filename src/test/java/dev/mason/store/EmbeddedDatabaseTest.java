package dev.mason.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mason.testing.Api;
import dev.mason.testing.Eventually;
import dev.mason.testing.MasonDatabase;
import dev.mason.testing.TestMason;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
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

  @Test
  void aStalePidFileNamingAnotherProgramIsRemovedWithoutSignallingIt() throws Exception {
    Path home = initialisedHome();
    Process stranger = new ProcessBuilder("sleep", "600").start();
    try {
      plantPidFile(home, stranger.pid(), FileTime.from(Instant.now()));

      assertStartsAndLeavesAlone(home, stranger, null);
    } finally {
      stranger.destroyForcibly();
    }
  }

  @Test
  void aStalePidFileNamingAPostgresStartedAfterItWasWrittenIsRemovedWithoutSignallingIt() throws Exception {
    Path home = initialisedHome();
    Path dataDir = home.resolve("pg");
    Path signalled = home.resolve("signalled");
    // A process that looks like this folder's postmaster (its name, its -D), started long after
    // the pid file was last written: the pid was reused. It notes any signal it gets.
    String script = "trap \"echo signalled > " + signalled + "\" INT TERM QUIT HUP; while :; do sleep 0.2; done";
    Process lookalike = new ProcessBuilder("bash", "-c", "exec -a postgres bash -c '" + script + "' x -D " + dataDir).start();
    try {
      Eventually.await(Duration.ofSeconds(10), "the lookalike to take its name",
          () -> lookalike.info().commandLine().map(c -> c.contains("-D " + dataDir)).orElse(false)
              || readable(Path.of("/proc", Long.toString(lookalike.pid()), "cmdline")).startsWith("postgres"));
      plantPidFile(home, lookalike.pid(), FileTime.from(Instant.now().minus(Duration.ofHours(1))));

      assertStartsAndLeavesAlone(home, lookalike, signalled);
    } finally {
      lookalike.destroyForcibly();
    }
  }

  /** A home whose PostgreSQL cluster exists and was stopped cleanly (no postmaster.pid). */
  private static Path initialisedHome() {
    Path home = TestMason.freshHome();
    TestMason.startAt(home, Map.of()).close();
    assertThat(home.resolve("pg/postmaster.pid")).doesNotExist();
    return home;
  }

  /** A postmaster.pid as a killed server leaves it, but naming {@code pid}. */
  private static void plantPidFile(Path home, long pid, FileTime written) throws Exception {
    Path dataDir = home.resolve("pg");
    Path pidFile = dataDir.resolve("postmaster.pid");
    Files.writeString(pidFile, pid + "\n" + dataDir + "\n" + Instant.now().getEpochSecond() + "\n5432\n\n127.0.0.1\n  1234567     98304\nready   \n");
    Files.setLastModifiedTime(pidFile, written);
  }

  private static void assertStartsAndLeavesAlone(Path home, Process planted, Path signalled) throws Exception {
    try (TestMason mason = TestMason.startAt(home, Map.of())) {
      assertThat(mason.anonymous().get("/api/health").json().get("database").asText()).isEqualTo("ok");
      assertThat(Files.readAllLines(home.resolve("pg/postmaster.pid")).getFirst().strip())
          .as("the new server's own pid file").isNotEqualTo(Long.toString(planted.pid()));
    }
    assertThat(planted.isAlive()).as("the process the stale file named is alive").isTrue();
    if (signalled != null) {
      assertThat(signalled).as("the process the stale file named got no signal").doesNotExist();
    }
  }

  private static String readable(Path file) {
    try {
      return Files.readString(file, java.nio.charset.StandardCharsets.ISO_8859_1);
    } catch (java.io.IOException e) {
      return "";
    }
  }
}
