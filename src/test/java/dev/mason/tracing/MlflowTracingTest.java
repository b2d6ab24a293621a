package dev.mason.tracing;

import static dev.mason.agent.llm.FakeAnthropicServer.message;
import static dev.mason.tracing.FakeMlflow.attributes;
import static dev.mason.tracing.FakeMlflow.hex;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mason.Application;
import dev.mason.agent.llm.FakeAnthropicServer;
import dev.mason.databricks.FakeWorkspace;
import dev.mason.testing.Api.Response;
import dev.mason.testing.Eventually;
import dev.mason.testing.SseClient;
import dev.mason.testing.TestMason;
import dev.mason.web.Json;
import io.opentelemetry.proto.trace.v1.Span;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Agent runs traced to MLflow end to end: a real Mason behind the Databricks Apps proxy's
 * headers, the fake model scripting the runs, the fake workspace answering the SQL, and a fake
 * MLflow that decodes each OTLP export with the official protobuf classes.
 */
class MlflowTracingTest {
  static final String MODEL = "fake-claude";
  static final String MINI = "fake-claude-mini";
  static final String ALICE = "alice@example.com";
  static final String ALICE_TOKEN = "alice-forwarded-token-7f3a";
  static final String BOB = "bob@example.com";
  static final String BOB_TOKEN = "bob-forwarded-token-2b8e";
  static final String APP_TOKEN = "mason-app-token-91c2";
  static final String MODEL_TOKEN = "test-model-token-55d1";
  static final List<String> SECRETS = List.of(ALICE_TOKEN, BOB_TOKEN, APP_TOKEN, MODEL_TOKEN);
  static final Duration LIMIT = Duration.ofSeconds(30);

  static FakeWorkspace workspace;
  static FakeAnthropicServer model;
  static FakeMlflow mlflow;
  static TestMason mason;

  @BeforeAll
  static void start() {
    workspace = FakeWorkspace.start()
        .addUser(ALICE_TOKEN, ALICE)
        .addUser(BOB_TOKEN, BOB)
        .addUser(APP_TOKEN, "mason-app@example.com")
        .addWarehouse("wh-analytics", "Analytics", "RUNNING", "admin@example.com")
        .sql("CREATE SCHEMA sales",
            "CREATE TABLE sales.orders (id int, customer text, amount numeric(10,2), paid boolean)",
            "INSERT INTO sales.orders VALUES (1, 'ada', 10.50, true), (2, 'bob', 20.00, false)");
    model = new FakeAnthropicServer();
    model.alwaysAnswer(MINI, message().text("Traced work"));
    mlflow = FakeMlflow.start();
    mason = TestMason.start(Map.of(
        "DATABRICKS_HOST", workspace.url(),
        "DATABRICKS_TOKEN", APP_TOKEN,
        "ANTHROPIC_BASE_URL", model.baseUrl(),
        "ANTHROPIC_AUTH_TOKEN", MODEL_TOKEN,
        "ANTHROPIC_MODEL", MODEL,
        "ANTHROPIC_MODEL_MINI", MINI,
        "MLFLOW_TRACKING_URI", mlflow.url()));
  }

  @AfterAll
  static void stop() {
    if (mason != null) {
      mason.close();
    }
    model.close();
    mlflow.close();
    workspace.close();
  }

