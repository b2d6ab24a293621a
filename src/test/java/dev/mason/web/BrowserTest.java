package dev.mason.web;

import static dev.mason.agent.llm.FakeAnthropicServer.message;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mason.agent.llm.FakeAnthropicServer;
import dev.mason.databricks.FakeWorkspace;
import dev.mason.testing.Api;
import dev.mason.testing.CachedClis;
import dev.mason.testing.Eventually;
import dev.mason.testing.TestMason;
import dev.mason.tracing.FakeMlflow;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The browser app in headless Chromium against a real Mason whose model is a fake Anthropic
 * server: each test scripts the model's answers, then runs one scenario of {@code web/e2e/}
 * (whose header says what it checks) and fails with the scenario's output when it fails. Each
 * scenario is a different user, so they share nothing but the server.
 *
 * <p>The workspace is a {@link FakeWorkspace} with one warehouse and a small table, so SQL, jobs and
 * the settings' pickers answer for real; every browser user acts with Mason's own token.
 *
 * <p>Screenshots of the main views are written to {@code target/screenshots/}; copy them to
 * {@code docs/screenshots/} when the UI changes.
 *
 * <p>Not run when the build skips the app ({@code -Dskip.web=true}). Without Chromium the tests are
 * skipped with the reason, except on CI ({@code CI} or {@code MASON_BROWSER_TESTS=required} set),
 * where that is a failure: CI must never pass without having run them.
 */
class BrowserTest {
  static final String MODEL = "fake-claude";
  static final String MINI = "fake-claude-mini";
  static final Duration SCENARIO_LIMIT = Duration.ofSeconds(120);

  static final String APP_TOKEN = "dapi-mason-app";
  static final String WAREHOUSE = "wh-analytics";

  static FakeAnthropicServer model;
  static FakeWorkspace workspace;
  static TestMason mason;
  static BrowserScenario scenarios;
  static Path gates;

  /** Why the browser tests cannot run here, or null; each test is skipped with it, so the skip shows per test. */
  static String unavailable;

  @BeforeAll
  static void start() throws IOException {
    Map<String, String> env = System.getenv();
    boolean required = env.containsKey("CI") || "required".equals(env.get("MASON_BROWSER_TESTS"));
    if (Boolean.getBoolean("mason.skip.web")) {
      unavailable = "built with -Dskip.web=true: there is no browser app to test";
      return;
    }
    Path web = Path.of("web").toAbsolutePath();
    String chromium = BrowserScenario.findChromium(env).orElse(null);
    unavailable = chromium == null
        ? "no Chromium found (CHROMIUM, /usr/bin/chromium, /usr/bin/chromium-browser, /usr/bin/google-chrome); "
            + "install it with `apt-get install chromium` (Debian/Ubuntu) or set CHROMIUM to a Chromium or Chrome binary"
        : BrowserScenario.missingTools(web).orElse(null);
    if (unavailable != null) {
      // Surefire keeps the tests' own output in a file; the forked JVM's real stderr reaches the console.
      new PrintStream(new FileOutputStream(FileDescriptor.err), true, StandardCharsets.UTF_8)
          .println("[BrowserTest] browser tests skipped: " + unavailable);
      if (required) {
        Assertions.fail("browser tests are required here (CI) but cannot run: " + unavailable);
      }
      return;
    }
    Path build = Path.of("target").toAbsolutePath();
    gates = emptyFolder(build.resolve("e2e-gates"));
    emptyFolder(build.resolve("screenshots/failures"));
    model = new FakeAnthropicServer();
    workspace = FakeWorkspace.start()
        .addUser(APP_TOKEN, "mason-app@example.com")
        .addWarehouse(WAREHOUSE, "Analytics", "RUNNING", "admin@example.com")
        .sql("CREATE SCHEMA sales",
            "CREATE TABLE sales.regions (region text, orders int)",
            "INSERT INTO sales.regions VALUES ('EMEA', 1204), ('AMER', 1102), ('APAC', 611), ('LATAM', 98)");
    mason = TestMason.start(masonEnv(Map.of()));
    scenarios = new BrowserScenario(web, chromium, Map.of(
        "MASON_URL", mason.baseUrl(),
        "E2E_GATES", gates.toString(),
        "SCREENSHOTS", build.resolve("screenshots").toString()));
  }

