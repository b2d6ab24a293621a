package dev.mason.terminal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mason.databricks.FakeWorkspace;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The terminal page in headless Chromium against a real Mason: runs the browser scenarios
 * {@code web/e2e/terminal.e2e.mjs} and {@code web/e2e/terminal-keys.e2e.mjs} (Node driving the
 * system's Chromium through playwright-core) and asserts each exits 0. The first types a command,
 * reloads, splits and drags the divider, blocks the WebSocket and lets it back, uploads, exits,
 * reattaches, and visits as someone who is not the owner; before all that, it pastes a workspace
 * token in the page's credential panel (an invalid one first) for the fake workspace this Mason is
 * wired to. The second drives the page from the keyboard shortcuts and their Ctrl+/ sheet, checks
 * that a theme colours the whole page, that no row or column is cut off at any height, and that the
 * Appearance strip covers nothing and closes on Esc and a tap outside.
 *
 * <p>Both share one Mason; the credential scenario needs it before any token is pasted, so it
 * runs first. Their steps are printed, and shown in full when one fails. Skipped, saying why, where
 * there is no Chromium or the build skipped the browser app; screenshots land in
 * {@code target/screenshots/} (terminal.png, terminal-keys.png, phone-terminal.png).
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class TerminalPageBrowserTest {
  private static final Path WEB = Path.of("web").toAbsolutePath();
  private static final Path SCREENSHOTS = Path.of("target", "screenshots").toAbsolutePath();
  private static final Duration LIMIT = Duration.ofMinutes(3);
  private static final String STRANGER = "eve@example.com";

  private static final String WORKSPACE_TOKEN = "dapi-owner-browser";

  private static String chromium;
  private static FakeWorkspace workspace;
  private static TerminalMason mason;

  @BeforeAll
  static void start() {
    Optional<String> browser = findChromium();
    skipUnless(browser.isPresent(), "no Chromium at /usr/bin/chromium (or CHROMIUM); install Debian's chromium to run it");
    skipUnless(!Boolean.getBoolean("mason.skip.web"), "the build skipped the browser app (-Dskip.web=true)");
    assertThat(WEB.resolve("node_modules/playwright-core"))
        .as("web/node_modules holds playwright-core (the Maven build runs npm ci in web/)")
        .isDirectory();
    chromium = browser.get();
    workspace = FakeWorkspace.start().addUser(WORKSPACE_TOKEN, TerminalMason.OWNER);
    mason = TerminalMason.start(Map.of("DATABRICKS_HOST", workspace.url()));
  }

  @AfterAll
  static void stop() {
    if (mason != null) {
      mason.close();
    }
    if (workspace != null) {
      workspace.close();
    }
  }

  @Test
  @Order(1)
  void theTerminalPageRunsACommandShowsItsScrollbackOnceAfterAReloadAndSplits() throws IOException {
    Run run = scenario("terminal.e2e.mjs");

    assertPassed(run);
    assertThat(SCREENSHOTS.resolve("terminal.png")).isRegularFile();
  }

  /** web/e2e/terminal-keys.e2e.mjs: the keyboard shortcuts and their sheet, a whole-page theme, no cut-off row, the Appearance strip. */
  @Test
  @Order(2)
  void theTerminalPageIsDrivenFromTheKeyboardThemedWholeAndCutsNoRowOff() throws IOException {
    Run run = scenario("terminal-keys.e2e.mjs");

    assertPassed(run);
    assertThat(SCREENSHOTS.resolve("terminal-keys.png")).isRegularFile();
    assertThat(SCREENSHOTS.resolve("phone-terminal.png")).isRegularFile();
  }

  private static Run scenario(String script) throws IOException {
    Files.createDirectories(SCREENSHOTS);
    ProcessBuilder builder = new ProcessBuilder("node", WEB.resolve("e2e").resolve(script).toString())
        .directory(WEB.toFile())
        .redirectErrorStream(true);
    builder.environment().put("MASON_URL", mason.baseUrl());
    builder.environment().put("MASON_USER", TerminalMason.OWNER);
    builder.environment().put("OTHER_USER", STRANGER);
    builder.environment().put("CHROMIUM", chromium);
    builder.environment().put("WORKSPACE_TOKEN", WORKSPACE_TOKEN);
    builder.environment().put("SCREENSHOTS", SCREENSHOTS.toString());
    Run run = Run.of(builder, LIMIT);
    System.out.println(run.output());
    return run;
  }

  private static void assertPassed(Run run) {
    assertThat(run.timedOut()).as("the scenario finished within %s; its output:%n%s", LIMIT, run.output()).isFalse();
    assertThat(run.exitCode()).as("the scenario's exit code; its output:%n%s", run.output()).isZero();
  }

  static Optional<String> findChromium() {
    String chosen = System.getenv("CHROMIUM");
    String path = chosen != null && !chosen.isBlank() ? chosen : "/usr/bin/chromium";
    return Files.isExecutable(Path.of(path)) ? Optional.of(path) : Optional.empty();
  }

  static void skipUnless(boolean condition, String reason) {
    if (!condition) {
      System.out.println("TerminalPageBrowserTest skipped: " + reason);
    }
    Assumptions.assumeTrue(condition, reason);
  }

  /** A finished (or killed) subprocess: its exit code and everything it printed. */
  record Run(int exitCode, boolean timedOut, String output) {

    /** Runs {@code builder} for at most {@code limit}; past it, kills the process and its children (Chromium). */
    static Run of(ProcessBuilder builder, Duration limit) throws IOException {
      Process process = builder.start();
      ByteArrayOutputStream output = new ByteArrayOutputStream();
      Thread reader = Thread.ofVirtual().name("terminal-e2e-output").start(() -> copy(process.getInputStream(), output));
      boolean finished;
      try {
        finished = process.waitFor(limit.toMillis(), TimeUnit.MILLISECONDS);
        if (!finished) {
          process.descendants().forEach(ProcessHandle::destroyForcibly);
          process.destroyForcibly();
          process.waitFor(10, TimeUnit.SECONDS);
        }
        // The pipe closes once Node and what it started are gone; bounded in case a child holds it.
        reader.join(Duration.ofSeconds(10));
      } catch (InterruptedException e) {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while the browser scenario ran", e);
      }
      String text;
      synchronized (output) {
        text = output.toString(StandardCharsets.UTF_8);
      }
      return new Run(finished ? process.exitValue() : -1, !finished, text);
    }

    private static void copy(InputStream in, ByteArrayOutputStream out) {
      byte[] buffer = new byte[8192];
      try (in) {
        for (int n; (n = in.read(buffer)) >= 0; ) {
          synchronized (out) {
            out.write(buffer, 0, n);
          }
        }
      } catch (IOException e) {
        // the process was killed: what was read so far is kept
      }
    }
  }
}