  @Test
  void aChatRunBecomesATraceOfItsModelAndToolCallsInTheExperimentCreatedAsTheUser() {
    User alice = user(ALICE, ALICE_TOKEN);
    String project = project(alice, "traced");
    model.enqueue(
        message().thinking("sig-1", "Let me look ", "at the orders.")
            .toolUse("toolu_w1", "Write", "{\"file_path\": \"notes.md\", ", "\"content\": \"key " + APP_TOKEN + "\"}")
            .toolUse("toolu_q1", "execute_sql", "{\"sql_query\": \"SELECT customer, amount FROM main.sales.orders WHERE paid ORDER BY id\", "
                + "\"warehouse_id\": \"wh-analytics\"}")
            .usage(120, 45).cacheUsage(80, 10),
        message().text("Paid: ", "ada.").usage(200, 12));

    Run run = run(alice, project, "Note my key " + MODEL_TOKEN + ", then list the paid orders", null);
    assertThat(run.status()).isEqualTo("completed");

    List<Span> trace = awaitTrace(run.executionId(), 5);
    Span root = only(trace, "invoke_agent");
    Map<String, String> rootAttributes = attributes(root);
    assertThat(root.getParentSpanId().isEmpty()).as("the root has no parent").isTrue();
    assertThat(rootAttributes)
        .containsEntry("gen_ai.operation.name", "invoke_agent")
        .containsEntry("mlflow.spanType", "AGENT")
        .containsEntry("mason.user", ALICE)
        .containsEntry("mlflow.trace.user", ALICE)
        .containsEntry("mason.project.id", project)
        .containsEntry("mason.conversation.id", run.conversationId())
        .containsEntry("gen_ai.conversation.id", run.conversationId())
        .containsEntry("mlflow.trace.session", run.conversationId())
        .containsEntry("mason.execution.id", run.executionId())
        .containsEntry("mason.runtime", "mason-agent")
        .containsEntry("mason.source", "chat")
        .containsEntry("mason.version", Application.version())
        .containsEntry("gen_ai.usage.input_tokens", "320")
        .containsEntry("gen_ai.usage.output_tokens", "57");
    assertThat(rootAttributes.get("gen_ai.input.messages")).contains("then list the paid orders");
    assertThat(rootAttributes.get("mlflow.spanInputs")).contains("then list the paid orders");
    assertThat(rootAttributes.get("gen_ai.output.messages")).contains("Paid: ada.");
    assertThat(rootAttributes.get("mlflow.spanOutputs")).isEqualTo("\"Paid: ada.\"");

    List<Span> calls = named(trace, "chat ");
    assertThat(calls).hasSize(2).allSatisfy(call -> {
      assertThat(call.getParentSpanId()).isEqualTo(root.getSpanId());
      assertThat(attributes(call)).containsEntry("gen_ai.operation.name", "chat").containsEntry("mlflow.spanType", "LLM")
          .containsEntry("gen_ai.request.model", MODEL);
      assertThat(call.getEndTimeUnixNano()).isGreaterThanOrEqualTo(call.getStartTimeUnixNano());
    });
    Map<String, String> first = attributes(calls.stream().filter(c -> attributes(c).get("mason.turn").equals("1")).findFirst().orElseThrow());
    assertThat(first)
        .containsEntry("gen_ai.usage.input_tokens", "120")
        .containsEntry("gen_ai.usage.output_tokens", "45")
        .containsEntry("gen_ai.usage.cache_read.input_tokens", "80")
        .containsEntry("gen_ai.usage.cache_creation.input_tokens", "10")
        .containsEntry("gen_ai.response.finish_reasons", "tool_use");
    JsonNode firstOutput = json(first.get("gen_ai.output.messages")).get(0);
    assertThat(firstOutput.path("role").asText()).isEqualTo("assistant");
    assertThat(firstOutput.path("parts").findValuesAsText("type")).containsExactly("reasoning", "tool_call", "tool_call");
    assertThat(firstOutput.path("parts").get(0).path("content").asText()).isEqualTo("Let me look at the orders.");
    assertThat(json(first.get("gen_ai.input.messages")).get(0).path("parts").get(0).path("content").asText())
        .contains("then list the paid orders");
    Map<String, String> second = attributes(calls.stream().filter(c -> attributes(c).get("mason.turn").equals("2")).findFirst().orElseThrow());
    assertThat(second).containsEntry("gen_ai.usage.input_tokens", "200").containsEntry("gen_ai.response.finish_reasons", "end_turn");
    assertThat(json(second.get("gen_ai.input.messages")).findValuesAsText("type")).containsExactly("tool_call_response", "tool_call_response");
    assertThat(second.get("gen_ai.output.messages")).contains("Paid: ada.");

    Map<String, String> write = attributes(only(trace, "execute_tool Write"));
    assertThat(write).containsEntry("gen_ai.operation.name", "execute_tool").containsEntry("mlflow.spanType", "TOOL")
        .containsEntry("gen_ai.tool.name", "Write").containsEntry("gen_ai.tool.call.id", "toolu_w1")
        .containsEntry("mason.tool.is_error", "false");
    assertThat(json(write.get("gen_ai.tool.call.arguments")).path("file_path").asText()).isEqualTo("notes.md");
    assertThat(json(write.get("gen_ai.tool.call.arguments")).path("content").asText()).isEqualTo("key ****");
    assertThat(write.get("gen_ai.tool.call.result")).isNotBlank();
    Map<String, String> sql = attributes(only(trace, "execute_tool execute_sql"));
    assertThat(json(sql.get("gen_ai.tool.call.arguments")).path("sql_query").asText()).startsWith("SELECT customer, amount");
    assertThat(sql.get("gen_ai.tool.call.result")).contains("ada").doesNotContain("bob");
    assertThat(only(trace, "execute_tool execute_sql").getParentSpanId()).isEqualTo(root.getSpanId());

    FakeMlflow.Experiment experiment = mlflow.experiment("/Users/" + ALICE + "/mason");
    assertThat(experiment).as("the user's default experiment was created").isNotNull();
    assertThat(experiment.createdWithToken()).as("created as the user").isEqualTo(ALICE_TOKEN);
    List<FakeMlflow.Export> exports = exportsOf(run.executionId());
    assertThat(exports).isNotEmpty().allSatisfy(export -> {
      assertThat(export.experimentHeader()).isEqualTo(experiment.id());
      assertThat(export.path()).isEqualTo("/v1/traces");
      assertThat(export.contentType()).isEqualTo("application/x-protobuf");
      assertThat(export.authorization()).isEqualTo("Bearer " + ALICE_TOKEN);
    });
    assertNoSecretIn(mlflow.spans());

    String traceId = hex(root.getTraceId().toByteArray());
    Eventually.await(LIMIT, "the execution's trace_url", () -> alice.get("/api/executions/" + run.executionId()).json().has("trace_url"));
    assertThat(alice.get("/api/executions/" + run.executionId()).json().path("trace_url").asText())
        .isEqualTo(mlflow.url() + "/#/experiments/" + experiment.id() + "/traces?selectedEvaluationId=tr-" + traceId);

    JsonNode status = alice.get("/api/mlflow/status").json();
    assertThat(status.path("enabled").asBoolean()).isTrue();
    assertThat(status.path("tracking_uri").asText()).isEqualTo(mlflow.url());
    assertThat(status.path("experiment_name").asText()).isEqualTo("/Users/" + ALICE + "/mason");
    assertThat(status.path("info").asText()).contains(mlflow.url());
    assertThat(status.path("last_export_at").isNull()).isFalse();
    assertThat(alice.get("/api/config/mlflow/status").json().path("experiment_name").asText()).isEqualTo("/Users/" + ALICE + "/mason");
  }

