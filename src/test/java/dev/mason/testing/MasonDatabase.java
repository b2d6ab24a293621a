package dev.mason.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.jdbi.v3.core.Jdbi;

/**
 * Direct SQL on the embedded PostgreSQL of a running test Mason, for what HTTP cannot show:
 * the migrated schema, stored rows, a backup corrupted on purpose.
 *
 * <p>The port is read from the server's own {@code postmaster.pid} (its fourth line), and the
 * password from {@code postgres-password} in the home, so the test needs nothing from Mason's
 * internals.
 */
public final class MasonDatabase {
  private MasonDatabase() {}

  /** A Jdbi on the embedded server under {@code home}, with {@code schema} as the search path. */
  public static Jdbi of(Path home, String schema) {
    return Jdbi.create("jdbc:postgresql://127.0.0.1:" + port(home) + "/postgres?currentSchema=" + schema, "postgres", password(home));
  }

  /** The superuser's password Mason keeps beside the data folder. */
  public static String password(Path home) {
    try {
      return Files.readString(home.resolve("postgres-password")).strip();
    } catch (IOException e) {
      throw new UncheckedIOException("the embedded PostgreSQL has no password file in " + home, e);
    }
  }

  public static Jdbi of(TestMason mason) {
    return of(mason.home(), "mason");
  }

  /** The port the embedded server under {@code home} listens on. */
  public static int port(Path home) {
    Path pid = home.resolve("pg").resolve("postmaster.pid");
    try {
      List<String> lines = Files.readAllLines(pid);
      return Integer.parseInt(lines.get(3).strip());
    } catch (IOException e) {
      throw new UncheckedIOException("the embedded PostgreSQL is not running: no " + pid, e);
    }
  }
}
