package dev.mason;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mason.testing.Api;
import dev.mason.testing.Eventually;
import dev.mason.testing.TestMason;
import dev.mason.testing.TestPostgres;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Mason as its users run it: a separate JVM started from the command line, stopped with SIGTERM.
 */
class MasonProcessTest {
  private static final Pattern READY = Pattern.compile("ready at (http://\\S+:(\\d+))\\s*$");
  private static final Duration READY_LIMIT = Duration.ofSeconds(90);
  private static final Duration STOP_LIMIT = Duration.ofSeconds(10);

  private final List<Process> started = new ArrayList<>();
  private final List<Path> homes = new ArrayList<>();

  /** After a failure: a killed Mason leaves its PostgreSQL running (a daemon, not its child). */
  @AfterEach
  void killLeftovers() {
    started.forEach(Process::destroyForcibly);
    for (Path home : homes) {
      postgresServing(home.resolve("pg")).forEach(ProcessHandle::destroy);
    }
  }

  @Test
  void sigtermStopsMasonWithinTenSecondsLeavingNoPostgresAndNoLostData() throws Exception {
    Path home = TestMason.freshHome();
    Running mason = start(home, Map.of(), "--port", "0", "--home", home.toString());
    String url = mason.awaitReady();

    int port = Integer.parseInt(url.substring(url.lastIndexOf(':') + 1));
    Api api = new Api(localUrl(url), Map.of());
    assertThat(port).as("the ready line names the port actually bound, not 0").isPositive();
    assertThat(api.get("/api/health").json().get("database").asText()).isEqualTo("ok");
    String project = api.post("/api/projects", "{\"name\": \"survives SIGTERM\"}").json().get("id").asText();
    Path dataDir = home.resolve("pg");
    List<ProcessHandle> postgres = postgresServing(dataDir);
    assertThat(postgres).as("the embedded PostgreSQL runs as its own process").isNotEmpty();
    List<ProcessHandle> postgresFamily = new ArrayList<>(postgres);
    postgres.forEach(p -> p.descendants().forEach(postgresFamily::add));

    long signalled = System.nanoTime();
    mason.process().destroy();
    boolean exited = mason.process().waitFor(STOP_LIMIT.toMillis(), TimeUnit.MILLISECONDS);

    assertThat(exited).as("exited within " + STOP_LIMIT.toSeconds() + " s of SIGTERM; stderr:\n" + mason.stderr()).isTrue();
    System.out.println("Mason exited " + Duration.ofNanos(System.nanoTime() - signalled).toMillis() + " ms after SIGTERM");
    // pg_ctl returns once the server has removed its pid file, a moment before its processes are
    // gone (and an ended process counts as alive until init reaps it); they must be gone within
    // the same ten seconds.
    Duration left = STOP_LIMIT.minus(Duration.ofNanos(System.nanoTime() - signalled));
    Eventually.await(left.isNegative() ? Duration.ZERO : left, "every PostgreSQL process to end",
        () -> postgresFamily.stream().noneMatch(ProcessHandle::isAlive));
    assertThat(postgresServing(dataDir)).isEmpty();
    assertThat(dataDir.resolve("postmaster.pid")).as("PostgreSQL shut down cleanly").doesNotExist();

    try (TestMason again = TestMason.startAt(home, Map.of())) {
      var read = again.anonymous().get("/api/projects/" + project);
      assertThat(read.status()).as(read.toString()).isEqualTo(200);
      assertThat(read.json().get("name").asText()).isEqualTo("survives SIGTERM");
    }
  }

  @Test
  void onDatabricksAppsItListensOnDatabricksAppPortForTheProxy() throws Exception {
    int appPort;
    try (ServerSocket probe = new ServerSocket(0)) {
      appPort = probe.getLocalPort();
    }
    Path home = TestMason.freshHome();
    // No workspace here to check a forwarded token against, so the headers alone are believed.
    Map<String, String> env = new java.util.HashMap<>(TestPostgres.appsResource());
    env.putAll(Map.of("DATABRICKS_APP_PORT", Integer.toString(appPort), "PORT", "1", "MASON_REQUIRE_FORWARDED_TOKEN", "false"));
    Running mason = start(home, env, "--home", home.toString());

    String url = mason.awaitReady();

    assertThat(url).endsWith(":" + appPort);
    var me = new Api(localUrl(url), Map.of("X-Forwarded-Email", "alice@example.com")).get("/api/me").json();
    assertThat(me.get("user").asText()).as("the Apps proxy's headers are trusted there by default").isEqualTo("alice@example.com");
    mason.process().destroy();
    assertThat(mason.process().waitFor(STOP_LIMIT.toMillis(), TimeUnit.MILLISECONDS)).isTrue();
  }

