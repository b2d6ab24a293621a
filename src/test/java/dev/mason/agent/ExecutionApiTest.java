package dev.mason.agent;

import static dev.mason.agent.llm.FakeAnthropicServer.message;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mason.agent.llm.FakeAnthropicServer;
import dev.mason.agent.llm.FakeOpenAiServer;
import dev.mason.testing.Api;
import dev.mason.testing.Eventually;
import dev.mason.testing.SseClient;
import dev.mason.testing.SseClient.Event;
import dev.mason.testing.TestMason;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Agent runs end to end: HTTP in, the fake model's wire format out, events over SSE, the database. */
class ExecutionApiTest {
  static final String MODEL = "fake-claude";
  static final String MINI = "fake-claude-mini";
  static final Duration LIMIT = Duration.ofSeconds(30);

  static FakeAnthropicServer model;
  static FakeOpenAiServer openAi;
  static TestMason mason;
  static Api alice;

  @BeforeAll
  static void start() {
    model = new FakeAnthropicServer();
    openAi = new FakeOpenAiServer();
    mason = TestMason.start(Map.of(
        "ANTHROPIC_BASE_URL", model.baseUrl(),
        "ANTHROPIC_AUTH_TOKEN", "test-model-token",
        "ANTHROPIC_MODEL", MODEL,
        "ANTHROPIC_MODEL_MINI", MINI,
        "OPENAI_BASE_URL", openAi.baseUrl() + "/v1",
        "OPENAI_API_KEY", "test-openai-key"));
    alice = mason.as("alice@example.com");
  }

  @AfterAll
  static void stop() {
    mason.close();
    model.close();
    openAi.close();
  }

  @BeforeEach
  void titlesAnswerAtOnce() {
    model.alwaysAnswer(MINI, message().text("Greeting the agent"));
  }

  @Test
  void theAgentWritesAFileRunsBashAndTheConversationIsStoredAndReplayed() {
    String project = createProject(alice, "files");
    model.enqueue(
        message().text("I will ", "write it.").toolUse("tu_write", "Write", "{\"file_path\": \"hello.txt\", ", "\"content\": \"hi there\\n\"}"),
        message().toolUse("tu_ls", "Bash", "{\"command\": \"ls\"}"),
        message().text("Done: ", "hello.txt exists."));

    JsonNode started = invoke(alice, project, null, "Write hello.txt and list the folder");
    String execution = started.get("execution_id").asText();
    String conversation = started.get("conversation_id").asText();
    List<Event> events = readAll(alice, execution, 0);

    assertThat(types(events)).startsWith("conversation.created").endsWith("result", "done");
    assertThat(events).extracting(Event::id).containsExactlyElementsOf(IntStream.rangeClosed(1, events.size()).boxed().toList());
    assertThat(textOf(events, "text_delta")).isEqualTo("I will write it.Done: hello.txt exists.");
    assertThat(events).filteredOn(e -> e.type().equals("tool_use")).extracting(e -> e.data().get("tool_name").asText())
        .containsExactly("Write", "Bash");
    Event ls = events.stream().filter(e -> e.type().equals("tool_result") && e.data().get("tool_use_id").asText().equals("tu_ls"))
        .findFirst().orElseThrow();
    assertThat(ls.data().get("content").asText()).contains("hello.txt").contains("CLAUDE.md");
    assertThat(ls.data().get("is_error").asBoolean()).isFalse();
    assertThat(events.getLast().data().get("status").asText()).isEqualTo("completed");

    assertThat(alice.get("/api/projects/" + project + "/files/content?path=hello.txt").json().get("content").asText())
        .isEqualTo("hi there\n");
    JsonNode messages = alice.get("/api/projects/" + project + "/conversations/" + conversation).json().get("messages");
    assertThat(messages.findValuesAsText("role")).containsExactly("user", "assistant", "user", "assistant", "user", "assistant");
    assertThat(messages.get(1).get("content").findValuesAsText("type")).containsExactly("text", "tool_use");
    assertThat(messages.get(2).get("content").get(0).get("type").asText()).isEqualTo("tool_result");
    // The stored result keeps how long the call took, for the page; the model is never sent it.
    assertThat(messages.get(2).get("content").get(0).get("duration_ms").isIntegralNumber()).isTrue();
    assertThat(messages.get(5).get("usage").get("output_tokens").asLong()).isPositive();

    // The first request carried the model's auth, the system prompt and the tools with schemas.
    JsonNode first = model.requestsFor(MODEL).getFirst().body();
    assertThat(model.requestsFor(MODEL).getFirst().header("authorization")).isEqualTo("Bearer test-model-token");
    assertThat(first.get("tools").findValuesAsText("name")).contains("Read", "Write", "Edit", "Glob", "Grep", "Bash", "TodoWrite", "Skill");
    assertThat(first.get("tools").get(0).get("input_schema").get("type").asText()).isEqualTo("object");

    // The next run sends the whole stored history, tool calls and results included.
    model.enqueue(message().text("Second answer."));
    String second = invoke(alice, project, conversation, "And now?").get("execution_id").asText();
    readAll(alice, second, 0);
    JsonNode sent = model.requestsFor(MODEL).getLast().body().get("messages");
    assertThat(sent).hasSize(7);
    assertThat(sent.findValuesAsText("type")).contains("tool_use", "tool_result");
    assertThat(sent.get(6).get("content").toString()).contains("And now?");
    assertThat(sent.findValues("duration_ms")).as("the model is never sent a call's duration").isEmpty();

    // Asking again: the history is cut back to before the question, then the page sends anew.
    String conversationPath = "/api/projects/" + project + "/conversations/" + conversation;
    JsonNode stored = alice.get(conversationPath).json().get("messages");
    long question = stored.get(6).get("id").asLong();
    assertThat(alice.delete(conversationPath + "/messages?from=" + question).json().get("deleted_messages").asInt()).isEqualTo(2);
    assertThat(alice.get(conversationPath).json().get("messages")).hasSize(6);
    assertThat(alice.delete(conversationPath + "/messages?from=six").status()).isEqualTo(400);
  }

