package dev.mason.agent.tool;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mason.env.ShellEnvironment;
import dev.mason.testing.Eventually;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BashToolTest {
  @TempDir
  Path folder;
  ToolFixture fixture;
  /** A marker only this test's processes carry, so other tests' sleeps are never mistaken for ours. */
  String seconds;

  @BeforeEach
  void setUp() {
    fixture = new ToolFixture(folder);
    seconds = Long.toString(1000 + ProcessHandle.current().pid() % 1000 + System.nanoTime() % 997);
  }

  @AfterEach
  void killLeftovers() {
    sleeps().forEach(ProcessHandle::destroyForcibly);
  }

  @Test
  void outputAndAZeroExitCodeAreReturned() throws Exception {
    ToolResult result = fixture.call("Bash", "command", "echo hello", "description", "Say hello");

    assertThat(result.isError()).isFalse();
    assertThat(result.content()).isEqualTo("hello\n\nExit code: 0");
  }

  @Test
  void aFailingCommandIsAnErrorWithItsExitCodeAndItsStderr() throws Exception {
    ToolResult result = fixture.call("Bash", "command", "echo oops >&2; exit 3");

    assertThat(result.isError()).isTrue();
    assertThat(result.content()).isEqualTo("oops\n\nExit code: 3");
  }

  @Test
  void stdoutAndStderrAreInterleavedInTheOrderWritten() throws Exception {
    ToolResult result = fixture.call("Bash", "command", "echo one; echo two >&2; echo three");

    assertThat(result.content()).startsWith("one\ntwo\nthree\n");
  }

  @Test
  void theCommandRunsInTheProjectFolder() throws Exception {
    Files.writeString(folder.resolve("marker.txt"), "here");

    ToolResult result = fixture.call("Bash", "command", "pwd; cat marker.txt");

    assertThat(result.content()).startsWith(folder.toRealPath() + "\nhere");
  }

  @Test
  void aCommandWithoutOutputSaysSo() throws Exception {
    ToolResult result = fixture.call("Bash", "command", "true");

    assertThat(result.content()).isEqualTo("(no output)\n\nExit code: 0");
  }

  @Test
  void theCommandReadsNoInput() throws Exception {
    ToolResult result = fixture.call("Bash", "command", "cat; echo done", "timeout", 10_000);

    assertThat(result.content()).isEqualTo("done\n\nExit code: 0");
  }

  @Test
  void longOutputKeepsItsHeadAndTailAndSaysWhatWasCut() throws Exception {
    ToolResult result = fixture.call("Bash", "command", "seq 1 100000");

    String content = result.content();
    assertThat(content).startsWith("1\n2\n3\n").contains("\n99999\n100000\n\nExit code: 0")
        .contains("characters of output cut here").doesNotContain("\n50000\n");
    assertThat(content.length()).isLessThan(BashTool.HEAD_CHARS + BashTool.TAIL_CHARS + 500);
  }

  @Test
  void secretsOfMasonAreNotInTheCommandsEnvironment() throws Exception {
    Map<String, String> server = new HashMap<>();
    server.put("PATH", System.getenv("PATH"));
    server.put("HOME", "/home/mason");
    server.put("KEEP_ME", "visible");
    server.put("DATABRICKS_HOST", "https://example.cloud.databricks.com");
    for (String secret : List.of("DATABRICKS_TOKEN", "DATABRICKS_CLIENT_SECRET", "ANTHROPIC_API_KEY", "OPENAI_API_KEY",
        "ANTHROPIC_AUTH_TOKEN", "GITHUB_TOKEN", "MY_SERVICE_SECRET", "DB_PASSWORD", "MASON_DATABASE_URL",
        "LAKEBASE_PG_URL", "PGPASSWORD", "PGHOST", "AWS_SECRET_ACCESS_KEY")) {
      server.put(secret, "fake-secret-of-" + secret.toLowerCase());
    }
    Tool bash = new BashTool(() -> server, new BashShell.Host());

    ToolResult result = fixture.call(bash, "command", "env");

    assertThat(result.content()).contains("KEEP_ME=visible").contains("HOME=/home/mason")
        .contains("PATH=" + System.getenv("PATH")).contains("DATABRICKS_HOST=https://example.cloud.databricks.com")
        .doesNotContain("fake-secret-of");
  }

  @Test
  void aMissingPathHomeAndLangAreFilledIn() throws Exception {
    Tool bash = new BashTool(Map::of, new BashShell.Host());

    ToolResult result = fixture.call(bash, "command", "echo \"$PATH|$HOME|$LANG\"; ls / > /dev/null && echo ls-found");

    assertThat(result.content()).startsWith(ShellEnvironment.DEFAULT_PATH + "|" + System.getProperty("user.home") + "|C.UTF-8\nls-found");
  }

  @Test
  void aTimeoutKillsTheWholeProcessTree() throws Exception {
    CompletableFuture<ToolResult> call = CompletableFuture.supplyAsync(() -> callQuietly(
        "command", "sleep " + seconds + " & sleep " + seconds, "timeout", 3_000));
    Eventually.await(Duration.ofSeconds(10), "both sleeps to start", () -> sleeps().size() == 2);
    List<ProcessHandle> started = sleeps();

    ToolResult result = call.get(20, TimeUnit.SECONDS);

    assertThat(result.isError()).isTrue();
    assertThat(result.content()).contains("timed out after 3000 ms").contains("every process it started");
    Eventually.await(Duration.ofSeconds(5), "every sleep to be dead", () -> started.stream().noneMatch(ProcessHandle::isAlive));
  }

  @Test
  void cancellingTheRunKillsALongCommandPromptly() throws Exception {
    CompletableFuture<ToolResult> call = CompletableFuture.supplyAsync(() -> callQuietly(
        "command", "echo started; sleep " + seconds + " & sleep " + seconds, "timeout", 600_000));
    Eventually.await(Duration.ofSeconds(10), "both sleeps to start", () -> sleeps().size() == 2);
    List<ProcessHandle> started = sleeps();

    fixture.cancellation.cancel();
    ToolResult result = call.get(10, TimeUnit.SECONDS);

    assertThat(result.isError()).isTrue();
    assertThat(result.content()).startsWith("started\n").contains("cancelled");
    Eventually.await(Duration.ofSeconds(5), "every sleep to be dead", () -> started.stream().noneMatch(ProcessHandle::isAlive));
  }

  @Test
  void aCommandIsNotStartedWhenTheRunIsAlreadyCancelled() throws Exception {
    fixture.cancellation.cancel();

    ToolResult result = fixture.call("Bash", "command", "touch ran.txt");

    assertThat(result.isError()).isTrue();
    assertThat(result.content()).contains("not started");
    assertThat(folder.resolve("ran.txt")).doesNotExist();
  }

  @Test
  void backgroundJobsDoNotOutliveTheCommand() throws Exception {
    ToolResult result = fixture.call("Bash", "command", "sleep " + seconds + " & echo $!", "timeout", 30_000);

    assertThat(result.content()).endsWith("Exit code: 0");
    long pid = Long.parseLong(result.content().lines().findFirst().orElseThrow().strip());
    Eventually.await(Duration.ofSeconds(5), "the background sleep to be dead",
        () -> ProcessHandle.of(pid).map(handle -> !handle.isAlive()).orElse(true));
  }

  @Test
  void aTimeoutAboveTenMinutesIsRefused() throws Exception {
    ToolResult result = fixture.call("Bash", "command", "true", "timeout", 900_000);

    assertThat(result.isError()).isTrue();
    assertThat(result.content()).isEqualTo("timeout must be between 1 and 600000, not 900000");
  }

  /** This test's sleeps among the JVM's descendants. */
  private List<ProcessHandle> sleeps() {
    return ProcessHandle.current().descendants()
        .filter(handle -> handle.info().command().map(command -> command.endsWith("/sleep")).orElse(false))
        .filter(handle -> handle.info().arguments().map(args -> List.of(args).contains(seconds)).orElse(false))
        .toList();
  }

  private ToolResult callQuietly(Object... fields) {
    try {
      return fixture.call("Bash", fields);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
