package dev.mason.testing;

import dev.mason.store.EmbeddedPostgres;
import dev.mason.store.PostgresCache;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One real PostgreSQL for the whole test run, standing in for a Databricks Apps database
 * resource: started on first use (Mason's own embedded server class, the binaries from the cache
 * Mason itself uses) and stopped when the test JVM exits. Each caller gets its own role, database or schema.
 *
 * <p>Thread-safe: the start is guarded by a lock.
 */
public final class TestPostgres {
  private static final ReentrantLock lock = new ReentrantLock();
  private static EmbeddedPostgres server;

  private TestPostgres() {}

  /**
   * The {@code PG*} variables of a database resource on a fresh schema of the shared server, as
   * its superuser (with a password, so no workspace token is needed).
   */
  public static Map<String, String> appsResource() {
    EmbeddedPostgres pg = server();
    return Map.of("PGHOST", "127.0.0.1", "PGPORT", Integer.toString(pg.port()), "PGDATABASE", "postgres",
        "PGUSER", "postgres", "PGPASSWORD", pg.password(), "PGSSLMODE", "disable",
        "MASON_DATABASE_SCHEMA", "apps_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12));
  }

  /** Runs {@code sql} as the superuser in {@code database}. */
  public static void run(String database, String... sql) {
    EmbeddedPostgres pg = server();
    try (Connection connection = DriverManager.getConnection(url(database), "postgres", pg.password());
         Statement statement = connection.createStatement()) {
      for (String each : sql) {
        statement.execute(each);
      }
    } catch (SQLException e) {
      throw new IllegalStateException("test PostgreSQL: " + e.getMessage(), e);
    }
  }

  public static int port() {
    return server().port();
  }

  public static String url(String database) {
    return "jdbc:postgresql://127.0.0.1:" + server().port() + "/" + database + "?sslmode=disable";
  }

  private static EmbeddedPostgres server() {
    lock.lock();
    try {
      if (server == null) {
        Path base = Path.of(System.getProperty("mason.test.home", "target/test-home")).toAbsolutePath();
        Files.createDirectories(base);
        EmbeddedPostgres started = new EmbeddedPostgres(Files.createTempDirectory(base, "apps-pg-").resolve("pg"), PostgresCache.folder());
        started.start();
        Runtime.getRuntime().addShutdownHook(new Thread(started::close, "test-postgres-stop"));
        server = started;
      }
      return server;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } finally {
      lock.unlock();
    }
  }
}