  @Test
  void aRunNamingItsExperimentIsTracedThere() {
    User bob = user(BOB, BOB_TOKEN);
    String project = project(bob, "builder");
    model.enqueue(message().text("Built."));
    Run run = run(bob, project, "Build it", "/Shared/builder-runs");
    assertThat(run.status()).isEqualTo("completed");
    awaitTrace(run.executionId(), 2);
    FakeMlflow.Experiment experiment = mlflow.experiment("/Shared/builder-runs");
    assertThat(experiment).isNotNull();
    assertThat(exportsOf(run.executionId())).allSatisfy(e -> assertThat(e.experimentHeader()).isEqualTo(experiment.id()));
    assertThat(bob.post("/api/invoke_agent", Json.MAPPER.createObjectNode().put("project_id", project).put("message", "x")
        .put("mlflow_experiment_name", "bad\u0007name").toString()).body()).contains("mlflow_experiment_name");
  }

  @Test
  void runsGoOnWhileMlflowIsDownAndTheTracesOfLaterRunsArriveWhenItIsBack() {
    User bob = user(BOB, BOB_TOKEN);
    String project = project(bob, "outage");
    mlflow.stop();
    try {
      model.enqueue(message().text("Answered while MLflow was down."));
      Run during = run(bob, project, "Are you there?", null);
      assertThat(during.status()).isEqualTo("completed");
      Eventually.await(LIMIT, "the status to show the export error", () -> !bob.get("/api/mlflow/status").json().path("last_error").isNull());
      assertThat(bob.get("/api/mlflow/status").json().path("last_error").asText()).contains(mlflow.url());
    } finally {
      mlflow.restart();
    }
    model.enqueue(message().text("Answered after MLflow came back."));
    Run after = run(bob, project, "And now?", null);
    assertThat(after.status()).isEqualTo("completed");
    List<Span> trace = awaitTrace(after.executionId(), 2);
    assertThat(attributes(only(trace, "invoke_agent")).get("mlflow.spanOutputs")).contains("after MLflow came back");
    assertNoSecretIn(mlflow.spans());
  }

