package dev.mason.databricks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.DynamicContainer.dynamicContainer;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mason.agent.llm.FakeAnthropicServer;
import dev.mason.agent.llm.FakeOpenAiServer;
import dev.mason.agent.tool.Tool;
import dev.mason.databricks.ScriptedAgent.Call;
import dev.mason.databricks.ScriptedAgent.Outcome;
import dev.mason.databricks.ScriptedAgent.Run;
import dev.mason.databricks.ScriptedAgent.Turn;
import dev.mason.databricks.ScriptedAgent.User;
import dev.mason.testing.Eventually;
import dev.mason.testing.SseClient;
import dev.mason.testing.TestMason;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * The Databricks tools end to end: a real Mason behind the Databricks Apps proxy's headers, the
 * agent engine calling the tools as a scripted fake model asks, the workspace a {@link FakeWorkspace}
 * that records the token of every request. Mason's own DATABRICKS_TOKEN belongs to another
 * identity (the app's service principal), so a call that fell back to it would show.
 */
class DatabricksToolsThroughTheAgentTest {
  static final String MODEL = "fake-claude";
  static final String MINI = "fake-claude-mini";
  static final String OPENAI_MODEL = "gpt-fake";
  static final String APP_TOKEN = "mason-app-token";
  static final User ALICE = new User("alice@example.com", "alice-forwarded-token");
  static final User BOB = new User("bob@example.com", "bob-forwarded-token");
  static final String WAREHOUSE = ToolScenarios.WAREHOUSE;

  static FakeWorkspace fake;
  static FakeAnthropicServer model;
  static FakeOpenAiServer openAi;
  static TestMason mason;
  static ScriptedAgent agent;

  @BeforeAll
  static void start() {
    fake = FakeWorkspace.start()
        .addUser(ALICE.token(), ALICE.email())
        .addUser(BOB.token(), BOB.email())
        .addUser(APP_TOKEN, "mason-app@example.com");
    ToolScenarios.setUp(fake);
    model = new FakeAnthropicServer();
    model.alwaysAnswer(MINI, FakeAnthropicServer.message().text("Workspace work"));
    openAi = new FakeOpenAiServer();
    mason = TestMason.start(environment(Map.of()));
    agent = new ScriptedAgent(mason, model, ScriptedAgent.ANTHROPIC, null);
  }

  /** The environment of a Mason on the Databricks Apps proxy, with the fake workspace and models, plus {@code more}. */
  static Map<String, String> environment(Map<String, String> more) {
    Map<String, String> env = new HashMap<>(Map.of(
        "DATABRICKS_HOST", fake.url(),
        "DATABRICKS_TOKEN", APP_TOKEN,
        "MASON_TRUST_FORWARDED_HEADERS", "true",
        "ANTHROPIC_BASE_URL", model.baseUrl(),
        "ANTHROPIC_AUTH_TOKEN", "test-model-token",
        "ANTHROPIC_MODEL", MODEL,
        "ANTHROPIC_MODEL_MINI", MINI,
        "OPENAI_BASE_URL", openAi.baseUrl() + "/v1",
        "OPENAI_API_KEY", "test-openai-key"));
    env.putAll(more);
    return env;
  }

  @AfterAll
  static void stop() {
    if (mason != null) {
      mason.close();
    }
    model.close();
    openAi.close();
    fake.close();
  }

  /**
   * One container per scenario of {@link ToolScenarios} (a few agent runs, several tools each),
   * with one test per tool call so that a failure names the tool; the last test checks that every
   * Databricks tool on offer was called, so a new tool without a scenario fails here.
   */
  @TestFactory
  Stream<DynamicNode> everyDatabricksToolAnswersThroughTheAgentAsTheForwardedUser() {
    Set<String> exercised = new TreeSet<>();
    Stream<DynamicNode> scenarios = new ToolScenarios(fake, ALICE).all().entrySet().stream()
        .map(scenario -> scenario(scenario.getKey(), exercised, scenario.getValue()));
    DynamicNode coverage = dynamicTest("every Databricks tool on offer was exercised", () -> {
      Set<String> all = toolNames();
      List<String> offered = ScriptedAgent.offeredTools(model.requestsFor(MODEL).getFirst().body());
      assertThat(offered).as("the tools the engine offered the model").containsAll(all);
      Set<String> missing = new TreeSet<>(all);
      missing.removeAll(exercised);
      assertThat(missing).as("Databricks tools on offer that no scenario calls through the agent").isEmpty();
      assertThat(exercised).as("tools the scenarios call").isSubsetOf(all);
    });
    return Stream.concat(scenarios, Stream.of(coverage));
  }

  @Test
  void twoUsersRunningAtTheSameTimeEachActWithTheirOwnForwardedToken() {
    var bobsAgent = new ScriptedAgent(mason, openAi, ScriptedAgent.OPENAI, OPENAI_MODEL);
    String aliceProject = agent.createProject(ALICE, "alice at the same time");
    String bobProject = bobsAgent.createProject(BOB, "bob at the same time");
    List<Turn> aliceTurns = concurrentTurns("alice");
    List<Turn> bobTurns = concurrentTurns("bob");
    agent.script(aliceTurns);
    bobsAgent.script(bobTurns);
    fake.clearRequests();

    JsonNode aliceStarted = agent.invoke(ALICE, aliceProject, null, "Who am I and who asked?");
    JsonNode bobStarted = bobsAgent.invoke(BOB, bobProject, null, "Who am I and who asked?");
    Run alice = agent.follow(ALICE, aliceStarted, aliceTurns);
    Run bob = bobsAgent.follow(BOB, bobStarted, bobTurns);

    for (var entry : Map.of(ALICE, alice, BOB, bob).entrySet()) {
      String who = entry.getKey().email().substring(0, entry.getKey().email().indexOf('@'));
      Run run = entry.getValue();
      assertThat(run.status()).as(who + "'s run").isEqualTo("completed");
      assertThat(run.outcomes()).as(who + "'s calls").hasSize(4);
      for (Outcome outcome : run.outcomes().values()) {
        assertThat(outcome.isError()).as(who + ": " + outcome).isFalse();
        switch (outcome.call().tool()) {
          case "get_current_user" -> assertThat(outcome.json().path("user_name").asText()).as(who).isEqualTo(entry.getKey().email());
          case "execute_sql" -> assertThat(outcome.content()).as(who).contains("| " + who + " |");
          default -> { }
        }
      }
    }
    List<FakeWorkspace.Received> received = fake.requests();
    assertThat(received).as("requests of both runs").allSatisfy(r -> assertThat(r.token()).as(r.method() + " " + r.path())
        .isIn(ALICE.token(), BOB.token()));
    List<FakeWorkspace.Received> statements = received.stream()
        .filter(r -> r.method().equals("POST") && r.path().equals("/api/2.0/sql/statements")).toList();
    assertThat(statements).hasSize(4);
    for (FakeWorkspace.Received statement : statements) {
      String text = statement.json().path("statement").asText();
      assertThat(statement.token()).as(text).isEqualTo(text.contains("/* alice */") ? ALICE.token() : BOB.token());
    }
    // The runs really overlapped: each one's workspace requests began before the other's ended.
    var aliceTimes = received.stream().filter(r -> r.token().equals(ALICE.token())).map(FakeWorkspace.Received::at).sorted().toList();
    var bobTimes = received.stream().filter(r -> r.token().equals(BOB.token())).map(FakeWorkspace.Received::at).sorted().toList();
    assertThat(aliceTimes.getFirst()).as("alice started before bob finished").isBefore(bobTimes.getLast());
    assertThat(bobTimes.getFirst()).as("bob started before alice finished").isBefore(aliceTimes.getLast());
  }

  /** Who the caller is and which warehouse to use (at once), then two slow queries tagged with the caller's name. */
  private static List<Turn> concurrentTurns(String who) {
    String query = "{\"sql_query\": \"SELECT '" + who + "' AS asked_by FROM pg_sleep(0.3) /* " + who + " */\", \"warehouse_id\": \"" + WAREHOUSE + "\"}";
    return List.of(
        Turn.of(Call.of("get_current_user", "{}"), Call.of("manage_warehouse", "{\"action\": \"get_best\"}")),
        Turn.of(Call.of("execute_sql", query)),
        Turn.of(Call.of("execute_sql", query)));
  }

  @Test
  void aMissingPermissionReachesTheModelAsTheUsersOwnInAShortError() {
    String project = agent.createProject(ALICE, "denied");
    Call create = Call.of("manage_uc_objects", "{\"action\": \"create\", \"object_type\": \"catalog\", \"name\": \"restricted\"}");
    fake.deny(ALICE.token(), "/api/2.1/unity-catalog/catalogs");
    fake.clearRequests();
    Run run;
    try {
      run = agent.run(ALICE, project, null, "Create a catalog called restricted.", List.of(Turn.of(create)));
    } finally {
      fake.clearDenials();
    }
    Outcome denied = run.outcome(create);
    assertThat(denied.isError()).as(denied.toString()).isTrue();
    assertThat(denied.content()).startsWith("PERMISSION_DENIED (HTTP 403)")
        .contains("ran as you (" + ALICE.email() + ")").contains("your own")
        .doesNotContain(ALICE.token()).doesNotContain(APP_TOKEN);
    assertThat(denied.content().length()).as("short: " + denied.content()).isLessThan(400);
    assertThat(fake.requests("/api/2.1/unity-catalog/catalogs")).isNotEmpty().allMatch(r -> ALICE.token().equals(r.token()));

    // The model's next turn carries the error as the tool's result.
    JsonNode sent = model.requestsFor(MODEL).getLast().body().path("messages");
    JsonNode result = sent.get(sent.size() - 1).path("content").get(0);
    assertThat(result.path("type").asText()).isEqualTo("tool_result");
    assertThat(result.path("tool_use_id").asText()).isEqualTo(create.id());
    assertThat(result.path("is_error").asBoolean()).isTrue();
    assertThat(result.path("content").toString()).contains("PERMISSION_DENIED").contains("your own");
    assertThat(run.status()).isEqualTo("completed");
  }

  @Test
  void stoppingARunDuringALongStatementCancelsItOnTheWarehouseAsTheUser() {
    String project = agent.createProject(ALICE, "stopped");
    Call slow = Call.of("execute_sql", """
        {"sql_query": "SELECT count(*) AS n FROM main.sales.orders, pg_sleep(60)", "warehouse_id": "wh-analytics"}""");
    // No closing answer: a stopped run does not ask the model again.
    model.enqueue(ScriptedAgent.ANTHROPIC.toolTurn(Turn.of(slow)));
    fake.clearRequests();
    JsonNode started = agent.invoke(ALICE, project, null, "Count the orders, slowly.");
    Eventually.await(Duration.ofSeconds(10), "the statement to run on the warehouse", () -> fake.statements.anyRunning());

    var stop = ALICE.api(mason).post("/api/stop_stream/" + started.get("execution_id").asText(), "");
    assertThat(stop.json().path("success").asBoolean()).as(stop.body()).isTrue();
    Run run = agent.follow(ALICE, started, List.of(Turn.of(slow)));

    assertThat(run.status()).isEqualTo("cancelled");
    Outcome outcome = run.outcome(slow);
    assertThat(outcome.isError()).as(outcome.toString()).isTrue();
    assertThat(outcome.content()).contains("cancelled");
    assertThat(fake.requests()).as("the cancel went out, as the user").anyMatch(r -> r.method().equals("POST") && r.path().endsWith("/cancel"))
        .allSatisfy(r -> assertThat(r.token()).as(r.method() + " " + r.path()).isEqualTo(ALICE.token()));
    Eventually.await(Duration.ofSeconds(10), "the statement to stop on the warehouse", () -> !fake.statements.anyRunning());
  }

  @Test
  void aCallPastTheAsyncLimitAnswersAsyncAndCheckOperationStatusReportsItsResultInTheSameRun() {
    try (TestMason quick = TestMason.start(environment(Map.of("MASON_TOOL_ASYNC_AFTER_SECONDS", "1")))) {
      assertThat(quick.app().settings().tools().asyncAfter()).hasSeconds(1);
      var quickAgent = new ScriptedAgent(quick, model, ScriptedAgent.ANTHROPIC, null);
      String project = quickAgent.createProject(ALICE, "background");
      Call slow = Call.of("execute_sql", """
          {"sql_query": "SELECT 'refreshed' AS state FROM pg_sleep(2)", "warehouse_id": "wh-analytics"}""");
      // The operation id exists only once the async answer is out, so the model's next turn can
      // be scripted only then; the local command the model runs after the query keeps the engine
      // from asking the model again until it is.
      Call local = Call.of("Bash", "{\"command\": \"sleep 2\"}");
      model.enqueue(ScriptedAgent.ANTHROPIC.toolTurn(Turn.of(slow, local)));
      fake.clearRequests();
      JsonNode started = quickAgent.invoke(ALICE, project, null, "Refresh the state and tell me when it is done.");

      List<SseClient.Event> untilAsync = SseClient.read(quick.baseUrl() + "/api/executions/" + started.get("execution_id").asText()
          + "/events", ALICE.headers(), e -> e.type().equals("tool_result") && e.data().path("tool_use_id").asText().equals(slow.id()),
          ScriptedAgent.LIMIT);
      JsonNode async = new Outcome(slow, false, untilAsync.getLast().data().path("content").asText()).json();
      assertThat(async.path("status").asText()).as(async.toString()).isEqualTo("async");
      assertThat(async.path("message").asText()).contains("check_operation_status");
      String operation = async.path("operation_id").asText();
      assertThat(operation).startsWith("op-");

      Call check = Call.of("check_operation_status", "{\"operation_id\": \"" + operation + "\", \"wait_seconds\": 20}");
      quickAgent.script(List.of(Turn.of(check)));
      Run run = quickAgent.follow(ALICE, started, List.of(Turn.of(slow, local), Turn.of(check)));

      assertThat(run.status()).as(run.events().toString()).isEqualTo("completed");
      assertThat(run.outcome(local).isError()).as(run.outcome(local).toString()).isFalse();
      Outcome checked = run.outcome(check);
      assertThat(checked.isError()).as(checked.toString()).isFalse();
      assertThat(checked.json().path("status").asText()).as(checked.toString()).isEqualTo("completed");
      assertThat(checked.json().path("tool").asText()).isEqualTo("execute_sql");
      assertThat(checked.json().path("result").asText()).contains("| state |").contains("| refreshed |");
      // The model read the async answer, then the result, as tool results of the same run.
      assertThat(model.requestsFor(MODEL).getLast().body().path("messages").toString()).contains(operation).contains("refreshed");
      // The part after the hand-off ran as the user too: its polls carried the forwarded token.
      assertThat(fake.requests("/api/2.0/sql/statements")).hasSizeGreaterThan(3);
      assertThat(fake.requests()).allSatisfy(r -> assertThat(r.token()).as(r.method() + " " + r.path()).isEqualTo(ALICE.token()));
    }
  }

  @Test
  void theWarehousePickerReadsTheWorkspaceWithTheForwardedToken() {
    fake.clearRequests();
    var response = BOB.api(mason).get("/api/warehouses");
    assertThat(response.status()).as(response.body()).isEqualTo(200);
    assertThat(response.json().findValuesAsText("warehouse_id")).containsExactly(WAREHOUSE);
    assertThat(fake.requests()).isNotEmpty().allMatch(r -> BOB.token().equals(r.token()));
  }

  static Set<String> toolNames() {
    return mason.app().databricksTools().all().stream().map(Tool::name).collect(Collectors.toCollection(TreeSet::new));
  }

  private static DynamicNode scenario(String name, Set<String> exercised, Consumer<AgentScenario> body) {
    // Lazy: the runs happen when JUnit executes the container, in order, and yield its tests.
    return dynamicContainer(name, Stream.of(name).flatMap(n -> {
      var scenario = new AgentScenario(n, agent, fake, ALICE, APP_TOKEN, exercised);
      body.accept(scenario);
      return scenario.tests().stream();
    }));
  }
}