  @Test
  void aMasonStartedAfterOneWasKilledOutrightTakesOverItsLeftoverPostgres() throws Exception {
    Path home = TestMason.freshHome();
    Running killed = start(home, Map.of(), "--port", "0", "--home", home.toString());
    Api api = new Api(localUrl(killed.awaitReady()), Map.of());
    String project = api.post("/api/projects", "{\"name\": \"before the crash\"}").json().get("id").asText();
    List<ProcessHandle> leftover = postgresServing(home.resolve("pg"));

    killed.process().destroyForcibly();
    assertThat(killed.process().waitFor(10, TimeUnit.SECONDS)).isTrue();
    assertThat(leftover).as("SIGKILL gives Mason no chance to stop its PostgreSQL").anyMatch(ProcessHandle::isAlive);

    try (TestMason next = TestMason.startAt(home, Map.of())) {
      assertThat(next.anonymous().get("/api/projects/" + project).json().get("name").asText()).isEqualTo("before the crash");
      // Polled: an ended process counts as alive until init reaps it, which can take a second or two.
      Eventually.await(Duration.ofSeconds(5), "the leftover server to be stopped, not left beside the new one",
          () -> leftover.stream().noneMatch(ProcessHandle::isAlive));
    }
  }

  @Test
  void aSecondMasonProcessOnTheSameHomeExitsAtOnceSayingWhy() throws Exception {
    Path home = TestMason.freshHome();
    Running first = start(home, Map.of(), "--port", "0", "--home", home.toString());
    first.awaitReady();

    Running second = start(home, Map.of(), "--port", "0", "--home", home.toString());
    boolean exited = second.process().waitFor(30, TimeUnit.SECONDS);

    assertThat(exited).isTrue();
    assertThat(second.process().exitValue()).isNotZero();
    assertThat(second.stderr()).contains("Another Mason is already running with MASON_HOME=" + home)
        .contains("pid " + first.process().pid());
    assertThat(first.process().isAlive()).isTrue();
    first.process().destroy();
    assertThat(first.process().waitFor(STOP_LIMIT.toMillis(), TimeUnit.MILLISECONDS)).isTrue();
  }

  @Test
  void anUnreachableDatabaseEndsTheProcessWithOneClearLineAndAFailingExitCode() throws Exception {
    Path home = TestMason.freshHome();
    Running mason = start(home, Map.of("MASON_DATABASE_URL", "postgresql://mason:pa55word@127.0.0.1:1/mason"),
        "--port", "0", "--home", home.toString());

    assertThat(mason.process().waitFor(30, TimeUnit.SECONDS)).isTrue();

    assertThat(mason.process().exitValue()).isNotZero();
    List<String> lines = mason.stderr().lines().filter(l -> l.startsWith("Mason cannot start")).toList();
    assertThat(lines).hasSize(1);
    assertThat(lines.getFirst()).contains("127.0.0.1:1 ").contains("Connection refused");
    assertThat(mason.stderr()).doesNotContain("pa55word").doesNotContain("\tat ");
    assertThat(mason.stdout()).doesNotContain("ready at");
  }

  @Test
  void aBadSettingEndsTheProcessNamingTheVariable() throws Exception {
    Path home = TestMason.freshHome();
    Running mason = start(home, Map.of("PORT", "eighty"), "--home", home.toString());

    assertThat(mason.process().waitFor(30, TimeUnit.SECONDS)).isTrue();

    assertThat(mason.process().exitValue()).isEqualTo(2);
    assertThat(mason.stderr()).contains("PORT must be a whole number").doesNotContain("\tat ");
  }

