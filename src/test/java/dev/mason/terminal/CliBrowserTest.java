package dev.mason.terminal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mason.databricks.FakeWorkspace;
import dev.mason.testing.CachedClis;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The terminal page's "New tab" launcher in headless Chromium against a real Mason with the real
 * CLIs: runs {@code web/e2e/clis.e2e.mjs}, which launches a Claude Code tab and waits for Claude
 * Code's first screen. Skipped, saying why, like {@link TerminalPageBrowserTest}.
 */
class CliBrowserTest {
  private static final Path WEB = Path.of("web").toAbsolutePath();
  private static final Path SCREENSHOTS = Path.of("target", "screenshots").toAbsolutePath();
  private static final Duration LIMIT = Duration.ofMinutes(3);
  private static final String TOKEN = "dapi-owner-launcher";

  private static String chromium;
  private static FakeWorkspace workspace;
  private static TerminalMason mason;

  @BeforeAll
  static void start() {
    Optional<String> browser = TerminalPageBrowserTest.findChromium();
    TerminalPageBrowserTest.skipUnless(browser.isPresent(), "no Chromium at /usr/bin/chromium (or CHROMIUM)");
    TerminalPageBrowserTest.skipUnless(!Boolean.getBoolean("mason.skip.web"), "the build skipped the browser app (-Dskip.web=true)");
    chromium = browser.get();
    workspace = FakeWorkspace.start().addUser(TOKEN, TerminalMason.OWNER);
    mason = TerminalMason.start(Map.of("DATABRICKS_HOST", workspace.url(), "DATABRICKS_TOKEN", TOKEN,
        "MASON_CLIS_DIR", CachedClis.folder().toString()));
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
  void theLauncherOpensAClaudeCodeTabThatShowsItsFirstScreen() throws IOException {
    Files.createDirectories(SCREENSHOTS);
    ProcessBuilder builder = new ProcessBuilder("node", WEB.resolve("e2e/clis.e2e.mjs").toString()).directory(WEB.toFile())
        .redirectErrorStream(true);
    builder.environment().put("MASON_URL", mason.baseUrl());
    builder.environment().put("MASON_USER", TerminalMason.OWNER);
    builder.environment().put("CHROMIUM", chromium);
    builder.environment().put("SCREENSHOTS", SCREENSHOTS.toString());
    var run = TerminalPageBrowserTest.Run.of(builder, LIMIT);
    System.out.println(run.output());
    assertThat(run.timedOut()).as("the scenario finished within %s; its output:%n%s", LIMIT, run.output()).isFalse();
    assertThat(run.exitCode()).as("the scenario's exit code; its output:%n%s", run.output()).isZero();
    assertThat(SCREENSHOTS.resolve("terminal-claude.png")).isRegularFile();
  }
}
