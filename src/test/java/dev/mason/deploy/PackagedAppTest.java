package dev.mason.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mason.databricks.FakeWorkspace;
import dev.mason.testing.Api;
import dev.mason.testing.Eventually;
import dev.mason.testing.PackagedApp;
import dev.mason.testing.SseClient;
import dev.mason.testing.TestMason;
import dev.mason.testing.TestPostgres;
import dev.mason.web.Json;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

/**
 * The packaged app run as Databricks Apps runs it: {@code app.yaml}'s command in the app's folder
 * (after the platform's pip and npm installs, see {@link PackagedApp}), with only what the
 * platform sets: its app variables, the app's service principal, a workspace (the fake, whose
 * Apps API names the creator and whose token endpoint signs the service principal in), and the
 * {@code PG*} variables of a database resource, here a real PostgreSQL whose role is the service
 * principal and whose password is its OAuth token, as on Lakebase.
 */
class PackagedAppTest {
  static final String APP = "mason-team";
  static final String CREATOR = "creator@example.com";
  static final String CREATOR_TOKEN = "creator-forwarded-token-1a2b";
  static final String BOB = "bob@example.com";
  static final String BOB_TOKEN = "bob-forwarded-token-3c4d";
  static final String CLIENT_ID = "5e1f4a70-app-sp";
  static final String CLIENT_SECRET = "app-sp-oauth-secret";
  static final Duration START_LIMIT = Duration.ofSeconds(120);
  /** The platform's grace period between SIGTERM and SIGKILL. */
  static final Duration GRACE = Duration.ofSeconds(15);

  FakeWorkspace workspace;
  Process mason;
  Path log;

  @BeforeEach
  void startWorkspace() {
    workspace = FakeWorkspace.start()
        .addUser(CREATOR_TOKEN, CREATOR)
        .addUser(BOB_TOKEN, BOB)
        .addServicePrincipal(CLIENT_ID, CLIENT_SECRET)
        .addApp(APP, CREATOR);
  }

  @AfterEach
  void stop() {
    if (mason != null) {
      mason.destroyForcibly();
    }
    workspace.close();
  }

  @Test
  void thePackagedAppStartsAsThePlatformStartsItServesTheCreatorAndStopsOnSigterm() throws Exception {
    String database = "app_db_" + Long.toHexString(System.nanoTime());
    TestPostgres.run("postgres",
        "DO $$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '" + CLIENT_ID + "') THEN CREATE ROLE \"" + CLIENT_ID
            + "\" LOGIN; END IF; END $$",
        "ALTER ROLE \"" + CLIENT_ID + "\" PASSWORD '" + FakeWorkspace.servicePrincipalToken(CLIENT_ID) + "'",
        "CREATE DATABASE " + database,
        "GRANT CONNECT, CREATE ON DATABASE " + database + " TO \"" + CLIENT_ID + "\"");
    Map<String, String> pg = Map.of("PGHOST", "127.0.0.1", "PGPORT", Integer.toString(TestPostgres.port()),
        "PGDATABASE", database, "PGUSER", CLIENT_ID, "PGSSLMODE", "disable");
    int port = freePort();
    String base = "http://127.0.0.1:" + port;
    mason = launch(port, pg);

    Eventually.await(START_LIMIT, "the app to answer its health check", () -> {
      if (!mason.isAlive()) {
        throw new AssertionError("the app exited " + mason.exitValue() + ":\n" + output());
      }
      return healthy(base);
    });
    assertThat(workspace.tokenGrants()).as("the service principal signed in through OAuth M2M").isPositive();

    Api creator = new Api(base, Map.of("X-Forwarded-Email", CREATOR, "X-Forwarded-Access-Token", CREATOR_TOKEN));
    Api bob = new Api(base, Map.of("X-Forwarded-Email", BOB, "X-Forwarded-Access-Token", BOB_TOKEN));
    Eventually.await(Duration.ofSeconds(30), "the app's creator to be read", () -> creator.get("/api/sessions").status() == 200);
    var session = creator.post("/api/session", "{\"label\": \"on apps\"}");
    assertThat(session.status()).as(session.toString()).isEqualTo(200);
    assertThat(bob.post("/api/session", "{}").status()).isEqualTo(403);

    String id = session.json().get("session_id").asText();
    creator.post("/api/input", Json.write(Map.of("session_id", id, "input", "echo PATH=$PATH; command -v claude codex gemini opencode\r")));
    String clis = PackagedApp.get().folder().resolve("node_modules/.bin").toString();
    String shown = readTerminal(creator, id, clis + "/opencode");
    assertThat(shown).contains(clis + "/claude", clis + "/codex", clis + "/gemini");

    JsonNode me = creator.get("/api/config/me").json();
    assertThat(me.get("model_credential").asText()).isEqualTo("app_service_principal");
    assertThat(me.get("model").get("configured").asBoolean()).isTrue();

    String project = creator.post("/api/projects", "{\"name\": \"on apps\"}").json().get("id").asText();
    var started = creator.post("/api/invoke_agent", Json.write(Map.of("project_id", project, "message", "Say hello")));
    assertThat(started.status()).as(started.toString()).isEqualTo(202);
    List<SseClient.Event> events = SseClient.read(base + "/api/executions/" + started.json().get("execution_id").asText() + "/events",
        Map.of("X-Forwarded-Email", CREATOR, "X-Forwarded-Access-Token", CREATOR_TOKEN), e -> e.type().equals("done"),
        Duration.ofSeconds(60));
    assertThat(events.getLast().type()).as(events.toString()).isEqualTo("done");
    assertThat(events).filteredOn(e -> e.type().equals("text_delta")).isNotEmpty();
    assertThat(events.stream().filter(e -> e.type().equals("text")).map(e -> e.data().path("text").asText()).toList())
        .contains("Hello from the fake endpoint");
    var modelCalls = workspace.requests("/serving-endpoints/anthropic/v1/messages");
    assertThat(modelCalls).isNotEmpty()
        .allSatisfy(call -> assertThat(call.token()).isEqualTo(FakeWorkspace.servicePrincipalToken(CLIENT_ID)));

    mason.destroy(); // SIGTERM, as the platform sends it
    assertThat(mason.waitFor(GRACE.toMillis(), TimeUnit.MILLISECONDS)).as("stopped within the grace period:\n" + output()).isTrue();
    assertThat(output()).contains("Stopped in");
  }

