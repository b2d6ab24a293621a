package dev.mason.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mason.testing.TestMason;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * A PostgreSQL that Mason does not run: the machine's own on 127.0.0.1:5432 (trust auth, user
 * postgres). Tests that need it are skipped, saying why, where none is reachable.
 */
class ExternalDatabaseTest {
  private static final List<String> CANDIDATE_DATABASES = List.of("test", "postgres");

  @Test
  void masonRunsOnAnExternalDatabaseInASchemaItCreates() {
    String database = reachableDatabase();
    String schema = "mason_it_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    try (TestMason mason = TestMason.start(Map.of(
        "MASON_DATABASE_URL", "postgresql://postgres@127.0.0.1:5432/" + database + "?sslmode=disable",
        "MASON_DATABASE_SCHEMA", schema))) {
      assertWorksIn(mason, database, schema);
    } finally {
      dropSchema(database, schema);
    }
  }

  @Test
  void theReferenceSystemsVariablesReachTheSameDatabase() {
    String database = reachableDatabase();
    String schema = "mason_lb_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    try (TestMason mason = TestMason.start(Map.of(
        "LAKEBASE_PG_URL", "postgresql://postgres:unused@127.0.0.1:5432/" + database + "?sslmode=disable",
        "LAKEBASE_SCHEMA_NAME", schema))) {
      assertWorksIn(mason, database, schema);
    } finally {
      dropSchema(database, schema);
    }
  }

  @Test
  void theAppsDatabaseResourceVariablesReachTheSameDatabase() {
    String database = reachableDatabase();
    String schema = "mason_pg_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    try (TestMason mason = TestMason.start(Map.of(
        "PGHOST", "127.0.0.1", "PGPORT", "5432", "PGDATABASE", database, "PGUSER", "postgres",
        "PGPASSWORD", "unused", "PGSSLMODE", "disable", "MASON_DATABASE_SCHEMA", schema))) {
      assertWorksIn(mason, database, schema);
    } finally {
      dropSchema(database, schema);
    }
  }

  @Test
  void aDatabaseThatDoesNotExistFailsStartupFastNamingTheCause() {
    reachableDatabase();
    long started = System.nanoTime();

    assertThatThrownBy(() -> TestMason.start(Map.of(
            "MASON_DATABASE_URL", "postgresql://postgres@127.0.0.1:5432/no_such_database_for_mason?sslmode=disable")).close())
        .isInstanceOf(StartupException.class)
        .hasMessageContaining("127.0.0.1:5432")
        .hasMessageContaining("no_such_database_for_mason")
        .hasMessageContaining("does not exist");
    assertThat(Duration.ofNanos(System.nanoTime() - started)).as("a permanent error is not retried").isLessThan(Duration.ofSeconds(3));
  }

  @Test
  void anUnreachableDatabaseFailsStartupWithOneLineNamingHostPortAndCause() {
    long started = System.nanoTime();

    assertThatThrownBy(() -> TestMason.start(Map.of("MASON_DATABASE_URL", "postgresql://u:s3cret-pw@127.0.0.1:1/db")).close())
        .isInstanceOf(StartupException.class)
        .hasMessageContaining("127.0.0.1:1 ")
        .hasMessageContaining("Connection refused")
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain("s3cret-pw").doesNotContain("\n"));
    assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(15));
  }

  private static void assertWorksIn(TestMason mason, String database, String schema) {
    var alice = mason.as("alice@example.com");
    String project = alice.post("/api/projects", "{\"name\": \"external\"}").json().get("id").asText();
    assertThat(mason.anonymous().get("/api/health").json().get("database").asText()).isEqualTo("ok");

    Jdbi db = Jdbi.create(url(database), "postgres", "");
    List<String> tables = db.withHandle(h -> h.createQuery(
            "SELECT table_name FROM information_schema.tables WHERE table_schema = :s")
        .bind("s", schema).mapTo(String.class).list());
    assertThat(tables).contains("projects", "conversations", "messages", "project_backups", "flyway_schema_history");
    String owner = db.withHandle(h -> h.createQuery("SELECT owner FROM " + schema + ".projects WHERE id = :id")
        .bind("id", UUID.fromString(project)).mapTo(String.class).one());
    assertThat(owner).isEqualTo("alice@example.com");
    assertThat(mason.home().resolve("pg")).as("no embedded PostgreSQL is started").doesNotExist();
  }

  /** The first candidate database that accepts user postgres, or the test is skipped. */
  private static String reachableDatabase() {
    StringBuilder reasons = new StringBuilder();
    for (String database : CANDIDATE_DATABASES) {
      DriverManager.setLoginTimeout(2);
      try (Connection connection = DriverManager.getConnection(url(database), "postgres", "")) {
        if (connection.isValid(2)) {
          return database;
        }
      } catch (SQLException e) {
        reasons.append(database).append(": ").append(e.getMessage()).append("; ");
      }
    }
    String reason = "no PostgreSQL reachable on 127.0.0.1:5432 as user postgres (" + reasons + ")";
    System.out.println("Skipping: " + reason);
    Assumptions.abort(reason);
    return null;
  }

  private static String url(String database) {
    return "jdbc:postgresql://127.0.0.1:5432/" + database + "?sslmode=disable&connectTimeout=2";
  }

  private static void dropSchema(String database, String schema) {
    Jdbi.create(url(database), "postgres", "").useHandle(h -> h.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE"));
  }
}
