package dev.mason.agent.claudecode;

import static dev.mason.agent.llm.FakeAnthropicServer.message;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mason.agent.llm.FakeAnthropicServer;
import dev.mason.agent.llm.FakeModelServer;
import dev.mason.databricks.FakeWorkspace;
import dev.mason.testing.Api;
import dev.mason.testing.Eventually;
import dev.mason.testing.CachedClis;
import dev.mason.testing.SseClient;
import dev.mason.testing.SseClient.Event;
import dev.mason.testing.TestMason;
import dev.mason.web.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The claude-code runtime end to end: the real Claude Code CLI at Mason's pinned version, its
 * models through Mason's gateway to a fake Anthropic server, Mason's Databricks tools through
 * Mason's own /mcp to a fake workspace, events over SSE, the conversation in the database.
 */
class ClaudeCodeRuntimeTest {
  static final String MODEL = "claude-sonnet-4-5";
  static final String MINI = "claude-haiku-mini";
  static final String ALICE = "alice@example.com";
  static final String ALICE_TOKEN = "dapi-alice-own";
  static final Duration LIMIT = Duration.ofSeconds(60);

  static FakeAnthropicServer model;
  static FakeWorkspace workspace;
  static TestMason mason;
  static Api alice;

  @BeforeAll
  static void start() {
    model = new FakeAnthropicServer();
    model.alwaysAnswer(MINI, message().text("A title"));
    workspace = FakeWorkspace.start().addUser(ALICE_TOKEN, ALICE).addUser("dapi-mason", "mason-sp@example.com")
        .addWarehouse("wh-1", "Shared", "RUNNING", "admin@example.com").sql();
    mason = TestMason.start(environment());
    alice = mason.as(ALICE).withHeader("X-Forwarded-Access-Token", ALICE_TOKEN);
  }

  static Map<String, String> environment() {
    Map<String, String> env = new HashMap<>();
    env.put("ANTHROPIC_BASE_URL", model.baseUrl());
    env.put("ANTHROPIC_AUTH_TOKEN", "sk-mason-model-key");
    env.put("ANTHROPIC_MODEL", MODEL);
    env.put("ANTHROPIC_MODEL_MINI", MINI);
    env.put("DATABRICKS_HOST", workspace.url());
    env.put("DATABRICKS_TOKEN", "dapi-mason");
    env.put("MASON_BASH", "host");
    env.put("BACKUP_INTERVAL_SECONDS", "1");
    env.put("MASON_CLIS_DIR", CachedClis.folder().toString());
    return env;
  }

  @AfterAll
  static void stop() {
    mason.close();
    workspace.close();
    model.close();
  }

  @Test
  void theRuntimesAreListedWithClaudeCodeAvailable() {
    JsonNode runtimes = alice.get("/api/runtimes").json().get("runtimes");
    assertThat(runtimes.findValuesAsText("name")).containsExactly("mason", "claude-code");
    assertThat(runtimes.get(1).get("available").asBoolean()).as(runtimes.toString()).isTrue();
    var refused = alice.post("/api/invoke_agent", "{\"project_id\": \"" + createProject(alice, "bad runtime")
        + "\", \"message\": \"hi\", \"runtime\": \"claude-desktop\"}");
    assertThat(refused.status()).isEqualTo(400);
    assertThat(refused.json().get("field").asText()).isEqualTo("runtime");
  }

