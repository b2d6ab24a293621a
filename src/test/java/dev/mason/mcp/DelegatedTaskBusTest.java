package dev.mason.mcp;

import static dev.mason.agent.llm.FakeAnthropicServer.message;
import static dev.mason.mcp.McpFixture.ALICE;
import static dev.mason.mcp.McpFixture.ALICE_TOKEN;
import static org.assertj.core.api.Assertions.assertThat;

import dev.mason.testing.BusStream;
import dev.mason.testing.SseClient.Event;
import io.modelcontextprotocol.client.McpSyncClient;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A delegated task's life reaches its owner's live bus: queued, started, ended with its status. */
class DelegatedTaskBusTest {
  @Test
  void aTasksQueueStartAndEndArriveOnItsOwnersBus() {
    try (McpFixture fixture = McpFixture.start(Map.of());
        McpSyncClient alice = fixture.client(ALICE_TOKEN);
        BusStream bus = BusStream.open(fixture.mason.baseUrl(), ALICE)) {
      fixture.model.enqueue(message().text("Done quickly."));
      String task = McpFixture.call(alice, "mason_run", "{\"prompt\": \"be quick\"}").get("task_id").asText();

      bus.await("the task's end", e -> e.type().equals("task.ended"));
      List<Event> ofTask = bus.changes().stream()
          .filter(e -> e.data().has("task_id") && e.data().get("task_id").asText().equals(task)).toList();
      assertThat(ofTask).extracting(Event::type).containsExactly("task.queued", "task.started", "task.ended");
      assertThat(ofTask).extracting(e -> e.data().get("status").asText()).containsExactly("queued", "running", "completed");
      String conversation = ofTask.getLast().data().get("conversation_id").asText();
      assertThat(bus.changes()).anySatisfy(e -> {
        assertThat(e.type()).isEqualTo("execution.ended");
        assertThat(e.data().get("conversation_id").asText()).isEqualTo(conversation);
      });
    }
  }
}
