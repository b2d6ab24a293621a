package dev.mason.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mason.Application;
import dev.mason.config.SettingsLoader;
import dev.mason.testing.TestMason;
import dev.mason.testing.TestPostgres;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.Test;

/**
 * Mason on Databricks Apps and its database: none means no start, with the one line saying how to
 * add the resource; a fresh instance gets Mason's schema and tables owned by the resource's own
 * user; a schema someone else owns stops the start with the grant to run.
 */
class AppsDatabaseTest {
  @Test
  void onAppsWithoutADatabaseResourceMasonRefusesToStartSayingHowToAddOne() {
    Map<String, String> env = Map.of("DATABRICKS_APP_NAME", "mason-team", "DATABRICKS_APP_PORT", "0",
        "MASON_HOME", TestMason.freshHome().toString());

    assertThatThrownBy(() -> Application.start(SettingsLoader.load(env, List.of())).close())
        .isInstanceOf(StartupException.class)
        .hasMessageContaining("app 'mason-team' has none")
        .hasMessageContaining("--database INSTANCE")
        .hasMessageContaining("LAKEBASE_INSTANCE_NAME")
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
  }

  @Test
  void onAFreshInstanceTheResourcesUserCreatesAndOwnsMasonsSchemaAndTables() {
    String role = freshRole();
    try (TestMason mason = TestMason.start(resource(role, "mason"))) {
      mason.as("alice@example.com").post("/api/projects", "{\"name\": \"on lakebase\"}");
    }
    Jdbi db = Jdbi.create(TestPostgres.url(database(role)), "postgres", superuserPassword());
    String schemaOwner = db.withHandle(h -> h.createQuery("SELECT pg_get_userbyid(nspowner) FROM pg_namespace WHERE nspname = 'mason'")
        .mapTo(String.class).one());
    assertThat(schemaOwner).isEqualTo(role);
    List<String> owners = db.withHandle(h -> h.createQuery("SELECT DISTINCT tableowner FROM pg_tables WHERE schemaname = 'mason'")
        .mapTo(String.class).list());
    assertThat(owners).containsExactly(role);
  }

  @Test
  void aSchemaOwnedByAnotherRoleStopsTheStartWithTheGrantToRunAndTheGrantIsEnough() {
    String role = freshRole();
    TestPostgres.run(database(role), "CREATE SCHEMA mason");

    assertThatThrownBy(() -> TestMason.start(resource(role, "mason")).close())
        .isInstanceOf(StartupException.class)
        .hasMessageContaining("belongs to role \"postgres\"")
        .hasMessageContaining("GRANT USAGE, CREATE ON SCHEMA mason TO \"" + role + "\"");

    TestPostgres.run(database(role), "GRANT USAGE, CREATE ON SCHEMA mason TO " + role);
    try (TestMason mason = TestMason.start(resource(role, "mason"))) {
      assertThat(mason.anonymous().get("/api/health").json().get("database").asText()).isEqualTo("ok");
    }
  }

  /** A login role with its own database, which it may connect to and create schemas in, as a database resource's user may. */
  private static String freshRole() {
    String role = "app_" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
    TestPostgres.run("postgres", "CREATE ROLE " + role + " LOGIN PASSWORD 'pw-" + role + "'",
        "CREATE DATABASE " + database(role), "GRANT CONNECT, CREATE ON DATABASE " + database(role) + " TO " + role);
    return role;
  }

  private static String database(String role) {
    return "db_" + role;
  }

  private static Map<String, String> resource(String role, String schema) {
    Map<String, String> env = new HashMap<>(Map.of("PGHOST", "127.0.0.1", "PGPORT", Integer.toString(TestPostgres.port()),
        "PGDATABASE", database(role), "PGUSER", role, "PGPASSWORD", "pw-" + role, "PGSSLMODE", "disable",
        "MASON_DATABASE_SCHEMA", schema));
    return env;
  }

  private static String superuserPassword() {
    return TestPostgres.appsResource().get("PGPASSWORD");
  }
}
