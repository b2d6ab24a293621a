package dev.mason.store;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.mason.common.Causes;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.jdbi.v3.core.ConnectionException;
import org.jdbi.v3.core.HandleCallback;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Mason's PostgreSQL: the embedded server or the configured one, the pool, the migrations, and
 * retries of transient connection failures.
 *
 * <p>Start-up order: lock the home (embedded only), start the server, connect with retries,
 * migrate. {@link #close()} runs in reverse. Thread-safe after {@link #start}.
 */
public final class Database implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Database.class);
  private static final int STARTUP_ATTEMPTS = 4;
  private static final Duration STARTUP_FIRST_BACKOFF = Duration.ofMillis(500);
  private static final int CALL_ATTEMPTS = 3;
  private static final Duration CALL_FIRST_BACKOFF = Duration.ofMillis(200);
  /** How long a borrow waits for a connection; a request waits at most about this long in an outage. */
  private static final Duration CONNECTION_TIMEOUT = Duration.ofSeconds(5);
  /** Health checks answer within this, whatever the database does. */
  private static final Duration HEALTH_LIMIT = Duration.ofSeconds(2);

  private final EmbeddedPostgres embedded;
  private final HikariDataSource pool;
  private final Jdbi jdbi;
  private final DatabaseEndpoint endpoint;
  private final String schema;
  private final RunnerLease runner;

  private Database(EmbeddedPostgres embedded, HikariDataSource pool, DatabaseEndpoint endpoint, String schema,
      Duration leftoverSweep) {
    this.embedded = embedded;
    this.pool = pool;
    this.jdbi = Jdbi.create(pool);
    this.endpoint = endpoint;
    this.schema = schema;
    this.runner = RunnerLease.take(this, leftoverSweep); // last: it uses the connections set up above
  }

  /**
   * Connects to (and for the embedded target, starts) the database and applies the migrations.
   *
   * @param cloud workspace credentials, used only for Lakebase and Apps database resources
   * @throws StartupException with one line naming host, port and cause when it cannot connect
   */
  public static Database start(DatabaseSettings settings, CloudCredentials cloud) {
    EmbeddedPostgres embedded = null;
    DatabaseEndpoint endpoint = switch (settings.target()) {
      case DatabaseSettings.Embedded e -> {
        embedded = new EmbeddedPostgres(e.dataDir(), PostgresCache.folder());
        embedded.start();
        EmbeddedPostgres server = embedded;
        yield new DatabaseEndpoint("127.0.0.1", embedded.port(), "postgres", "postgres", server::password, "disable");
      }
      case DatabaseSettings.External x -> new DatabaseEndpoint(x.host(), x.port(), x.database(), x.user(),
          x.password() != null ? staticPassword(x.password()) : cloud.workspaceToken(), x.sslMode());
      case DatabaseSettings.Lakebase l -> cloud.lakebase(l.instanceName(), l.database());
    };
    HikariDataSource pool = null;
    try {
      awaitConnection(new RefreshingDataSource(endpoint), endpoint);
      if (embedded == null) {
        // The embedded server's user is its superuser; anywhere else, say which grant is missing.
        SchemaAccess.prepare(new RefreshingDataSource(endpoint), settings.schema(), endpoint);
      }
      pool = pool(endpoint, settings);
      Flyway.configure()
          .dataSource(pool)
          .schemas(settings.schema())
          .defaultSchema(settings.schema())
          .createSchemas(true)
          .locations("classpath:db/migration")
          .load()
          .migrate();
      log.info("Database ready: {} schema {}", endpoint, settings.schema());
      return new Database(embedded, pool, endpoint, settings.schema(), settings.leftoverSweep());
    } catch (RuntimeException e) {
      if (pool != null) {
        pool.close();
      }
      if (embedded != null) {
        embedded.close();
      }
      throw e instanceof StartupException ? e : new StartupException("Database " + endpoint + " could not be prepared: " + e.getMessage(), e);
    }
  }

  private static PasswordSource staticPassword(String password) {
    return () -> password;
  }

  private static HikariDataSource pool(DatabaseEndpoint endpoint, DatabaseSettings settings) {
    HikariConfig config = new HikariConfig();
    config.setPoolName("mason-db");
    config.setDataSource(new RefreshingDataSource(endpoint));
    config.setSchema(settings.schema());
    config.setMaximumPoolSize(settings.poolSize());
    config.setMinimumIdle(1);
    config.setConnectionTimeout(CONNECTION_TIMEOUT.toMillis());
    // Short-lived database tokens last about an hour: recycle connections well inside that.
    config.setMaxLifetime(Duration.ofMinutes(30).toMillis());
    config.setKeepaliveTime(Duration.ofMinutes(2).toMillis());
    config.setInitializationFailTimeout(-1);
    return new HikariDataSource(config);
  }

  /**
   * Connects once, straight through the driver rather than the pool: the pool would wait out its
   * whole connection timeout on each attempt and hide the driver's SQL state, which tells a
   * refused connection (worth retrying) from a missing database (not).
   */
  private static void awaitConnection(DataSource direct, DatabaseEndpoint endpoint) {
    Duration backoff = STARTUP_FIRST_BACKOFF;
    for (int attempt = 1; ; attempt++) {
      try (Connection connection = direct.getConnection()) {
        connection.isValid(5);
        return;
      } catch (SQLException e) {
        if (attempt >= STARTUP_ATTEMPTS || !TransientErrors.isTransient(e)) {
          throw new StartupException("Cannot reach PostgreSQL at " + endpoint.host() + ":" + endpoint.port()
              + " (database " + endpoint.database() + ", user " + endpoint.user() + ") after " + attempt
              + " attempt(s): " + Causes.rootMessage(e), e);
        }
        log.warn("PostgreSQL at {}:{} not reachable yet ({}); retrying in {} ms", endpoint.host(), endpoint.port(),
            Causes.rootMessage(e), backoff.toMillis());
        sleep(backoff);
        backoff = backoff.multipliedBy(2);
      }
    }
  }

  /**
   * Runs {@code callback} in a transaction, retrying it when the connection failed transiently.
   *
   * @throws DatabaseUnavailableException when the failure is still transient after the retries, or
   *     when the pool could not hand out a connection at all (it has already waited its whole
   *     timeout; another try would only make the caller wait twice as long)
   */
  public <R, X extends Exception> R inTransaction(HandleCallback<R, X> callback) throws X {
    return withRetries(() -> jdbi.inTransaction(callback));
  }

  /**
   * Runs {@code callback} on a connection in autocommit mode, retrying it when the connection
   * failed transiently. For single statements, which are atomic anyway: it saves the two round
   * trips of BEGIN and COMMIT that {@link #inTransaction} costs.
   */
  public <R, X extends Exception> R withHandle(HandleCallback<R, X> callback) throws X {
    return withRetries(() -> jdbi.withHandle(callback));
  }

  /** This process as a runner of work the other Masons on the database can tell alive from dead. */
  public RunnerLease runner() {
    return runner;
  }

  /** The schema Mason's tables are in. */
  public String schema() {
    return schema;
  }

  /**
   * A connection of its own, outside the pool, in Mason's schema, for work that holds one for
   * long (a {@code LISTEN}); the caller closes it. Passwords that expire are fetched fresh.
   */
  public Connection dedicatedConnection() throws SQLException {
    Connection connection = new RefreshingDataSource(endpoint).getConnection();
    try {
      connection.setSchema(schema);
      return connection;
    } catch (SQLException e) {
      connection.close();
      throw e;
    }
  }

  /** Whether {@code error} is a lost or refused connection, worth another try later, rather than bad SQL or data. */
  public static boolean isTransient(Throwable error) {
    return TransientErrors.isTransient(error);
  }

  private interface Attempt<R, X extends Exception> {
    R run() throws X;
  }

  private <R, X extends Exception> R withRetries(Attempt<R, X> attempt) throws X {
    Duration backoff = CALL_FIRST_BACKOFF;
    for (int number = 1; ; number++) {
      try {
        return attempt.run();
      } catch (RuntimeException e) {
        if (!TransientErrors.isTransient(e)) {
          throw e;
        }
        if (number >= CALL_ATTEMPTS || e instanceof ConnectionException) {
          throw new DatabaseUnavailableException("the database (PostgreSQL at " + endpoint.host() + ":" + endpoint.port()
              + ") is unavailable: " + Causes.rootMessage(e) + "; try again shortly", e);
        }
        log.warn("Transient database failure (attempt {} of {}): {}", number, CALL_ATTEMPTS, Causes.rootMessage(e));
        sleep(backoff.plusMillis(ThreadLocalRandom.current().nextLong(backoff.toMillis() + 1)));
        backoff = backoff.multipliedBy(2);
      }
    }
  }

  /**
   * "ok", or "error: " and the reason the database cannot be used right now; answers within
   * {@link #HEALTH_LIMIT} (a probe that takes longer is left to finish on its own thread).
   */
  public String health() {
    FutureTask<String> probe = new FutureTask<>(() -> {
      try (Connection connection = pool.getConnection()) {
        return connection.isValid((int) HEALTH_LIMIT.toSeconds()) ? "ok" : "error: connection not valid";
      } catch (SQLException e) {
        return "error: " + Causes.rootMessage(e);
      }
    });
    Thread.ofVirtual().name("mason-db-health").start(probe);
    try {
      return probe.get(HEALTH_LIMIT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      return "error: no connection to PostgreSQL at " + endpoint.host() + ":" + endpoint.port() + " within "
          + HEALTH_LIMIT.toSeconds() + " s";
    } catch (ExecutionException e) {
      return "error: " + Causes.rootMessage(e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "error: interrupted while checking the database";
    }
  }

  @Override
  public void close() {
    runner.close();
    pool.close();
    if (embedded != null) {
      embedded.close();
    }
  }

  private static void sleep(Duration duration) {
    try {
      Thread.sleep(duration);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting to retry the database", e);
    }
  }
}
