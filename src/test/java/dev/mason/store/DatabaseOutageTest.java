package dev.mason.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mason.testing.Api;
import dev.mason.testing.Eventually;
import dev.mason.testing.MasonDatabase;
import dev.mason.testing.TestMason;
import java.nio.file.Files;
import java.time.Duration;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.Test;

/** What Mason does when its PostgreSQL connections break or the server goes away. */
class DatabaseOutageTest {

  @Test
  void requestsSurviveTheServerDroppingEveryConnection() {
    try (TestMason mason = TestMason.start()) {
      Api alice = mason.as("alice@example.com");
      alice.post("/api/projects", "{\"name\": \"steady\"}");
      Jdbi admin = MasonDatabase.of(mason);

      for (int round = 0; round < 5; round++) {
        int dropped = admin.withHandle(h -> h.createQuery("""
                SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity
                WHERE application_name = 'mason' AND pid <> pg_backend_pid()""").mapTo(Integer.class).one());
        assertThat(dropped).as("Mason's pooled connections").isPositive();

        var response = alice.get("/api/projects");

        assertThat(response.status()).as("round " + round + ": " + response).isEqualTo(200);
        assertThat(response.json().findValuesAsText("name")).containsExactly("steady");
      }
    }
  }

  @Test
  void aDatabaseThatIsGoneIsReportedPromptlyWith503() throws Exception {
    try (TestMason mason = TestMason.start()) {
      long postmaster = Long.parseLong(Files.readAllLines(mason.home().resolve("pg/postmaster.pid")).getFirst().strip());
      // SIGINT: PostgreSQL's fast shutdown, which ends the sessions Mason holds open.
      assertThat(new ProcessBuilder("kill", "-INT", Long.toString(postmaster)).start().waitFor()).isZero();
      Eventually.await(Duration.ofSeconds(10), "PostgreSQL to stop",
          () -> ProcessHandle.of(postmaster).map(p -> !p.isAlive()).orElse(true));

      long asked = System.nanoTime();
      var health = mason.anonymous().get("/api/health");

      assertThat(health.status()).as(health.toString()).isEqualTo(503);
      assertThat(health.json().get("status").asText()).isEqualTo("degraded");
      assertThat(health.json().get("database").asText()).startsWith("error");
      assertThat(health.body()).doesNotContain("Exception", "\tat ");
      assertThat(Duration.ofNanos(System.nanoTime() - asked)).as("a health check answers promptly").isLessThan(Duration.ofSeconds(4));

      long started = System.nanoTime();
      var projects = mason.as("alice@example.com").get("/api/projects");
      assertThat(projects.status()).as(projects.toString()).isEqualTo(503);
      assertThat(projects.json().get("error").asText()).contains("unavailable", "127.0.0.1:");
      assertThat(Duration.ofNanos(System.nanoTime() - started)).as("a request fails in bounded time").isLessThan(Duration.ofSeconds(10));
      assertThat(projects.body()).doesNotContain("Exception", "\tat ");
    }
  }
}