  /** The environment of a Mason wired to the fake model and workspace, plus {@code extra}. */
  static Map<String, String> masonEnv(Map<String, String> extra) {
    Map<String, String> env = new LinkedHashMap<>(Map.of(
        "DATABRICKS_HOST", workspace.url(),
        "DATABRICKS_TOKEN", APP_TOKEN,
        "ANTHROPIC_BASE_URL", model.baseUrl(),
        "ANTHROPIC_AUTH_TOKEN", "test-model-token",
        "ANTHROPIC_MODEL", MODEL,
        "ANTHROPIC_MODEL_MINI", MINI,
        // Bash on the host: the scripted commands wait for gate files that a sandbox would not show.
        "MASON_BASH", "host",
        // The real Claude Code CLI for the claude-code runtime's scenario.
        "MASON_CLIS_DIR", CachedClis.folder().toString()));
    env.putAll(extra);
    return env;
  }

  @AfterAll
  static void stop() {
    if (mason != null) {
      mason.close();
    }
    if (model != null) {
      model.close();
    }
    if (workspace != null) {
      workspace.close();
    }
  }

  @BeforeEach
  void browserAvailableAndTitlesFromTheSmallModel() {
    Assumptions.assumeTrue(unavailable == null, unavailable);
    model.alwaysAnswer(MINI, message().text("Orders per region"));
  }

  /** web/e2e/chat.e2e.mjs: a finished run from stored messages, the side panels, and the screenshots. */
  @Test
  void aFinishedRunShowsItsThinkingMarkdownToolCardsAndPlanAndThePanelsShowTheProject() {
    String report = "# Orders by region\n\n| region | orders |\n|---|---:|\n| EMEA | 1204 |\n| AMER | 1102 |\n| APAC | 611 |\n";
    model.enqueue(
        message().thinking("sig-plan", "They want orders per region. ", "I will plan, write a report, then check it.")
            .text("I'll plan ", "this first.")
            .toolUse("tu_plan", "TodoWrite", todos(
                "Count orders per region", "in_progress", "Write report.md", "pending", "Check the report", "pending")),
        message().text("Writing ", "the report.")
            .toolUse("tu_write", "Write", json("file_path", "report.md", "content", report))
            .toolUse("tu_plan2", "TodoWrite", todos(
                "Count orders per region", "completed", "Write report.md", "completed", "Check the report", "in_progress")),
        message().toolUse("tu_check", "Bash", json("command", "wc -l report.md", "description", "Count the report's lines"))
            .toolUse("tu_plan3", "TodoWrite", todos(
                "Count orders per region", "completed", "Write report.md", "completed", "Check the report", "completed")),
        message().text(ANSWER.split("(?<= )")));

    runScenario("chat", "ada@example.com");
  }

  /** web/e2e/claude-code.e2e.mjs: a conversation on the claude-code runtime, through a reload. */
  @Test
  void aClaudeCodeRunFollowedThroughAReloadShowsItsAnswerOnce() {
    model.enqueue(
        message().text("Checking with ", "Claude Code first.")
            .toolUse("tu_cc_wait", "Bash", json("command", gate("claude-code"), "description", "Wait for the check")),
        message().text("Claude Code ", "is done.").delayBetweenEvents(Duration.ofMillis(15)));

    runScenario("claude-code", "linus@example.com");
    assertThat(model.lastRequest().header("user-agent")).as("the run was Claude Code's").startsWith("claude-cli/");
  }

  /** web/e2e/live.e2e.mjs: a run followed live, through a reload and from a second tab. */
  @Test
  void aRunIsFollowedLiveThroughAReloadAndFromASecondTabAndShowsItsAnswerOnce() {
    model.enqueue(
        message().thinking("sig-live", "Orders are in main.sales.orders; ", "count them by region.")
            .text("Let me ", "look at ", "the orders table first.")
            .toolUse("tu_plan", "TodoWrite", todos("Count orders per region", "in_progress", "Write notes.md", "pending"))
            .toolUse("tu_notes", "Write", json("file_path", "notes.md", "content", "# Notes\n\nOrders are in main.sales.orders.\n"))
            .toolUse("tu_wait", "Bash", json("command", gate("live"), "description", "Wait for the row count")),
        message().text(ANSWER.split("(?<= )")).delayBetweenEvents(Duration.ofMillis(15)));

    runScenario("live", "grace@example.com");
  }