  @Test
  void aMessageThatMakesTheModelCallWriteCreatesTheFileStreamsEventsInOrderAndStoresTheBlocks() throws IOException {
    String project = createProject(alice, "write");
    Path folder = folderOf(project);
    model.enqueue(
        message().text("I will ", "write it.").toolUse("toolu_write", "Write",
            "{\"file_path\": \"" + folder.resolve("hello.txt") + "\", ", "\"content\": \"hi there\\n\"}"),
        message().text("Done: ", "hello.txt exists."));

    JsonNode started = invoke(alice, project, null, "Write hello.txt");
    List<Event> events = readAll(alice, started.get("execution_id").asText());

    assertThat(Files.readString(folder.resolve("hello.txt"))).isEqualTo("hi there\n");
    assertThat(events).extracting(Event::id).containsExactlyElementsOf(IntStream.rangeClosed(1, events.size()).boxed().toList());
    assertThat(types(events)).startsWith("conversation.created").endsWith("result", "done")
        .containsSubsequence("text_delta", "usage", "text", "tool_use", "tool_result", "text_delta", "usage", "text", "result");
    assertThat(textOf(events, "text_delta")).isEqualTo("I will write it.Done: hello.txt exists.");
    Event use = only(events, "tool_use");
    assertThat(use.data().get("tool_name").asText()).isEqualTo("Write");
    assertThat(use.data().get("tool_id").asText()).isEqualTo("toolu_write");
    assertThat(only(events, "tool_result").data().get("tool_use_id").asText()).isEqualTo("toolu_write");
    JsonNode result = events.get(events.size() - 2).data();
    assertThat(result.get("status").asText()).isEqualTo("completed");
    assertThat(result.has("total_cost_usd")).as(result.toString()).isTrue();
    assertThat(events.getLast().data().get("status").asText()).isEqualTo("completed");

    // The model's calls went through Mason's gateway with the credential Alice's own runs use (here
    // the configured key; on Databricks Apps her forwarded token or the app's): the CLI itself only
    // ever held a run secret, which never left Mason.
    List<FakeModelServer.ReceivedRequest> calls = model.requestsFor(MODEL);
    assertThat(calls).allSatisfy(call -> assertThat(call.header("authorization")).isEqualTo("Bearer sk-mason-model-key"));
    assertThat(calls.getFirst().header("user-agent")).startsWith("claude-cli/");

    JsonNode stored = alice.get("/api/projects/" + project + "/conversations/" + started.get("conversation_id").asText()).json();
    JsonNode messages = stored.get("messages");
    assertThat(messages.findValuesAsText("role")).containsExactly("user", "assistant", "user", "assistant");
    assertThat(messages.get(1).get("content").findValuesAsText("type")).containsExactly("text", "tool_use");
    assertThat(messages.get(2).get("content").get(0).get("type").asText()).isEqualTo("tool_result");
    assertThat(messages.get(3).get("content").get(0).get("text").asText()).isEqualTo("Done: hello.txt exists.");
    assertThat(stored.get("runtime").asText()).isEqualTo("claude-code");
  }

  @Test
  void executeSqlThroughMasonsMcpReachesTheWorkspaceWithTheCallersOwnToken() {
    String project = createProject(alice, "sql");
    workspace.clearRequests();
    model.enqueue(
        message().toolUse("toolu_sql", "mcp__mason__execute_sql", "{\"sql_query\": \"SELECT 1 AS one\", \"warehouse_id\": \"wh-1\"}"),
        message().text("One row."));

    JsonNode started = invoke(alice, project, null, "Run SELECT 1");
    List<Event> events = readAll(alice, started.get("execution_id").asText());

    Event use = only(events, "tool_use");
    assertThat(use.data().get("tool_name").asText()).isEqualTo("execute_sql");
    assertThat(use.data().get("tool_server").asText()).isEqualTo("mason");
    assertThat(only(events, "tool_result").data().get("is_error").asBoolean()).as(events.toString()).isFalse();
    List<FakeWorkspace.Received> statements = workspace.requests("/api/2.0/sql/statements");
    assertThat(statements).isNotEmpty();
    assertThat(statements).allSatisfy(r -> assertThat(r.token()).isEqualTo(ALICE_TOKEN));
  }