  @Test
  void aReaderThatDisconnectsMidRunResumesWithLastEventIdAndGetsExactlyTheMissingEvents() {
    String project = createProject(alice, "resume");
    model.enqueue(message().text("one ", "two ", "three ", "four ", "five ", "six ", "seven ", "eight")
        .delayBetweenEvents(Duration.ofMillis(60)));
    String execution = invoke(alice, project, null, "count slowly").get("execution_id").asText();

    List<Event> firstPart = SseClient.read(eventsUrl(execution), Map.of("X-Forwarded-Email", "alice@example.com"),
        e -> e.type().equals("text_delta") && e.data().get("text").asText().equals("three "), LIMIT);
    int last = firstPart.getLast().id();
    List<Event> rest = SseClient.read(eventsUrl(execution),
        Map.of("X-Forwarded-Email", "alice@example.com", "Last-Event-ID", Integer.toString(last)),
        e -> e.type().equals("done"), LIMIT);

    List<Event> joined = new ArrayList<>(firstPart);
    joined.addAll(rest);
    List<Event> whole = readAll(alice, execution, 0);
    assertThat(joined).extracting(Event::id).containsExactlyElementsOf(whole.stream().map(Event::id).toList());
    assertThat(joined).extracting(Event::type).containsExactlyElementsOf(types(whole));
    assertThat(rest.getFirst().id()).isEqualTo(last + 1);

    // ?after= works too, and a finished run is read from the database.
    List<Event> tail = SseClient.read(eventsUrl(execution) + "?after=" + (whole.size() - 2),
        Map.of("X-Forwarded-Email", "alice@example.com"), e -> false, LIMIT);
    assertThat(types(tail)).containsExactly("result", "done");
  }

  @Test
  void stoppingARunDuringALongBashCommandKillsItAndKeepsWhatWasProduced() {
    String project = createProject(alice, "stop");
    String marker = "sleep 307";
    model.enqueue(message().text("Running it.").toolUse("tu_sleep", "Bash", "{\"command\": \"" + marker + "; echo never\"}"));
    String execution = invoke(alice, project, null, "run a long command").get("execution_id").asText();

    SseClient.read(eventsUrl(execution), Map.of("X-Forwarded-Email", "alice@example.com"), e -> e.type().equals("tool_use"), LIMIT);
    Eventually.await(Duration.ofSeconds(10), "the sleep to start", () -> processRunning(marker));
    assertThat(alice.post("/api/stop_stream/" + execution, "").json().get("success").asBoolean()).isTrue();

    List<Event> events = readAll(alice, execution, 0);
    assertThat(types(events)).contains("cancelled").endsWith("result", "done");
    assertThat(events.getLast().data().get("status").asText()).isEqualTo("cancelled");
    Eventually.await(Duration.ofSeconds(5), "the sleep to be killed", () -> !processRunning(marker));
    JsonNode run = alice.get("/api/executions/" + execution).json();
    assertThat(run.get("status").asText()).isEqualTo("cancelled");
    JsonNode messages = alice.get("/api/projects/" + project + "/conversations/" + run.get("conversation_id").asText()).json().get("messages");
    assertThat(messages.get(0).get("role").asText()).isEqualTo("user");
    assertThat(messages.toString()).contains("Running it.");
    assertThat(messages.get(messages.size() - 1).get("cancelled").asBoolean()).isTrue();
  }

