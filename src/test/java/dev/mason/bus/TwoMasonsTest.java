package dev.mason.bus;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mason.testing.BusStream;
import dev.mason.testing.MasonDatabase;
import dev.mason.testing.SseClient.Event;
import dev.mason.testing.TestMason;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Two Masons on one PostgreSQL, as two replicas behind a load balancer would be: a change made
 * through one reaches the other's bus, through LISTEN/NOTIFY and the shared change feed.
 */
class TwoMasonsTest {
  @Test
  void aChangeMadeThroughOneMasonArrivesOnTheOthersBus() {
    try (TestMason first = TestMason.start()) {
      String url = "postgresql://postgres:" + URLEncoder.encode(MasonDatabase.password(first.home()), StandardCharsets.UTF_8)
          + "@127.0.0.1:" + MasonDatabase.port(first.home()) + "/postgres?sslmode=disable";
      try (TestMason second = TestMason.start(Map.of("MASON_DATABASE_URL", url));
          BusStream onSecond = BusStream.open(second.baseUrl(), "alice@example.com");
          BusStream onFirst = BusStream.open(first.baseUrl(), "alice@example.com")) {
        String project = first.as("alice@example.com").post("/api/projects", "{\"name\": \"made on the first\"}").json()
            .get("id").asText();
        Event created = onSecond.await("the first Mason's project", e -> e.type().equals("project.created"));
        assertThat(created.data().get("project_id").asText()).isEqualTo(project);
        assertThat(created.data().get("name").asText()).isEqualTo("made on the first");

        second.as("alice@example.com").patch("/api/projects/" + project, "{\"name\": \"renamed on the second\"}");
        Event renamed = onFirst.await("the second Mason's rename", e -> e.type().equals("project.renamed"));
        assertThat(renamed.data().get("name").asText()).isEqualTo("renamed on the second");
        assertThat(renamed.id()).isGreaterThan(created.id());
      }
    }
  }
}
