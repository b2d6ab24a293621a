package dev.mason.mcp;

import static dev.mason.agent.llm.FakeAnthropicServer.message;
import static dev.mason.mcp.McpFixture.ALICE;
import static dev.mason.mcp.McpFixture.ALICE_TOKEN;
import static dev.mason.mcp.McpFixture.LIMIT;
import static dev.mason.mcp.McpFixture.MODEL;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mason.testing.Eventually;
import io.modelcontextprotocol.client.McpSyncClient;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Tasks are stored: a restart interrupts the running ones and the queued ones still run. */
class DelegatedTaskRestartTest {
  McpFixture fixture;

  @AfterEach
  void stop() {
    if (fixture != null) {
      fixture.close();
    }
  }

  @Test
  void afterARestartTheRunningTaskIsInterruptedAndTheQueuedOneRunsToCompletion() {
    fixture = McpFixture.start(Map.of("MASON_MAX_TASKS", "1"));
    String running;
    String queued;
    try (McpSyncClient alice = fixture.client(ALICE_TOKEN)) {
      fixture.model.enqueue(message().text("half way th").hang());
      JsonNode first = McpFixture.call(alice, "mason_run", "{\"prompt\": \"the long one\"}");
      running = first.get("task_id").asText();
      assertThat(first.get("status").asText()).isEqualTo("running");
      Eventually.await(LIMIT, "the run to hold the model's reply", () -> fixture.model.requestsFor(MODEL).size() == 1);
      JsonNode second = McpFixture.call(alice, "mason_run", "{\"prompt\": \"write notes.txt\"}");
      queued = second.get("task_id").asText();
      assertThat(second.get("status").asText()).isEqualTo("queued");
    }

    fixture.model.enqueue(
        message().toolUse("tu_notes", "Write", "{\"file_path\": \"notes.txt\", \"content\": \"after the restart\\n\"}"),
        message().text("notes.txt is written."));
    fixture.restart();

    // Mason keeps no tokens: the queued task, which acts with Alice's, starts once she connects again.
    try (McpSyncClient alice = fixture.client(ALICE_TOKEN)) {
      JsonNode interrupted = DelegatedTaskTest.awaitEnded(alice, running);
      assertThat(interrupted.get("status").asText()).isEqualTo("interrupted");
      assertThat(interrupted.get("error").asText()).contains("Mason");
      JsonNode done = DelegatedTaskTest.awaitEnded(alice, queued);
      assertThat(done.get("status").asText()).isEqualTo("completed");
      assertThat(done.get("answer").asText()).isEqualTo("notes.txt is written.");
      assertThat(done.get("files_changed").toString()).isEqualTo("[\"notes.txt\"]");
      JsonNode counts = McpFixture.call(alice, "mason_inbox", "{}").get("counts");
      assertThat(counts.get("interrupted").asInt()).isEqualTo(1);
      assertThat(counts.get("completed").asInt()).isEqualTo(1);
    }
    String project = fixture.mason.as(ALICE).get("/api/projects").json().get(0).get("id").asText();
    assertThat(fixture.mason.as(ALICE).get("/api/projects/" + project + "/files/content?path=notes.txt").json()
        .get("content").asText()).isEqualTo("after the restart\n");
  }
}