  @Test
  void twoConcurrentRunsOnDifferentConversationsKeepTheirOwnEvents() {
    Api bob = mason.as("bob@example.com");
    String aliceProject = createProject(alice, "a");
    String bobProject = createProject(bob, "b");
    model.enqueue(message().text("first-", "answer").delayBetweenEvents(Duration.ofMillis(40)),
        message().text("second-", "answer").delayBetweenEvents(Duration.ofMillis(40)));
    String a = invoke(alice, aliceProject, null, "hello").get("execution_id").asText();
    String b = invoke(bob, bobProject, null, "hello").get("execution_id").asText();

    String aText = textOf(readAll(alice, a, 0), "text_delta");
    String bText = textOf(readAll(bob, b, 0), "text_delta");
    assertThat(List.of(aText, bText)).containsExactlyInAnyOrder("first-answer", "second-answer");
    assertThat(bob.get("/api/executions/" + a).status()).isEqualTo(404);
    assertThat(bob.get("/api/executions/" + a + "/events").status()).isEqualTo(404);
    assertThat(bob.post("/api/stop_stream/" + a, "").status()).isEqualTo(404);
  }

  @Test
  void aSecondInvokeOnARunningConversationIsRefusedWith409AndAStopKeepsTheStreamedText() {
    String project = createProject(alice, "busy");
    model.enqueue(message().text("thinking about it").hang());
    JsonNode started = invoke(alice, project, null, "take your time");
    String conversation = started.get("conversation_id").asText();
    // Wait until the run holds the hanging reply, so it is not left in the queue for another test.
    SseClient.read(eventsUrl(started.get("execution_id").asText()), Map.of("X-Forwarded-Email", "alice@example.com"),
        e -> e.type().equals("text_delta"), LIMIT);
    var again = alice.post("/api/invoke_agent", "{\"project_id\": \"" + project + "\", \"conversation_id\": \"" + conversation
        + "\", \"message\": \"again\"}");
    assertThat(again.status()).isEqualTo(409);
    assertThat(again.json().get("error").asText()).contains("already has a running execution");
    var list = alice.get("/api/projects/" + project + "/conversations/" + conversation + "/executions").json();
    assertThat(list.get("active").get("id").asText()).isEqualTo(started.get("execution_id").asText());
    alice.post("/api/stop_stream/" + started.get("execution_id").asText(), "");
    readAll(alice, started.get("execution_id").asText(), 0);

    // Stopped while the model was writing: the text the reader saw is kept, marked cancelled.
    JsonNode messages = alice.get("/api/projects/" + project + "/conversations/" + conversation).json().get("messages");
    JsonNode last = messages.get(messages.size() - 1);
    assertThat(last.get("role").asText()).isEqualTo("assistant");
    assertThat(last.get("text").asText()).isEqualTo("thinking about it");
    assertThat(last.get("cancelled").asBoolean()).isTrue();
  }

  @Test
  void badInvokeRequestsAnswer400NamingTheField() {
    String project = createProject(alice, "bad");
    assertThat(alice.post("/api/invoke_agent", "{\"project_id\": \"" + project + "\"}").json().get("field").asText()).isEqualTo("message");
    assertThat(alice.post("/api/invoke_agent", "{\"message\": \"hi\"}").json().get("field").asText()).isEqualTo("project_id");
    assertThat(alice.post("/api/invoke_agent", "{\"project_id\": \"nope\", \"message\": \"hi\"}").status()).isEqualTo(400);
    assertThat(mason.as("mallory@example.com").post("/api/invoke_agent", "{\"project_id\": \"" + project + "\", \"message\": \"hi\"}")
        .status()).isEqualTo(404);
  }

