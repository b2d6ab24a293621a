package dev.mason.agent.claudecode;

import static dev.mason.agent.claudecode.ClaudeCodeRuntimeTest.deleteTree;
import static dev.mason.agent.claudecode.ClaudeCodeRuntimeTest.invoke;
import static dev.mason.agent.llm.FakeAnthropicServer.message;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mason.agent.llm.FakeAnthropicServer;
import dev.mason.testing.Api;
import dev.mason.testing.Eventually;
import dev.mason.testing.CachedClis;
import dev.mason.testing.SseClient;
import dev.mason.testing.SseClient.Event;
import dev.mason.testing.TestMason;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A Claude Code session outlives Mason and its project folder: after a restart with the folder
 * deleted (restored from its backup) and the CLI's own copy of the transcript gone, the next
 * message resumes the session, and the model sees the first exchange.
 */
class ClaudeCodeRestartTest {
  static final String MODEL = "claude-sonnet-4-5";
  static final String ALICE = "alice@example.com";
  static final Duration LIMIT = Duration.ofSeconds(60);

  static FakeAnthropicServer model;
  static Path home;

  @BeforeAll
  static void start() {
    model = new FakeAnthropicServer();
    model.alwaysAnswer("claude-haiku-mini", message().text("A title"));
    home = TestMason.freshHome();
  }

  @AfterAll
  static void stop() {
    model.close();
  }

  static TestMason mason() {
    return TestMason.startAt(home, Map.of("ANTHROPIC_BASE_URL", model.baseUrl(), "ANTHROPIC_AUTH_TOKEN", "sk-mason-model-key",
        "ANTHROPIC_MODEL", MODEL, "ANTHROPIC_MODEL_MINI", "claude-haiku-mini", "MASON_BASH", "host", "BACKUP_INTERVAL_SECONDS", "1",
        "MASON_CLIS_DIR", CachedClis.folder().toString()));
  }

  @Test
  void afterARestartWithTheFolderRestoredFromItsBackupTheNextMessageResumesTheSession() throws Exception {
    String project;
    String conversation;
    Path folder;
    try (TestMason first = mason()) {
      Api alice = first.as(ALICE);
      project = alice.post("/api/projects", "{\"name\": \"resume\"}").json().get("id").asText();
      model.enqueue(message().text("The answer is forty-two."));
      JsonNode started = invoke(alice, project, null, "Remember the number");
      conversation = started.get("conversation_id").asText();
      List<Event> events = read(first, started.get("execution_id").asText());
      assertThat(events.getLast().data().get("status").asText()).isEqualTo("completed");
      folder = first.app().settings().storage().projectsDir().resolve(project);
      Path kept = folder.resolve(SessionFiles.IN_PROJECT);
      // The CLI may finish writing its transcript after the result; Mason copies it again shortly after.
      Eventually.await(Duration.ofSeconds(20), "the transcript kept in the project folder", () -> holds(kept, "The answer is forty-two."));
      Instant copied = Instant.now();
      Eventually.await(Duration.ofSeconds(20), "a backup taken after the transcript was kept", () -> {
        JsonNode backup = alice.get("/api/projects/" + project + "/backup").json();
        return backup.hasNonNull("backed_up_at") && Instant.parse(backup.get("backed_up_at").asText()).isAfter(copied);
      });
    }
    // The machine lost the folder and the CLI's own state: only the database (and its backup) is left.
    deleteTree(folder);
    deleteTree(home.resolve("claude-code/config/projects"));
    assertThat(folder).doesNotExist();

    try (TestMason third = mason()) {
      Api alice = third.as(ALICE);
      model.enqueue(message().text("It was forty-two."));
      JsonNode started = invoke(alice, project, conversation, "What was the number?");
      List<Event> events = read(third, started.get("execution_id").asText());

      assertThat(events.getLast().data().get("status").asText()).as(events.toString()).isEqualTo("completed");
      assertThat(events).filteredOn(e -> e.type().equals("text"))
          .noneSatisfy(e -> assertThat(e.data().get("text").asText()).contains("could not be resumed"));
      String sent = model.lastRequest().body().get("messages").toString();
      assertThat(sent).contains("Remember the number", "The answer is forty-two.", "What was the number?");
      assertThat(Files.isDirectory(folder)).isTrue();
    }
  }

  @Test
  void aRestartMidRunMarksTheRunInterruptedAndTheNextMessageResumesTheSession() {
    String project;
    String conversation;
    String execution;
    try (TestMason first = mason()) {
      Api alice = first.as(ALICE);
      project = alice.post("/api/projects", "{\"name\": \"mid-run\"}").json().get("id").asText();
      model.enqueue(message().text("Thinking about the colour blue").hang());
      JsonNode started = invoke(alice, project, null, "Pick a colour and think long");
      conversation = started.get("conversation_id").asText();
      execution = started.get("execution_id").asText();
      Eventually.await(LIMIT, "the answer to start streaming", () -> model.requestsFor(MODEL).stream()
          .anyMatch(r -> r.body().get("messages").toString().contains("Pick a colour")));
      // Resuming needs the turn in the CLI's own transcript, which it writes on its own schedule.
      Eventually.await(LIMIT, "the CLI to record the message in its transcript",
          () -> holds(home.resolve("claude-code/config/projects"), "Pick a colour"));
    }
    assertThat(ClaudeCodeRuntimeTest.pidOf(conversation)).as("no CLI outlives Mason").isNull();
    model.clearQueue();

    try (TestMason second = mason()) {
      Api alice = second.as(ALICE);
      assertThat(alice.get("/api/executions/" + execution).json().get("status").asText()).isEqualTo("interrupted");
      model.enqueue(message().text("Blue it is."));
      JsonNode started = invoke(alice, project, conversation, "Which colour?");
      List<Event> events = read(second, started.get("execution_id").asText());

      assertThat(events.getLast().data().get("status").asText()).as(events.toString()).isEqualTo("completed");
      assertThat(events).filteredOn(e -> e.type().equals("text"))
          .noneSatisfy(e -> assertThat(e.data().get("text").asText()).contains("could not be resumed"));
      assertThat(model.lastRequest().body().get("messages").toString()).contains("Pick a colour and think long", "Which colour?");
    }
  }

  static List<Event> read(TestMason mason, String execution) {
    return SseClient.read(mason.baseUrl() + "/api/executions/" + execution + "/events?after=0", Map.of("X-Forwarded-Email", ALICE),
        e -> e.type().equals("done"), LIMIT);
  }

  /** Whether a transcript under {@code folder} holds {@code text}. */
  private static boolean holds(Path folder, String text) {
    if (!Files.isDirectory(folder)) {
      return false;
    }
    try (var files = Files.walk(folder)) {
      return files.filter(f -> f.toString().endsWith(".jsonl")).anyMatch(f -> {
        try {
          return Files.readString(f).contains(text);
        } catch (java.io.IOException e) {
          return false;
        }
      });
    } catch (java.io.IOException | java.io.UncheckedIOException e) {
      return false;
    }
  }
}
