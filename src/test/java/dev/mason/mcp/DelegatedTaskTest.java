package dev.mason.mcp;

import static dev.mason.agent.llm.FakeAnthropicServer.message;
import static dev.mason.mcp.McpFixture.ALICE;
import static dev.mason.mcp.McpFixture.ALICE_TOKEN;
import static dev.mason.mcp.McpFixture.BOB_TOKEN;
import static dev.mason.mcp.McpFixture.LIMIT;
import static dev.mason.mcp.McpFixture.MODEL;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mason.testing.Api;
import dev.mason.testing.Eventually;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.spec.McpSchema;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Delegated tasks end to end: mason_run, the inbox, the result, cancel, the per-user limit. */
class DelegatedTaskTest {
  static McpFixture fixture;
  McpSyncClient alice;

  @BeforeAll
  static void start() {
    fixture = McpFixture.start(Map.of());
  }

  @AfterAll
  static void stop() {
    fixture.close();
  }

  @BeforeEach
  void connect() {
    alice = fixture.client(ALICE_TOKEN);
  }

  @AfterEach
  void everyScriptedReplyWasUsed() {
    alice.close();
    assertThat(fixture.model.pending()).as("replies left for a later test").isZero();
  }

  @Test
  void aDelegatedTaskRunsAsTheCallerIsWatchableAndHandsBackItsAnswerAndTheFileItWrote() {
    int requestsBefore = fixture.model.requestsFor(MODEL).size();
    fixture.model.enqueue(
        message().text("I will write ", "the report.").toolUse("tu_w", "Write",
            "{\"file_path\": \"report.md\", \"content\": \"# Sales\\n\"}").delayBetweenEvents(Duration.ofMillis(150)),
        message().text("Done: report.md ", "has the sales summary.").usage(120, 34));

    JsonNode started = McpFixture.call(alice, "mason_run",
        "{\"prompt\": \"Summarise sales into report.md\", \"context\": {\"table\": \"main.sales.orders\"}, \"timeout_s\": 600}");
    String task = started.get("task_id").asText();
    assertThat(started.get("status").asText()).isEqualTo("running");
    String project = started.get("project_id").asText();
    String conversation = started.get("conversation_id").asText();
    assertThat(started.get("viewer_url").asText())
        .isEqualTo(fixture.mason.baseUrl() + "/projects/" + project + "/conversations/" + conversation);

    JsonNode running = entry(McpFixture.call(alice, "mason_inbox", "{}"), task);
    assertThat(running.get("status").asText()).isEqualTo("running");
    assertThat(running.get("prompt_summary").asText()).isEqualTo("Summarise sales into report.md");
    assertThat(McpFixture.call(alice, "mason_get_result", "{\"task_id\": \"" + task + "\"}").get("message").asText())
        .contains("still running");

    JsonNode result = awaitEnded(alice, task);
    assertThat(result.get("status").asText()).isEqualTo("completed");
    assertThat(result.get("answer").asText()).isEqualTo("Done: report.md has the sales summary.");
    assertThat(result.get("files_changed").toString()).isEqualTo("[\"report.md\"]");
    assertThat(result.get("errors").size()).isZero();
    assertThat(result.get("usage").get("output_tokens").asLong()).isPositive();
    assertThat(result.get("resources_created").isArray()).isTrue();

    JsonNode done = entry(McpFixture.call(alice, "mason_inbox", "{\"status\": \"completed\"}"), task);
    assertThat(done.get("summary").asText()).isEqualTo("Done: report.md has the sales summary.");
    assertThat(done.get("elapsed_s").asLong()).isNotNegative();

    // The run was an agent execution in the caller's "Delegated tasks" project: the chat page shows it.
    Api browser = fixture.mason.as(ALICE);
    assertThat(browser.get("/api/projects/" + project).json().get("name").asText()).isEqualTo("Delegated tasks");
    assertThat(browser.get("/api/projects/" + project + "/files/content?path=report.md").json().get("content").asText())
        .isEqualTo("# Sales\n");
    JsonNode messages = browser.get("/api/projects/" + project + "/conversations/" + conversation).json().get("messages");
    assertThat(messages.toString()).contains("Summarise sales into report.md").contains("has the sales summary");
    JsonNode sent = fixture.model.requestsFor(MODEL).get(requestsBefore).body();
    assertThat(sent.get("messages").get(0).toString()).contains("main.sales.orders").contains("delegated");
  }