  @Test
  void withoutADatabaseResourceThePackagedAppRefusesToStartWithOneLine() throws Exception {
    mason = launch(freePort(), Map.of());

    assertThat(mason.waitFor(60, TimeUnit.SECONDS)).as(output()).isTrue();
    assertThat(mason.exitValue()).isEqualTo(1);
    List<String> refusal = output().lines().filter(l -> l.contains("needs a database")).toList();
    assertThat(refusal).as(output()).hasSize(1);
    assertThat(refusal.getFirst()).contains("app '" + APP + "' has none").contains("--database INSTANCE");
  }

  /** app.yaml's command, in the app's folder, with the platform's variables, app.yaml's env, and {@code more}. */
  private Process launch(int port, Map<String, String> more) throws IOException {
    Path folder = PackagedApp.get().folder();
    Map<String, Object> yaml = new Yaml().load(Files.readString(folder.resolve("app.yaml")));
    @SuppressWarnings("unchecked")
    List<String> command = new ArrayList<>((List<String>) yaml.get("command"));
    // Found on the app's PATH, as the platform finds it (ProcessBuilder would search the test's own PATH).
    String path = PackagedApp.get().pythonBin() + ":" + System.getenv("PATH");
    command.set(0, onPath(command.getFirst(), path));
    Path home = TestMason.freshHome();
    ProcessBuilder builder = new ProcessBuilder(command).directory(folder.toFile()).redirectErrorStream(true);
    log = Files.createTempFile(home, "app-", ".log");
    builder.redirectOutput(log.toFile());
    Map<String, String> env = builder.environment();
    env.clear();
    env.put("PATH", path);
    env.put("HOME", home.toString());
    env.put("DATABRICKS_APP_PORT", Integer.toString(port));
    env.put("DATABRICKS_APP_NAME", APP);
    env.put("DATABRICKS_WORKSPACE_ID", "1234567890123456");
    env.put("DATABRICKS_HOST", workspace.url());
    env.put("DATABRICKS_CLIENT_ID", CLIENT_ID);
    env.put("DATABRICKS_CLIENT_SECRET", CLIENT_SECRET);
    @SuppressWarnings("unchecked")
    List<Map<String, Object>> entries = (List<Map<String, Object>>) yaml.get("env");
    for (Map<String, Object> entry : entries) {
      env.put((String) entry.get("name"), String.valueOf(entry.get("value")));
    }
    env.putAll(new HashMap<>(more));
    return builder.start();
  }

  private static String onPath(String program, String path) {
    for (String dir : path.split(":")) {
      if (Files.isExecutable(Path.of(dir, program))) {
        return Path.of(dir, program).toString();
      }
    }
    throw new AssertionError(program + " is not on " + path);
  }

  private String readTerminal(Api owner, String sessionId, String fragment) {
    StringBuilder text = new StringBuilder();
    long[] offset = {0};
    try {
      Eventually.await(Duration.ofSeconds(20), "the terminal to show " + fragment, () -> {
        JsonNode answer = owner.post("/api/output", Json.write(Map.of("session_id", sessionId, "offset", offset[0],
            "reader_id", "packaged-app-test"))).json();
        text.append(answer.get("output").asText());
        offset[0] = answer.get("next_offset").asLong();
        return text.toString().contains(fragment);
      });
    } catch (AssertionError e) {
      throw new AssertionError(e.getMessage() + "; it showed:\n" + text + "\nMason's output:\n" + output(), e);
    }
    return text.toString();
  }

  private static boolean healthy(String base) {
    try {
      return new Api(base, Map.of()).get("/api/health").status() == 200;
    } catch (RuntimeException e) {
      return false;
    }
  }

  private String output() {
    try {
      return log == null ? "" : Files.readString(log, StandardCharsets.UTF_8);
    } catch (IOException e) {
      return "(no output: " + e.getMessage() + ")";
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }
}