  /** web/e2e/stop.e2e.mjs: a retried model call, then stopping with the button and with Esc, mid-answer and mid-command. */
  @Test
  void aRetriedModelCallDropsItsDraftAndRunsStopWithTheButtonAndWithEsc() {
    model.enqueue(
        // A draft, then the API says it is overloaded: retried after a minute, so the run is
        // stopped while it waits and the retry never asks for a reply of its own.
        message().text("A draft that ", "is thrown away.").failWith("overloaded_error", "Overloaded").header("retry-after-ms", "60000"),
        message().text("Counting ", "the rows…").hang(),
        message().text("Running the long command.").toolUse("tu_long", "Bash", json("command", gate("never"))));

    runScenario("stop", "edsger@example.com");
  }

  /** web/e2e/tools.e2e.mjs: SQL as a sortable table with CSV, Write and Edit as diffs, Bash with its exit code, a job's link. */
  @Test
  void toolCardsShowSqlAsATableFileChangesAsDiffsAndBashAsATerminal() {
    model.enqueue(
        message().text("Let me count the orders.")
            .toolUse("tu_sql", "execute_sql", json("sql_query", "SELECT region, orders FROM main.sales.regions ORDER BY region",
                "warehouse_id", WAREHOUSE))
            .toolUse("tu_write", "Write", json("file_path", "notes.md", "content", "# Notes\n\nEMEA leads.\nAPAC is third.\n")),
        message().toolUse("tu_edit", "Edit", json("file_path", "notes.md", "old_string", "APAC is third.", "new_string", "APAC is third, LATAM last."))
            .toolUse("tu_read", "Read", json("file_path", "notes.md", "offset", 2, "limit", 3))
            .toolUse("tu_bash", "Bash", json("command", "grep -c EMEA notes.md; exit 3", "description", "Count and fail"))
            .toolUse("tu_job", "manage_jobs", json("action", "create", "name", "nightly orders",
                "notebook_path", "/Users/mason-app@example.com/nightly_orders")),
        message().text("EMEA leads; the notes are in notes.md."));

    runScenario("tools", "alan@example.com");
  }

  /** web/e2e/actions.e2e.mjs: copy, regenerate, edit-and-resend, and Retry after an error. */
  @Test
  void anAnswerIsRegeneratedAQuestionEditedAndResentAndAFailedRunRetried() {
    model.enqueue(
        message().text("First answer."),
        message().text("Second answer."),
        message().text("Answer to the edited question."),
        message().failWith("invalid_request_error", "The request was refused."),
        message().text("Recovered answer."));

    runScenario("actions", "margaret@example.com");
  }

  /** web/e2e/phone.e2e.mjs: the menu drawer at phone size, and every panel closed three ways at phone and desktop size. */
  @Test
  void onAPhoneTheDrawerLeadsEverywhereAndEveryPanelClosesThreeWays() {
    runScenario("phone", "katherine@example.com");
  }

  /** web/e2e/trace.e2e.mjs, on a second Mason that traces to a fake MLflow: the run's "View trace in MLflow" link. */
  @Test
  void aFinishedRunLinksToItsTraceInTheMlflowUi() {
    model.enqueue(message().text("Traced answer."));
    try (FakeMlflow mlflow = FakeMlflow.start();
        TestMason traced = TestMason.start(masonEnv(Map.of("MLFLOW_TRACKING_URI", mlflow.url())))) {
      BrowserScenario.Outcome outcome = scenarios.against(traced.baseUrl()).run("trace", "grace@example.com", SCENARIO_LIMIT);
      System.out.println(outcome.report());
      assertThat(outcome.passed()).as(outcome.report()).isTrue();
    }
  }

  /** web/e2e/setup.e2e.mjs, on a second Mason with no model and no workspace: the notice before the first message. */
  @Test
  void withoutAModelThePageSaysSoBeforeTheFirstMessage() {
    try (TestMason bare = TestMason.start(Map.of())) {
      BrowserScenario.Outcome outcome = scenarios.against(bare.baseUrl()).run("setup", "ada@example.com", SCENARIO_LIMIT);
      System.out.println(outcome.report());
      assertThat(outcome.passed()).as(outcome.report()).isTrue();
    }
  }

  /** web/e2e/manage.e2e.mjs: renaming and deleting a conversation and a project. */
  @Test
  void conversationsAndProjectsAreRenamedAndDeleted() {
    model.enqueue(message().text("Hello! ", "What shall we build?"));

    runScenario("manage", "barbara@example.com");
  }

