package dev.mason.agent;

import static dev.mason.agent.llm.FakeAnthropicServer.message;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mason.agent.llm.FakeAnthropicServer;
import dev.mason.identity.FakeWorkspace;
import dev.mason.testing.Api;
import dev.mason.testing.MasonDatabase;
import dev.mason.testing.SseClient;
import dev.mason.testing.TestMason;
import dev.mason.web.Json;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Alice's agent, on a Mason that bob uses too, tries what an unconfined shell could do: read
 * Mason's environment, read or write bob's project, connect to the database and to Mason's port
 * as bob, kill Mason. In the sandbox each attempt fails; on the host the same commands reach
 * what they aim at, so the attempts are real.
 */
class SharedBashTest {
  static final String MODEL = "fake-claude";
  static final Duration LIMIT = Duration.ofSeconds(60);
  static final String BOBS_SECRET = "bob's quarterly numbers";
  /** What the sandbox's processes may carry: the variables it passes in, and those bash sets itself. */
  static final Set<String> SANDBOX_VARIABLES = Set.of("PATH", "LANG", "LANGUAGE", "TZ", "HOME", "TMPDIR",
      "GIT_TERMINAL_PROMPT", "PWD", "OLDPWD", "SHLVL", "_");

  static FakeAnthropicServer model;
  static TestMason sandboxed;
  static TestMason host;

  @BeforeAll
  static void start() {
    model = new FakeAnthropicServer();
    model.alwaysAnswer("fake-mini", message().text("A title"));
    sandboxed = TestMason.start(modelEnvironment("sandbox"));
    host = TestMason.start(modelEnvironment("host"));
  }

  private static Map<String, String> modelEnvironment(String bash) {
    return Map.of("ANTHROPIC_BASE_URL", model.baseUrl(), "ANTHROPIC_AUTH_TOKEN", "test-model-token",
        "ANTHROPIC_MODEL", MODEL, "ANTHROPIC_MODEL_MINI", "fake-mini", "MASON_BASH", bash);
  }

  @AfterAll
  static void stop() {
    sandboxed.close();
    host.close();
    model.close();
  }

  /** The attempts, by name, for a Mason whose bob has {@code bobsFolder}. */
  private static Map<String, String> attempts(TestMason mason, Path bobsFolder) {
    long masonPid = ProcessHandle.current().pid();
    Map<String, String> commands = new LinkedHashMap<>();
    commands.put("environ", "tr '\\0' '\\n' < /proc/" + masonPid + "/environ");
    commands.put("process", "head -1 /proc/" + masonPid + "/status");
    commands.put("parent", "cat ../" + bobsFolder.getFileName() + "/secret.txt");
    commands.put("absolute", "cat " + bobsFolder + "/secret.txt");
    commands.put("symlink", "ln -s " + bobsFolder + "/secret.txt link.txt && cat link.txt");
    commands.put("write", "echo pwned > " + bobsFolder + "/pwned.txt");
    commands.put("psql", "psql -h 127.0.0.1 -p " + MasonDatabase.port(mason.home()) + " -U postgres -w -c 'SELECT 1' postgres");
    commands.put("curl", "curl -sS -f -m 5 -H 'X-Forwarded-Email: bob@example.com' http://127.0.0.1:"
        + mason.app().port() + "/api/projects");
    commands.put("kill", "kill -0 " + masonPid);
    return commands;
  }