  @Test
  void aJobRunStartedByOneToolCallIsLinkedToTheLaterCallThatPollsIt() throws Exception {
    User alice = user(ALICE, ALICE_TOKEN);
    String project = project(alice, "async");
    var created = java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(
            java.net.URI.create(workspace.url() + "/api/2.2/jobs/create"))
        .header("Authorization", "Bearer " + ALICE_TOKEN).header("Content-Type", "application/json")
        .POST(java.net.http.HttpRequest.BodyPublishers.ofString("{\"name\": \"nightly\", \"tasks\": [{\"task_key\": \"main\","
            + " \"notebook_task\": {\"notebook_path\": \"/Users/alice@example.com/nightly\"}}]}")).build(),
        java.net.http.HttpResponse.BodyHandlers.ofString());
    long job = json(created.body()).path("job_id").asLong();
    // The fake numbers a job's run right after the job: nothing else in this class makes jobs.
    long expectedRun = job + 1;
    model.enqueue(
        message().toolUse("toolu_start", "manage_job_runs", "{\"action\": \"run_now\", \"job_id\": \"" + job + "\"}").usage(50, 10),
        message().toolUse("toolu_poll", "manage_job_runs", "{\"action\": \"get\", \"run_id\": \"" + expectedRun + "\"}").usage(60, 10),
        message().text("The run is going.").usage(70, 5));
    Run run = run(alice, project, "Start the nightly job and check on it", null);
    assertThat(run.status()).isEqualTo("completed");

