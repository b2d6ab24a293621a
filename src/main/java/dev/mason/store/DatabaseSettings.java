package dev.mason.store;

import dev.mason.env.ConfigException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * Which PostgreSQL Mason uses, the schema its tables live in, and the pool size.
 *
 * @param schema schema for Mason's tables, created when missing
 * @param lakebase whether the database is Databricks Lakebase: a Lakebase instance, the Apps
 *     database resource ({@code PG*}), or {@code LAKEBASE_PG_URL}
 * @param leftoverSweep how often a Mason looks for runs and tasks left running by another Mason on
 *     the same database that died ({@code MASON_LEFTOVER_SWEEP_SECONDS})
 */
public record DatabaseSettings(Target target, String schema, int poolSize, boolean lakebase, Duration leftoverSweep) {
  public static final Duration DEFAULT_LEFTOVER_SWEEP = Duration.ofMinutes(1);

  public DatabaseSettings {
    Objects.requireNonNull(target, "target");
    if (!schema.matches("[a-z_][a-z0-9_]{0,62}")) {
      throw new ConfigException("MASON_DATABASE_SCHEMA", "must be a lowercase SQL identifier, was '" + schema + "'");
    }
    if (poolSize < 1 || poolSize > 100) {
      throw new ConfigException("DB_POOL_SIZE", "must be between 1 and 100, was " + poolSize);
    }
    Objects.requireNonNull(leftoverSweep, "leftoverSweep");
    if (leftoverSweep.toSeconds() < 1 || leftoverSweep.toSeconds() > 3_600) {
      throw new ConfigException("MASON_LEFTOVER_SWEEP_SECONDS", "must be between 1 and 3600, was " + leftoverSweep.toSeconds());
    }
  }

  /** Where the database is. */
  public sealed interface Target {}

  /** A PostgreSQL that Mason runs itself, with its data in {@code dataDir}. */
  public record Embedded(Path dataDir) implements Target {}

  /**
   * A PostgreSQL reached over the network.
   *
   * @param password the static password, or null when the workspace's OAuth token is the password
   *     (the Databricks Apps database resource sets no password)
   */
  public record External(String host, int port, String database, String user, String password, String sslMode)
      implements Target {
    public External {
      Objects.requireNonNull(host, "host");
      Objects.requireNonNull(database, "database");
    }

    @Override
    public String toString() {
      return "External[" + user + "@" + host + ":" + port + "/" + database + ", sslmode=" + sslMode
          + ", password=" + (password == null ? "workspace token" : "****") + "]";
    }
  }

  /** A Lakebase instance whose host and short-lived credentials come from the workspace API. */
  public record Lakebase(String instanceName, String database) implements Target {}
}