  @Test
  void aJobTheRunCreatesWithTheCallersTokenIsReportedAsAResourceCreated() {
    fixture.workspace.clearRequests();
    fixture.model.enqueue(
        message().toolUse("tu_job", "manage_jobs",
            "{\"action\": \"create\", \"name\": \"nightly sales\", \"notebook_path\": \"/Workspace/Users/alice@example.com/sales\"}"),
        message().text("Created the job nightly sales."));
    String task = McpFixture.call(alice, "mason_run", "{\"prompt\": \"make a nightly job\"}").get("task_id").asText();

    JsonNode result = awaitEnded(alice, task);
    assertThat(result.get("status").asText()).isEqualTo("completed");
    assertThat(result.get("resources_created")).hasSize(1);
    JsonNode job = result.get("resources_created").get(0);
    assertThat(job.get("type").asText()).isEqualTo("job");
    assertThat(job.get("name").asText()).isEqualTo("nightly sales");
    assertThat(job.get("created_by").asText()).isEqualTo(ALICE);
    assertThat(result.get("files_changed").toString()).doesNotContain("resources.json");
    assertThat(fixture.workspace.requests("/api/2.2/jobs/create")).extracting(r -> r.token()).containsExactly(ALICE_TOKEN);
  }

  @Test
  void cancellingARunningTaskStopsItsRun() {
    int before = fixture.model.requestsFor(MODEL).size();
    fixture.model.enqueue(message().text("working on it").hang());
    String task = McpFixture.call(alice, "mason_run", "{\"prompt\": \"take your time\"}").get("task_id").asText();
    Eventually.await(LIMIT, "the run to reach the model", () -> fixture.model.requestsFor(MODEL).size() > before);

    JsonNode cancelled = McpFixture.call(alice, "mason_cancel", "{\"task_id\": \"" + task + "\"}");
    assertThat(cancelled.get("status").asText()).isEqualTo("cancelled");
    assertThat(awaitEnded(alice, task).get("status").asText()).isEqualTo("cancelled");
    JsonNode again = McpFixture.call(alice, "mason_cancel", "{\"task_id\": \"" + task + "\"}");
    assertThat(again.get("status").asText()).isEqualTo("cancelled");
    assertThat(again.get("message").asText()).contains("already ended");
  }

  @Test
  void aTaskThatOutlivesItsTimeoutIsStoppedWithStatusTimeout() {
    int before = fixture.model.requestsFor(MODEL).size();
    fixture.model.enqueue(message().text("this takes forever").hang());
    String task = McpFixture.call(alice, "mason_run", "{\"prompt\": \"never ends\", \"timeout_s\": 1}").get("task_id").asText();
    Eventually.await(LIMIT, "the run to reach the model", () -> fixture.model.requestsFor(MODEL).size() > before);
    JsonNode result = awaitEnded(alice, task);
    assertThat(result.get("status").asText()).isEqualTo("timeout");
    assertThat(result.get("error").asText()).contains("timeout of 1 s");
    assertThat(result.get("elapsed_s").asLong()).isBetween(1L, 20L);
  }

  @Test
  void anotherUsersTaskIsNotFoundAndNotListed() {
    fixture.model.enqueue(message().text("Alice's answer."));
    String task = McpFixture.call(alice, "mason_run", "{\"prompt\": \"a private task\"}").get("task_id").asText();
    awaitEnded(alice, task);
    try (McpSyncClient bob = fixture.client(BOB_TOKEN)) {
      for (String tool : List.of("mason_get_result", "mason_cancel")) {
        McpSchema.CallToolResult answer = McpFixture.callRaw(bob, tool, "{\"task_id\": \"" + task + "\"}");
        assertThat(answer.isError()).isTrue();
        assertThat(McpFixture.text(answer)).isEqualTo("task " + task + " not found");
      }
      assertThat(McpFixture.call(bob, "mason_inbox", "{}").toString()).doesNotContain(task);
      McpSchema.CallToolResult intoAlicesProject = McpFixture.callRaw(bob, "mason_run",
          "{\"prompt\": \"x\", \"project_id\": \"" + McpFixture.call(alice, "mason_get_result", "{\"task_id\": \"" + task + "\"}")
              .get("project_id").asText() + "\"}");
      assertThat(intoAlicesProject.isError()).isTrue();
      assertThat(McpFixture.text(intoAlicesProject)).contains("not found");
    }
    assertThat(McpFixture.call(alice, "mason_get_result", "{\"task_id\": \"" + task + "\"}").get("answer").asText())
        .isEqualTo("Alice's answer.");
  }