    List<Span> trace = awaitTrace(run.executionId(), 6);
    List<Span> tools = named(trace, "execute_tool manage_job_runs");
    assertThat(tools).hasSize(2);
    Span start = tools.stream().filter(s -> "toolu_start".equals(attributes(s).get("gen_ai.tool.call.id"))).findFirst().orElseThrow();
    Span poll = tools.stream().filter(s -> "toolu_poll".equals(attributes(s).get("gen_ai.tool.call.id"))).findFirst().orElseThrow();
    assertThat(attributes(start).get("gen_ai.tool.call.result")).contains("\"run_id\":" + expectedRun);
    assertThat(attributes(start).get("mason.databricks.operations")).contains("run_id=" + expectedRun);
    assertThat(attributes(poll).get("mason.databricks.operations")).contains("run_id=" + expectedRun);
    assertThat(start.getLinksList()).isEmpty();
    assertThat(poll.getLinksList()).singleElement().satisfies(link -> {
      assertThat(link.getSpanId()).isEqualTo(start.getSpanId());
      assertThat(link.getTraceId()).isEqualTo(start.getTraceId());
      assertThat(link.getAttributesList()).anySatisfy(a -> assertThat(a.getValue().getStringValue()).isEqualTo("run_id=" + expectedRun));
    });
  }

  record Run(String executionId, String conversationId, String status) {}

  /** Someone behind the Databricks Apps proxy, which forwards their email and their own token. */
  record User(String email, String token) {
    Map<String, String> headers() {
      return Map.of("X-Forwarded-Email", email, "X-Forwarded-Access-Token", token);
    }

    Response get(String path) {
      return mason.as(email).withHeader("X-Forwarded-Access-Token", token).get(path);
    }

    Response post(String path, String body) {
      return mason.as(email).withHeader("X-Forwarded-Access-Token", token).post(path, body);
    }
  }

  static User user(String email, String token) {
    return new User(email, token);
  }

  static String project(User user, String name) {
    var created = user.post("/api/projects", Json.MAPPER.createObjectNode().put("name", name).toString());
    assertThat(created.status()).as(created.body()).isEqualTo(201);
    return created.json().path("id").asText();
  }

  /** Starts a run and reads its events until done. */
  static Run run(User user, String project, String message, String experiment) {
    var body = Json.MAPPER.createObjectNode().put("project_id", project).put("message", message);
    if (experiment != null) {
      body.put("mlflow_experiment_name", experiment);
    }
    var started = user.post("/api/invoke_agent", body.toString());
    assertThat(started.status()).as(started.body()).isEqualTo(202);
    String execution = started.json().path("execution_id").asText();
    List<SseClient.Event> events = SseClient.read(mason.baseUrl() + "/api/executions/" + execution + "/events",
        user.headers(), e -> e.type().equals("done"), LIMIT);
    assertThat(events).isNotEmpty();
    assertThat(events.getLast().type()).as("the run ended: " + events).isEqualTo("done");
    return new Run(execution, started.json().path("conversation_id").asText(), events.getLast().data().path("status").asText());
  }

  /** Waits for the trace of the execution to hold {@code spans} spans, and returns them. */
  static List<Span> awaitTrace(String executionId, int spans) {
    Eventually.await(LIMIT, spans + " spans of execution " + executionId, () -> traceOf(executionId).size() >= spans);
    return traceOf(executionId);
  }

  static List<Span> traceOf(String executionId) {
    return mlflow.spans().stream().filter(s -> executionId.equals(attributes(s).get("mason.execution.id"))).findFirst()
        .map(root -> mlflow.trace(hex(root.getTraceId().toByteArray()))).orElse(List.of());
  }

  static List<FakeMlflow.Export> exportsOf(String executionId) {
    List<String> traceIds = traceOf(executionId).stream().map(s -> hex(s.getTraceId().toByteArray())).distinct().toList();
    return mlflow.exports().stream().filter(e -> e.spans().stream().anyMatch(s -> traceIds.contains(hex(s.getTraceId().toByteArray()))))
        .toList();
  }

  static Span only(List<Span> trace, String name) {
    List<Span> found = trace.stream().filter(s -> s.getName().startsWith(name)).toList();
    assertThat(found).as("spans named " + name + " in " + trace.stream().map(Span::getName).toList()).hasSize(1);
    return found.getFirst();
  }

  static List<Span> named(List<Span> trace, String prefix) {
    return trace.stream().filter(s -> s.getName().startsWith(prefix)).toList();
  }

  static JsonNode json(String text) {
    try {
      return Json.MAPPER.readTree(text);
    } catch (java.io.IOException e) {
      throw new AssertionError("not JSON: " + text, e);
    }
  }

  static void assertNoSecretIn(List<Span> spans) {
    assertThat(spans).isNotEmpty();
    for (Span span : spans) {
      String text = span.toString();
      for (String secret : SECRETS) {
        assertThat(text).as("span " + span.getName()).doesNotContain(secret);
      }
    }
  }
}