  @Test
  void theEffectiveSettingsAreLoggedOnceAtStartWithEverySecretMasked() throws Exception {
    Path home = TestMason.freshHome();
    Map<String, String> secrets = Map.of(
        "ANTHROPIC_API_KEY", "sk-ant-logged-never-1111",
        "ANTHROPIC_AUTH_TOKEN", "auth-logged-never-2222",
        "OPENAI_API_KEY", "sk-openai-logged-never-3333",
        "DATABRICKS_TOKEN", "dapi-logged-never-4444",
        "DATABRICKS_CLIENT_SECRET", "client-secret-logged-never-5555");
    Running mason = start(home, secrets, "--port", "0", "--home", home.toString());
    try {
      mason.awaitReady();
      String log = mason.stderr();
      assertThat(log.lines().filter(line -> line.contains("Effective settings: ")).count()).as(log).isEqualTo(1);
      assertThat(log).contains("Effective settings: Settings[server=Server[");
      secrets.values().forEach(secret -> assertThat(log).as("the log never holds a secret").doesNotContain(secret));
    } finally {
      mason.process().destroy();
      mason.process().waitFor(STOP_LIMIT.toMillis(), TimeUnit.MILLISECONDS);
    }
  }

  /** The ready line's URL on the loopback address the test can reach. */
  private static String localUrl(String readyUrl) {
    return "http://127.0.0.1:" + readyUrl.substring(readyUrl.lastIndexOf(':') + 1);
  }

  /** PostgreSQL servers whose command line names {@code dataDir}. */
  private static List<ProcessHandle> postgresServing(Path dataDir) {
    String dir = dataDir.toAbsolutePath().toString();
    return ProcessHandle.allProcesses()
        .filter(p -> p.info().commandLine().map(c -> c.contains("postgres") && c.contains(dir)).orElse(false))
        .toList();
  }

  private Running start(Path home, Map<String, String> env, String... args) throws IOException {
    List<String> command = new ArrayList<>(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-cp", System.getProperty("java.class.path"),
        "dev.mason.Mason"));
    command.addAll(List.of(args));
    ProcessBuilder builder = new ProcessBuilder(command);
    // Only what the test sets: the machine's own Mason, Databricks or PostgreSQL settings must not leak in.
    builder.environment().keySet().removeIf(name -> name.startsWith("MASON_") || name.startsWith("DATABRICKS_")
        || name.startsWith("LAKEBASE_") || name.startsWith("PG") || name.equals("PORT"));
    builder.environment().putAll(env);
    Path stderr = Files.createTempFile(home, "stderr-", ".log");
    builder.redirectError(stderr.toFile());
    Process process = builder.start();
    started.add(process);
    homes.add(home);
    return new Running(process, stderr);
  }

  /** A started Mason; stdout is read line by line on a virtual thread. */
  private static final class Running {
    private final Process process;
    private final Path stderr;
    private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
    private final StringBuffer stdout = new StringBuffer();

    Running(Process process, Path stderr) {
      this.process = process;
      this.stderr = stderr;
      Thread.ofVirtual().name("mason-stdout-" + process.pid()).start(() -> {
        try (var reader = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
          String line;
          while ((line = reader.readLine()) != null) {
            stdout.append(line).append('\n');
            lines.add(line);
          }
        } catch (IOException e) {
          // the process ended
        }
      });
    }

    Process process() {
      return process;
    }

    /** The URL of the ready line, once it is printed. */
    String awaitReady() throws InterruptedException {
      long deadline = System.nanoTime() + READY_LIMIT.toNanos();
      while (System.nanoTime() < deadline) {
        String line = lines.poll(200, TimeUnit.MILLISECONDS);
        if (line != null) {
          Matcher ready = READY.matcher(line);
          if (ready.find()) {
            return ready.group(1);
          }
        }
        if (!process.isAlive() && lines.isEmpty()) {
          throw new AssertionError("Mason exited with " + process.exitValue() + " before it was ready; stderr:\n" + stderr());
        }
      }
      throw new AssertionError("no ready line within " + READY_LIMIT.toSeconds() + " s; stderr:\n" + stderr());
    }

    String stdout() {
      return stdout.toString();
    }

    String stderr() {
      try {
        return Files.readString(stderr);
      } catch (IOException e) {
        return "(stderr unreadable: " + e + ")";
      }
    }
  }
}