  @Test
  void aSixthTaskWaitsInTheQueueAndStartsWhenASlotFrees() {
    int before = fixture.model.requestsFor(MODEL).size();
    List<String> running = new ArrayList<>();
    for (int i = 1; i <= 5; i++) {
      fixture.model.enqueue(message().text("long task " + i).hang());
      JsonNode started = McpFixture.call(alice, "mason_run", "{\"prompt\": \"long task " + i + "\"}");
      assertThat(started.get("status").asText()).isEqualTo("running");
      running.add(started.get("task_id").asText());
    }
    Eventually.await(LIMIT, "five runs to reach the model", () -> fixture.model.requestsFor(MODEL).size() >= before + 5);
    JsonNode sixth = McpFixture.call(alice, "mason_run", "{\"prompt\": \"the sixth\"}");
    assertThat(sixth.get("status").asText()).isEqualTo("queued");
    String queued = sixth.get("task_id").asText();
    JsonNode inbox = McpFixture.call(alice, "mason_inbox", "{}");
    assertThat(inbox.get("counts").get("running").asInt()).isEqualTo(5);
    assertThat(inbox.get("counts").get("queued").asInt()).isEqualTo(1);
    assertThat(entry(inbox, queued).get("summary").asText()).contains("free slot");

    // Another user is not held up by Alice's queue.
    try (McpSyncClient bob = fixture.client(BOB_TOKEN)) {
      fixture.model.enqueue(message().text("Bob's quick one."));
      String bobs = McpFixture.call(bob, "mason_run", "{\"prompt\": \"quick\"}").get("task_id").asText();
      assertThat(awaitEnded(bob, bobs).get("status").asText()).isEqualTo("completed");
    }

    fixture.model.enqueue(message().text("The sixth is done."));
    McpFixture.call(alice, "mason_cancel", "{\"task_id\": \"" + running.getFirst() + "\"}");
    JsonNode result = awaitEnded(alice, queued);
    assertThat(result.get("status").asText()).isEqualTo("completed");
    assertThat(result.get("answer").asText()).isEqualTo("The sixth is done.");
    for (String task : running.subList(1, running.size())) {
      assertThat(McpFixture.call(alice, "mason_cancel", "{\"task_id\": \"" + task + "\"}").get("status").asText()).isEqualTo("cancelled");
    }
  }

  @Test
  void badArgumentsAreErrorResultsNamingWhatIsWrong() {
    assertThat(McpFixture.text(McpFixture.callRaw(alice, "mason_run", "{\"prompt\": \"  \"}"))).contains("prompt");
    assertThat(McpFixture.text(McpFixture.callRaw(alice, "mason_run", "{\"prompt\": \"x\", \"timeout_s\": 90000}")))
        .contains("timeout_s must be between 1 and 86400");
    assertThat(McpFixture.text(McpFixture.callRaw(alice, "mason_inbox", "{\"status\": \"sleeping\"}"))).contains("status must be one of");
    McpSchema.CallToolResult badId = McpFixture.callRaw(alice, "mason_get_result", "{\"task_id\": \"nope\"}");
    assertThat(badId.isError()).isTrue();
    assertThat(McpFixture.text(badId)).contains("not found");
  }

  @Test
  void aTaskDelegatedIntoAProjectGetsOnlyTheToolsOfTheSkillsTheProjectEnabled() {
    Api browser = fixture.mason.as(ALICE);
    String project = browser.post("/api/projects", "{\"name\": \"Only SQL\"}").json().get("id").asText();
    assertThat(browser.put("/api/projects/" + project + "/skills/enabled", "{\"enabled_skills\": [\"databricks-dbsql\"]}")
        .status()).isEqualTo(200);
    int before = fixture.model.requestsFor(MODEL).size();
    fixture.model.enqueue(message().text("Nothing to do."));

    String task = McpFixture.call(alice, "mason_run", "{\"prompt\": \"look around\", \"project_id\": \"" + project + "\"}")
        .get("task_id").asText();
    assertThat(awaitEnded(alice, task).get("status").asText()).isEqualTo("completed");

    List<String> tools = new java.util.ArrayList<>();
    fixture.model.requestsFor(MODEL).get(before).body().path("tools").forEach(t -> tools.add(t.path("name").asText()));
    assertThat(tools).contains("execute_sql", "Skill").doesNotContain("manage_jobs", "manage_job_runs", "manage_pipeline");
  }

  static JsonNode awaitEnded(McpSyncClient client, String task) {
    JsonNode[] last = new JsonNode[1];
    Eventually.await(LIMIT, "task " + task + " to end", () -> {
      last[0] = McpFixture.call(client, "mason_get_result", "{\"task_id\": \"" + task + "\"}");
      return !List.of("queued", "running").contains(last[0].get("status").asText());
    });
    return last[0];
  }

  static JsonNode entry(JsonNode inbox, String task) {
    for (JsonNode entry : inbox.get("tasks")) {
      if (entry.get("task_id").asText().equals(task)) {
        return entry;
      }
    }
    throw new AssertionError("task " + task + " is not in the inbox: " + inbox);
  }
}