  @Test
  void aConversationCanSwitchFromAnAnthropicModelToAnOpenAiModelMidWay() {
    String project = createProject(alice, "switch");
    model.enqueue(message().toolUse("tu_r", "Read", "{\"file_path\": \"CLAUDE.md\"}"), message().text("It is a template."));
    JsonNode started = invoke(alice, project, null, "What is in CLAUDE.md?");
    readAll(alice, started.get("execution_id").asText(), 0);
    String conversation = started.get("conversation_id").asText();

    openAi.enqueue(FakeOpenAiServer.completion().text("From GPT: ", "yes."));
    var switched = alice.post("/api/invoke_agent", "{\"project_id\": \"" + project + "\", \"conversation_id\": \"" + conversation
        + "\", \"message\": \"Are you sure?\", \"model\": \"gpt-fake\"}").json();
    List<Event> events = readAll(alice, switched.get("execution_id").asText(), 0);
    assertThat(textOf(events, "text_delta")).isEqualTo("From GPT: yes.");
    JsonNode sent = openAi.lastRequest().body();
    assertThat(sent.get("model").asText()).isEqualTo("gpt-fake");
    assertThat(sent.get("messages").toString()).contains("tool_calls").contains("\"role\":\"tool\"").contains("Are you sure?");
    assertThat(alice.get("/api/projects/" + project + "/conversations/" + conversation).json().get("model").asText()).isEqualTo("gpt-fake");
  }

  @Test
  void aNewConversationGetsAProvisionalTitleAndThenOneWrittenByTheSmallModel() {
    String project = createProject(alice, "titles");
    model.alwaysAnswer(MINI, message().text("Quarterly Revenue Table Cleanup"));
    model.enqueue(message().text("ok"));
    JsonNode started = invoke(alice, project, null, "Please clean up the quarterly revenue table in the finance schema today");
    String conversation = started.get("conversation_id").asText();
    readAll(alice, started.get("execution_id").asText(), 0);
    Eventually.await(Duration.ofSeconds(10), "the model's title", () -> alice
        .get("/api/projects/" + project + "/conversations/" + conversation).json().get("title").asText()
        .equals("Quarterly Revenue Table Cleanup"));
  }

  @Test
  void thinkingAndTodosAreStreamedAsEvents() {
    String project = createProject(alice, "todos");
    model.enqueue(
        message().thinking("sig-1", "Let me ", "plan.").toolUse("tu_todo", "TodoWrite",
            "{\"todos\": [{\"content\": \"Look at the data\", \"status\": \"in_progress\"}, {\"content\": \"Write the report\", \"status\": \"pending\"}]}"),
        message().text("Planned."));
    List<Event> events = readAll(alice, invoke(alice, project, null, "plan it").get("execution_id").asText(), 0);
    assertThat(textOf(events, "thinking_delta")).isEqualTo("Let me plan.");
    assertThat(events).filteredOn(e -> e.type().equals("thinking")).extracting(e -> e.data().get("thinking").asText())
        .containsExactly("Let me plan.");
    Event todos = events.stream().filter(e -> e.type().equals("todos")).findFirst().orElseThrow();
    assertThat(todos.data().get("todos").findValuesAsText("content")).containsExactly("Look at the data", "Write the report");
    // The signed thinking block goes back to the model on the next turn.
    assertThat(model.requestsFor(MODEL).getLast().body().get("messages").toString()).contains("sig-1");
  }

  static String createProject(Api api, String name) {
    var created = api.post("/api/projects", "{\"name\": \"" + name + "\"}");
    assertThat(created.status()).isEqualTo(201);
    return created.json().get("id").asText();
  }

  static JsonNode invoke(Api api, String project, String conversation, String text) {
    String body = "{\"project_id\": \"" + project + "\", \"message\": \"" + text + "\""
        + (conversation == null ? "" : ", \"conversation_id\": \"" + conversation + "\"") + "}";
    var response = api.post("/api/invoke_agent", body);
    assertThat(response.status()).as(response.body()).isEqualTo(202);
    return response.json();
  }

  static String eventsUrl(String execution) {
    return mason.baseUrl() + "/api/executions/" + execution + "/events";
  }

  static List<Event> readAll(Api api, String execution, int after) {
    String user = api == alice ? "alice@example.com" : "bob@example.com";
    return SseClient.read(eventsUrl(execution) + "?after=" + after, Map.of("X-Forwarded-Email", user),
        e -> e.type().equals("done"), LIMIT);
  }

  static List<String> types(List<Event> events) {
    return events.stream().map(Event::type).toList();
  }

  static String textOf(List<Event> events, String type) {
    String field = type.startsWith("thinking") ? "thinking" : "text";
    return events.stream().filter(e -> e.type().equals(type)).map(e -> e.data().get(field).asText()).reduce("", String::concat);
  }

  static boolean processRunning(String commandPart) {
    return ProcessHandle.allProcesses().anyMatch(p -> p.info().commandLine().map(c -> c.contains(commandPart)).orElse(false));
  }
}
