package dev.mason.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mason.testing.MasonDatabase;
import dev.mason.testing.TestMason;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/** The embedded PostgreSQL lets in only whoever holds the password Mason keeps in its home. */
class EmbeddedPasswordTest {

  private static String url(Path home) {
    return "jdbc:postgresql://127.0.0.1:" + MasonDatabase.port(home) + "/postgres?connectTimeout=5";
  }

  @Test
  void aConnectionWithoutThePasswordOrWithAWrongOneIsRefusedAndThePasswordFileIsMasonsAlone() throws Exception {
    try (TestMason mason = TestMason.start()) {
      Path file = mason.home().resolve("postgres-password");

      assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
      assertThatThrownBy(() -> DriverManager.getConnection(url(mason.home()), "postgres", "").close())
          .isInstanceOf(SQLException.class);
      assertThatThrownBy(() -> DriverManager.getConnection(url(mason.home()), "postgres", "guess").close())
          .isInstanceOf(SQLException.class).hasMessageContaining("password authentication failed");
      try (var connection = DriverManager.getConnection(url(mason.home()), "postgres", MasonDatabase.password(mason.home()))) {
        assertThat(connection.isValid(5)).isTrue();
      }
      assertThat(Files.readString(mason.home().resolve("postgres.log"))).doesNotContain(MasonDatabase.password(mason.home()));
    }
  }

  @Test
  void psqlWithoutThePasswordIsRefused() throws Exception {
    Path psql = Path.of("/usr/bin/psql");
    Assumptions.assumeTrue(Files.isExecutable(psql), "psql is not installed");
    try (TestMason mason = TestMason.start()) {
      Process process = new ProcessBuilder(psql.toString(), "-h", "127.0.0.1", "-p", Integer.toString(MasonDatabase.port(mason.home())),
          "-U", "postgres", "-w", "-c", "SELECT 1", "postgres")
          .redirectErrorStream(true).start();
      String output = new String(process.getInputStream().readAllBytes());

      assertThat(process.waitFor()).as(output).isNotZero();
      assertThat(output).contains("password");
    }
  }

  @Test
  void aClusterThatTrustedLocalConnectionsIsGivenAPasswordOnItsNextStart() throws Exception {
    Path home = TestMason.freshHome();
    try (TestMason first = TestMason.startAt(home, Map.of())) {
      first.as("alice@example.com").post("/api/projects", "{\"name\": \"kept\"}");
    }
    // What an earlier Mason left: a cluster that trusts every local connection, and no password file.
    Files.writeString(home.resolve("pg/pg_hba.conf"), "local all all trust\nhost all all 127.0.0.1/32 trust\n");
    Files.delete(home.resolve("postgres-password"));

    try (TestMason second = TestMason.startAt(home, Map.of())) {
      assertThat(home.resolve("postgres-password")).exists();
      assertThatThrownBy(() -> DriverManager.getConnection(url(home), "postgres", "").close()).isInstanceOf(SQLException.class);
      List<String> names = MasonDatabase.of(second).withHandle(h -> h.createQuery("SELECT name FROM projects").mapTo(String.class).list());
      assertThat(names).containsExactly("kept");
      assertThat(second.as("alice@example.com").get("/api/projects").json().findValuesAsText("name")).containsExactly("kept");
    }
  }
}
