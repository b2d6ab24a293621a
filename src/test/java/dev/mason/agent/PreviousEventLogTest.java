package dev.mason.agent;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mason.testing.Api;
import dev.mason.testing.MasonDatabase;
import dev.mason.testing.SseClient;
import dev.mason.testing.SseClient.Event;
import dev.mason.testing.TestMason;
import dev.mason.web.Json;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.Test;

/**
 * An event log stored by the previous version (its rows exactly as its code wrote them, with no
 * {@code type} inside the data) is served by this one unchanged, each event's data now carrying
 * its type, and a row of a type this version does not know is skipped rather than failing the stream.
 */
class PreviousEventLogTest {
  @Test
  void aLogStoredByThePreviousVersionIsServedWithEveryFieldAndItsType() throws IOException {
    try (TestMason mason = TestMason.start()) {
      Api alice = mason.as("alice@example.com");
      String project = alice.post("/api/projects", "{\"name\": \"old log\"}").json().get("id").asText();
      String conversation = alice.post("/api/projects/" + project + "/conversations", "{\"title\": \"old\"}").json()
          .get("id").asText();
      Jdbi db = MasonDatabase.of(mason);
      UUID execution = db.withHandle(h -> h.createQuery("INSERT INTO executions (conversation_id, project_id, owner, status, model) "
              + "VALUES (CAST(:c AS uuid), CAST(:p AS uuid), 'alice@example.com', 'cancelled', 'fake') RETURNING id")
          .bind("c", conversation).bind("p", project).mapTo(UUID.class).one());
      List<JsonNode> rows = rows("/events/previous-version-log.jsonl");
      db.useHandle(h -> {
        for (JsonNode row : rows) {
          h.createUpdate("INSERT INTO execution_events (execution_id, seq, type, data) VALUES (:e, :s, :t, CAST(:d AS jsonb))")
              .bind("e", execution).bind("s", 2 * row.get("seq").asInt()).bind("t", row.get("type").asText())
              .bind("d", row.get("data").toString()).execute();
        }
        // Between them, a row written by a newer Mason: skipped, not a failure.
        h.createUpdate("INSERT INTO execution_events (execution_id, seq, type, data) VALUES (:e, 7, 'compaction', '{}')")
            .bind("e", execution).execute();
      });

      List<Event> events = SseClient.read(mason.baseUrl() + "/api/executions/" + execution + "/events",
          Map.of("X-Forwarded-Email", "alice@example.com"), e -> e.type().equals("done"), Duration.ofSeconds(20));

      assertThat(events).hasSameSizeAs(rows);
      for (int i = 0; i < rows.size(); i++) {
        JsonNode row = rows.get(i);
        Event event = events.get(i);
        assertThat(event.id()).isEqualTo(2 * row.get("seq").asInt());
        assertThat(event.type()).isEqualTo(row.get("type").asText());
        ObjectNode expected = ((ObjectNode) row.get("data").deepCopy()).put("type", row.get("type").asText());
        assertThat(event.data()).as("event %d", event.id()).isEqualTo(expected);
      }
      assertThat(alice.get("/api/executions/" + execution).json().get("status").asText()).isEqualTo("cancelled");
    }
  }

  private static List<JsonNode> rows(String resource) throws IOException {
    try (InputStream in = PreviousEventLogTest.class.getResourceAsStream(resource)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().filter(l -> !l.isBlank()).map(line -> {
        try {
          return Json.MAPPER.readTree(line);
        } catch (IOException e) {
          throw new AssertionError(line, e);
        }
      }).toList();
    }
  }
}