  @Test
  void inTheSandboxAlicesAgentReachesNeitherBobNorMasonNorTheDatabase() throws Exception {
    Path bobsFolder = bobsProject(sandboxed);
    Api alice = sandboxed.as("alice@example.com");
    String project = createProject(alice, "alice's");

    Map<String, JsonNode> results = run(sandboxed, alice, project, attempts(sandboxed, bobsFolder));

    results.forEach((name, result) -> {
      assertThat(result.get("is_error").asBoolean()).as(name + ": " + result).isTrue();
      assertThat(result.get("content").asText()).as(name).doesNotContain(BOBS_SECRET);
    });
    assertThat(results.get("environ").get("content").asText()).contains("No such file");
    assertThat(results.get("curl").get("content").asText()).contains("Couldn't connect");
    assertThat(results.get("kill").get("content").asText()).contains("No such process");
    try (var files = Files.list(bobsFolder)) {
      assertThat(files.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder("CLAUDE.md", "secret.txt");
    }
    assertThat(Files.readString(bobsFolder.resolve("secret.txt"))).isEqualTo(BOBS_SECRET);
  }

  @Test
  void inTheSandboxEveryVisibleProcessCarriesOnlyTheSandboxsFewVariables() {
    Api alice = sandboxed.as("alice@example.com");
    String project = createProject(alice, "environ");

    JsonNode result = run(sandboxed, alice, project, Map.of("all", "for f in /proc/[0-9]*/environ; do tr '\\0' '\\n' < $f; done; ls -d /proc/[0-9]* | wc -l"))
        .get("all");

    List<String> lines = result.get("content").asText().lines().toList();
    List<String> names = lines.stream().filter(l -> l.contains("=")).map(l -> l.substring(0, l.indexOf('='))).distinct().toList();
    assertThat(names).isNotEmpty().allSatisfy(name -> assertThat(name.startsWith("LC_") || SANDBOX_VARIABLES.contains(name)).as(name).isTrue());
  }

  @Test
  void ordinaryCommandsWorkInTheSandboxAndOnTheHost() throws Exception {
    for (TestMason mason : List.of(sandboxed, host)) {
      Api alice = mason.as("alice@example.com");
      String project = createProject(alice, "ordinary");

      JsonNode result = run(mason, alice, project, Map.of("work", "echo hello > note.txt && cat note.txt && ls && pwd")).get("work");

      assertThat(result.get("is_error").asBoolean()).as(result.toString()).isFalse();
      assertThat(result.get("content").asText()).contains("hello").contains("note.txt").contains("CLAUDE.md");
      assertThat(Files.readString(mason.home().resolve("projects").resolve(project).resolve("note.txt"))).isEqualTo("hello\n");
    }
  }

  @Test
  void onTheHostTheSameAttemptsReachWhatTheyAimAt() throws Exception {
    Path bobsFolder = bobsProject(host);
    Api alice = host.as("alice@example.com");
    String project = createProject(alice, "alice's");

    Map<String, JsonNode> results = run(host, alice, project, attempts(host, bobsFolder));

    // Mason's environment itself may be closed to its own user (see ProcessPrivacy); its process is not hidden.
    assertThat(results.get("process").get("content").asText()).contains("Name:");
    assertThat(results.get("absolute").get("content").asText()).contains(BOBS_SECRET);
    assertThat(results.get("symlink").get("content").asText()).contains(BOBS_SECRET);
    assertThat(results.get("psql").get("content").asText()).as("it reached the server, which asked for the password").contains("password");
    assertThat(results.get("curl").get("is_error").asBoolean()).as(results.get("curl").toString()).isFalse();
    assertThat(results.get("kill").get("is_error").asBoolean()).isFalse();
  }

  @Test
  void onALocalMasonAnotherPersonsBearerTokenGetsTheSandboxWhileTheLocalUserKeepsTheHost() {
    try (FakeWorkspace workspace = FakeWorkspace.start().withUser("dapi-me", "me@example.com", "Me")
            .withUser("dapi-bob", "bob@example.com", "Bob");
        TestMason local = TestMason.start(Map.of("ANTHROPIC_BASE_URL", model.baseUrl(), "ANTHROPIC_AUTH_TOKEN", "test-model-token",
            "ANTHROPIC_MODEL", MODEL, "ANTHROPIC_MODEL_MINI", "fake-mini", "MASON_TRUST_FORWARDED_HEADERS", "false",
            "DATABRICKS_HOST", workspace.url(), "DATABRICKS_TOKEN", "dapi-me"))) {
      Map<String, String> probe = Map.of("kill", "kill -0 " + ProcessHandle.current().pid());
      Api me = local.anonymous();
      Map<String, String> bobsToken = Map.of("Authorization", "Bearer dapi-bob");
      Api bob = new Api(local.baseUrl(), bobsToken);

      JsonNode mine = run(local, me, Map.of(), createProject(me, "mine"), probe).get("kill");
      JsonNode bobs = run(local, bob, bobsToken, createProject(bob, "bob's"), probe).get("kill");

      assertThat(mine.get("is_error").asBoolean()).as("the local user's own Bash is on the host: " + mine).isFalse();
      assertThat(bobs.get("is_error").asBoolean()).as(bobs.toString()).isTrue();
      assertThat(bobs.get("content").asText()).contains("No such process");
    }
  }

  private static Path bobsProject(TestMason mason) throws Exception {
    String id = createProject(mason.as("bob@example.com"), "bob's");
    Path folder = mason.home().resolve("projects").resolve(id).toRealPath();
    Files.writeString(folder.resolve("secret.txt"), BOBS_SECRET);
    return folder;
  }

  /** Runs one agent turn calling Bash with each command, in order; the tool results by name. */
  private static Map<String, JsonNode> run(TestMason mason, Api user, String project, Map<String, String> commands) {
    return run(mason, user, Map.of("X-Forwarded-Email", "alice@example.com"), project, commands);
  }

  /** @param auth the headers that make {@code user} who they are, for reading the run's events */
  private static Map<String, JsonNode> run(TestMason mason, Api user, Map<String, String> auth, String project,
      Map<String, String> commands) {
    var turn = message();
    List<String> names = List.copyOf(commands.keySet());
    for (String name : names) {
      turn = turn.toolUse("tu_" + name, "Bash", Json.write(Map.of("command", commands.get(name), "timeout", 20_000)));
    }
    model.enqueue(turn, message().text("Done."));
    var started = user.post("/api/invoke_agent", "{\"project_id\": \"" + project + "\", \"message\": \"try\"}");
    assertThat(started.status()).as(started.body()).isEqualTo(202);
    var events = SseClient.read(mason.baseUrl() + "/api/executions/" + started.json().get("execution_id").asText() + "/events",
        auth, e -> e.type().equals("done"), LIMIT);
    Map<String, JsonNode> results = new LinkedHashMap<>();
    for (String name : names) {
      results.put(name, events.stream()
          .filter(e -> e.type().equals("tool_result") && e.data().get("tool_use_id").asText().equals("tu_" + name))
          .findFirst().orElseThrow(() -> new AssertionError("no result for " + name + " in " + events)).data());
    }
    return results;
  }

  private static String createProject(Api api, String name) {
    var created = api.post("/api/projects", Json.write(Map.of("name", name)));
    assertThat(created.status()).as(created.body()).isEqualTo(201);
    return created.json().get("id").asText();
  }
}