  /** web/e2e/bus.e2e.mjs: the live bus brings a late title, a conversation made elsewhere and its run's start and end. */
  @Test
  void theChatPageFollowsTheLiveBusWithoutAReload() {
    model.alwaysAnswer(MINI, message().text("A late", " title").delayBetweenEvents(Duration.ofMillis(400)));
    model.enqueue(
        message().text("Done."),
        message().toolUse("tu_wait", "Bash", json("command", gate("bus"), "description", "Wait for the gate")),
        message().text("Finished elsewhere."));

    runScenario("bus", "hedy@example.com");
  }

  static final String ANSWER = """
      Here are the orders per **region**:

      | region | orders | share |
      |---|---:|---:|
      | EMEA | 1,204 | 41% |
      | AMER | 1,102 | 38% |
      | APAC | 611 | 21% |

      The query I used:

      ```sql
      SELECT region, count(*) AS orders
      FROM main.sales.orders
      GROUP BY region
      ORDER BY orders DESC
      ```

      EMEA leads. The table is also in `report.md`.""";

  /**
   * Runs the scenario as {@code user} and asserts it passed and took every scripted reply. Then,
   * whatever happened, stops the user's runs and throws away unused replies, so that a failed
   * scenario cannot feed its leftovers to the next test's runs.
   */
  private void runScenario(String name, String user) {
    try {
      BrowserScenario.Outcome outcome = scenarios.run(name, user, SCENARIO_LIMIT);
      System.out.println(outcome.report());
      assertThat(outcome.passed()).as(outcome.report()).isTrue();
      assertThat(model.pending()).as("scripted model replies the scenario left unused").isZero();
    } finally {
      stopRunsOf(mason.as(user));
      drainModelReplies();
    }
  }

  private static void stopRunsOf(Api api) {
    List<String> active = new ArrayList<>();
    for (JsonNode project : api.get("/api/projects").json()) {
      String projectPath = "/api/projects/" + project.get("id").asText();
      for (JsonNode conversation : api.get(projectPath + "/conversations").json()) {
        JsonNode run = api.get(projectPath + "/conversations/" + conversation.get("id").asText() + "/executions").json().get("active");
        if (run != null && !run.isNull()) {
          active.add(run.get("id").asText());
          api.post("/api/stop_stream/" + run.get("id").asText(), "");
        }
      }
    }
    for (String id : active) {
      Eventually.await(Duration.ofSeconds(15), "run " + id + " to end after a stop",
          () -> !api.get("/api/executions/" + id).json().get("status").asText().equals("running"));
    }
  }

  /** Takes each unused reply with a request of its own, reading only its headers (a reply may hang). */
  private static void drainModelReplies() {
    try (HttpClient client = HttpClient.newHttpClient()) {
      while (model.pending() > 0) {
        HttpRequest request = HttpRequest.newBuilder(URI.create(model.baseUrl() + "/v1/messages"))
            .timeout(Duration.ofSeconds(10))
            .POST(HttpRequest.BodyPublishers.ofString("{\"model\": \"leftover\"}"))
            .build();
        client.send(request, HttpResponse.BodyHandlers.ofInputStream()).body().close();
      }
    } catch (IOException e) {
      throw new UncheckedIOException("could not drain the fake model's replies", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Creates the folder, or deletes the files an earlier run left in it. */
  private static Path emptyFolder(Path folder) throws IOException {
    Files.createDirectories(folder);
    try (var old = Files.list(folder)) {
      for (Path file : old.toList()) {
        Files.delete(file);
      }
    }
    return folder;
  }

  /** A Bash command that waits until the scenario calls release(name), then prints "released". */
  private static String gate(String name) {
    Path file = gates.resolve(name);
    try {
      Files.deleteIfExists(file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return "until [ -e '" + file + "' ]; do sleep 0.05; done; echo released";
  }

  /** A tool input: pairs of field names and values. */
  private static String json(Object... pairs) {
    Map<String, Object> fields = new LinkedHashMap<>();
    for (int i = 0; i < pairs.length; i += 2) {
      fields.put((String) pairs[i], pairs[i + 1]);
    }
    return Json.write(fields);
  }

  /** TodoWrite's input: pairs of content and status. */
  private static String todos(String... pairs) {
    List<Map<String, String>> items = new ArrayList<>();
    for (int i = 0; i < pairs.length; i += 2) {
      items.add(Map.of("content", pairs[i], "status", pairs[i + 1]));
    }
    return json("todos", items);
  }
}