  @Test
  void aSecondMessageRunsInTheSameProcessAndTheModelSeesTheFirstExchange() {
    String project = createProject(alice, "second");
    model.enqueue(message().text("The answer is forty-two."));
    JsonNode first = invoke(alice, project, null, "Remember the number");
    String conversation = first.get("conversation_id").asText();
    readAll(alice, first.get("execution_id").asText());
    Long pid = pidOf(conversation);
    assertThat(pid).as("the process stays for the next message").isNotNull();

    model.enqueue(message().text("Still forty-two."));
    JsonNode second = invoke(alice, project, conversation, "What was it?");
    List<Event> events = readAll(alice, second.get("execution_id").asText());

    assertThat(textOf(events, "text_delta")).isEqualTo("Still forty-two.");
    assertThat(pidOf(conversation)).isEqualTo(pid);
    String sent = model.lastRequest().body().get("messages").toString();
    assertThat(sent).contains("Remember the number", "The answer is forty-two.", "What was it?");
  }

  @Test
  void aProcessIdlePastMasonClaudeCodeIdleSecondsIsEndedAndTheNextMessageResumesTheSession() {
    Map<String, String> env = environment();
    env.put("MASON_CLAUDE_CODE_IDLE_SECONDS", "5");
    try (TestMason idling = TestMason.start(env)) {
      Api user = idling.as(ALICE).withHeader("X-Forwarded-Access-Token", ALICE_TOKEN);
      Map<String, String> headers = Map.of("X-Forwarded-Email", ALICE, "X-Forwarded-Access-Token", ALICE_TOKEN);
      String project = createProject(user, "idle");
      model.enqueue(message().text("Noted: blue."));
      JsonNode first = invoke(user, project, null, "My colour is blue");
      String conversation = first.get("conversation_id").asText();
      SseClient.read(idling.baseUrl() + "/api/executions/" + first.get("execution_id").asText() + "/events?after=0", headers,
          e -> e.type().equals("done"), LIMIT);
      assertThat(pidOf(conversation)).as("the process waits for the next message").isNotNull();

      Eventually.await(Duration.ofSeconds(30), "the idle process to be ended", () -> pidOf(conversation) == null);

      model.enqueue(message().text("Blue."));
      JsonNode second = invoke(user, project, conversation, "What is my colour?");
      List<Event> events = SseClient.read(idling.baseUrl() + "/api/executions/" + second.get("execution_id").asText()
          + "/events?after=0", headers, e -> e.type().equals("done"), LIMIT);
      assertThat(events.getLast().data().get("status").asText()).isEqualTo("completed");
      assertThat(model.lastRequest().body().get("messages").toString())
          .as("the new process resumed the session").contains("My colour is blue", "Noted: blue.");
    }
  }

  @Test
  void stopEndsTheRunCancelledAndLeavesNoProcess() {
    String project = createProject(alice, "stop");
    model.enqueue(message().text("Working on it").hang());
    JsonNode started = invoke(alice, project, null, "Take your time");
    String execution = started.get("execution_id").asText();
    String conversation = started.get("conversation_id").asText();
    Eventually.await(LIMIT, "the answer to start streaming", () -> model.requestsFor(MODEL).stream()
        .anyMatch(r -> r.body().get("messages").toString().contains("Take your time")));
    assertThat(pidOf(conversation)).isNotNull();

    assertThat(alice.post("/api/stop_stream/" + execution, "").status()).isEqualTo(200);
    List<Event> events = readAll(alice, execution);

    assertThat(types(events)).contains("cancelled").endsWith("result", "done");
    assertThat(events.getLast().data().get("status").asText()).isEqualTo("cancelled");
    Eventually.await(Duration.ofSeconds(5), "no Claude Code process left for the conversation", () -> pidOf(conversation) == null);
    model.clearQueue();
  }

