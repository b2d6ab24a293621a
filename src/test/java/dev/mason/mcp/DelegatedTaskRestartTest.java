package dev.mason.mcp;

import static dev.mason.agent.llm.FakeAnthropicServer.message;
import static dev.mason.mcp.McpFixture.ALICE;
import static dev.mason.mcp.McpFixture.ALICE_TOKEN;
import static dev.mason.mcp.McpFixture.LIMIT;
import static dev.mason.mcp.McpFixture.MODEL;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mason.testing.Eventually;
import dev.mason.testing.TestMason;
import io.modelcontextprotocol.client.McpSyncClient;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
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

  @Test
  void aTaskLeftRunningByAKilledMasonIsInterruptedAtTheNextStartAndTheQueuedOneStillRuns() throws Exception {
    fixture = McpFixture.withoutMason(Map.of("MASON_MAX_TASKS", "1"));
    Path home = TestMason.freshHome();
    ProcessBuilder builder = new ProcessBuilder(ProcessHandle.current().info().command().orElse("java"),
        "-cp", System.getProperty("java.class.path"), "dev.mason.Mason", "--port", "0", "--home", home.toString())
        .redirectErrorStream(true);
    builder.environment().keySet().removeIf(name -> name.startsWith("DATABRICKS_") || name.startsWith("ANTHROPIC_"));
    builder.environment().putAll(fixture.env());
    Process killed = builder.start();
    String running;
    String queued;
    try {
      String url = readyUrl(killed).get(90, TimeUnit.SECONDS);
      try (McpSyncClient alice = McpFixture.client(url, ALICE_TOKEN, null)) {
        fixture.model.enqueue(message().text("never finished").hang());
        running = McpFixture.call(alice, "mason_run", "{\"prompt\": \"cut short\"}").get("task_id").asText();
        Eventually.await(LIMIT, "the run to hold the model's reply", () -> fixture.model.requestsFor(MODEL).size() == 1);
        queued = McpFixture.call(alice, "mason_run", "{\"prompt\": \"after the crash\"}").get("task_id").asText();
      }
      killed.destroyForcibly();
      assertThat(killed.waitFor(10, TimeUnit.SECONDS)).isTrue();
    } finally {
      killed.destroyForcibly();
    }

    fixture.model.enqueue(message().text("Done after the crash."));
    fixture.adopt(TestMason.startAt(home, fixture.env()));
    try (McpSyncClient alice = fixture.client(ALICE_TOKEN)) {
      JsonNode interrupted = McpFixture.call(alice, "mason_get_result", "{\"task_id\": \"" + running + "\"}");
      assertThat(interrupted.get("status").asText()).isEqualTo("interrupted");
      assertThat(interrupted.get("error").asText()).contains("restarted");
      assertThat(DelegatedTaskTest.awaitEnded(alice, queued).get("answer").asText()).isEqualTo("Done after the crash.");
    }
  }

  /** Completes with the URL of Mason's ready line; the process's output is read to its end, so it never blocks on a full pipe. */
  private static CompletableFuture<String> readyUrl(Process mason) {
    CompletableFuture<String> url = new CompletableFuture<>();
    Pattern ready = Pattern.compile("is ready at (http://\\S+)");
    Thread.ofVirtual().name("killed-mason-output").start(() -> {
      try (var out = new BufferedReader(new InputStreamReader(mason.getInputStream(), StandardCharsets.UTF_8))) {
        String line;
        while ((line = out.readLine()) != null) {
          Matcher m = ready.matcher(line);
          if (m.find()) {
            url.complete(m.group(1).replace("localhost", "127.0.0.1"));
          }
        }
      } catch (IOException ended) {
        // the process is gone
      }
      url.completeExceptionally(new AssertionError("Mason ended without a ready line"));
    });
    return url;
  }
}