  @Test
  void aSessionWhoseTranscriptIsGoneStartsFreshWithAVisibleNoteNotAnError() throws IOException {
    String project = createProject(alice, "lost session");
    model.enqueue(message().text("First."));
    JsonNode first = invoke(alice, project, null, "Hello");
    String conversation = first.get("conversation_id").asText();
    readAll(alice, first.get("execution_id").asText());
    // The process is gone and so is every copy of its transcript (a corrupt one reads the same to the CLI).
    ProcessHandle.of(pidOf(conversation)).ifPresent(ProcessHandle::destroyForcibly);
    Eventually.await(Duration.ofSeconds(5), "the process to end", () -> pidOf(conversation) == null);
    deleteTree(folderOf(project).resolve(".mason/claude-code"));
    try (Stream<Path> transcripts = Files.walk(mason.home().resolve("claude-code/config/projects"))) {
      for (Path file : transcripts.filter(f -> f.toString().endsWith(".jsonl")).toList()) {
        Files.write(file, "not a transcript {{{\n".getBytes());
      }
    }

    model.enqueue(message().text("Fresh start."));
    JsonNode second = invoke(alice, project, conversation, "Hello again");
    List<Event> events = readAll(alice, second.get("execution_id").asText());

    assertThat(events.getLast().data().get("status").asText()).as(types(events).toString()).isEqualTo("completed");
    assertThat(events).filteredOn(e -> e.type().equals("text")).first()
        .satisfies(e -> assertThat(e.data().get("text").asText()).contains("could not be resumed"));
    assertThat(textOf(events, "text_delta")).isEqualTo("Fresh start.");
    JsonNode messages = alice.get("/api/projects/" + project + "/conversations/" + conversation).json().get("messages");
    assertThat(messages.get(messages.size() - 1).get("content").get(0).get("text").asText()).contains("could not be resumed");
  }

  // --- helpers ---

  /** The pid of the conversation's CLI process (its MCP config is named after the conversation), or null. */
  static Long pidOf(String conversation) {
    return ProcessHandle.allProcesses()
        .filter(p -> p.isAlive() && p.info().commandLine().map(c -> c.contains("--mcp-config") && c.contains(conversation)).orElse(false))
        .map(ProcessHandle::pid).findFirst().orElse(null);
  }

  static Path folderOf(String project) {
    return mason.app().settings().storage().projectsDir().resolve(project);
  }

  static String createProject(Api api, String name) {
    var created = api.post("/api/projects", "{\"name\": \"" + name + "\"}");
    assertThat(created.status()).as(created.toString()).isEqualTo(201);
    return created.json().get("id").asText();
  }

  static JsonNode invoke(Api api, String project, String conversation, String text) {
    String body = "{\"project_id\": \"" + project + "\", \"message\": " + Json.write(text) + ", \"runtime\": \"claude-code\""
        + (conversation == null ? "" : ", \"conversation_id\": \"" + conversation + "\"") + "}";
    var response = api.post("/api/invoke_agent", body);
    assertThat(response.status()).as(response.body()).isEqualTo(202);
    return response.json();
  }

  static List<Event> readAll(Api api, String execution) {
    return SseClient.read(mason.baseUrl() + "/api/executions/" + execution + "/events?after=0",
        Map.of("X-Forwarded-Email", ALICE, "X-Forwarded-Access-Token", ALICE_TOKEN), e -> e.type().equals("done"), LIMIT);
  }

  static List<String> types(List<Event> events) {
    return events.stream().map(Event::type).toList();
  }

  static String textOf(List<Event> events, String type) {
    StringBuilder text = new StringBuilder();
    events.stream().filter(e -> e.type().equals(type)).forEach(e -> text.append(e.data().get("text").asText()));
    return text.toString();
  }

  static Event only(List<Event> events, String type) {
    List<Event> matching = events.stream().filter(e -> e.type().equals(type)).toList();
    assertThat(matching).as(type + " in " + types(events)).hasSize(1);
    return matching.getFirst();
  }

  static void deleteTree(Path root) throws IOException {
    if (!Files.exists(root)) {
      return;
    }
    try (Stream<Path> walk = Files.walk(root)) {
      for (Path path : walk.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(path);
      }
    }
  }
}
