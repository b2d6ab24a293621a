package dev.mason.web;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Runs one browser scenario of {@code web/e2e/} ({@code node web/e2e/NAME.e2e.mjs}) against a
 * running Mason and reports how it ended. The script drives headless Chromium through
 * playwright-core (see {@code web/e2e/browser.mjs} for the environment it reads); it exits 0 when
 * every check passed.
 *
 * <p>A scenario that outlives its limit is killed with its whole process tree (Node and Chromium),
 * so a stuck page never outlives the test.
 */
final class BrowserScenario {
  private static final List<String> CHROMIUM_PATHS = List.of("/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome");

  /** What a scenario printed, how it ended and how long it took. */
  record Outcome(String name, int exitCode, boolean timedOut, Duration took, String output) {
    boolean passed() {
      return exitCode == 0 && !timedOut;
    }

    /** The scenario's output framed for a failure message or the test log. */
    String report() {
      String how = timedOut ? "was killed after " + took.toSeconds() + " s" : "exited " + exitCode + " after " + took.toMillis() + " ms";
      return "browser scenario " + name + " " + how + "; its output:\n" + output.indent(2);
    }
  }

  private final Path webFolder;
  private final String chromium;
  private final Map<String, String> environment;

  /**
   * @param webFolder the app's folder, holding e2e/ and node_modules/
   * @param environment what the scripts read (MASON_URL, E2E_GATES, SCREENSHOTS, ...)
   */
  BrowserScenario(Path webFolder, String chromium, Map<String, String> environment) {
    this.webFolder = webFolder;
    this.chromium = chromium;
    this.environment = Map.copyOf(environment);
  }

  /** The same scenarios against another Mason. */
  BrowserScenario against(String masonUrl) {
    Map<String, String> changed = new HashMap<>(environment);
    changed.put("MASON_URL", masonUrl);
    return new BrowserScenario(webFolder, chromium, changed);
  }

  /**
   * The Chromium to drive: {@code CHROMIUM} when set (and only that), else the usual Debian and
   * Google paths; empty when there is none.
   */
  static Optional<String> findChromium(Map<String, String> env) {
    String chosen = env.get("CHROMIUM");
    List<String> candidates = chosen != null && !chosen.isBlank() ? List.of(chosen) : CHROMIUM_PATHS;
    return candidates.stream().filter(path -> Files.isExecutable(Path.of(path))).findFirst();
  }

  /** Why scenarios cannot run from {@code webFolder} (no node, or no installed dependencies), or empty. */
  static Optional<String> missingTools(Path webFolder) {
    if (!Files.isDirectory(webFolder.resolve("node_modules/playwright-core"))) {
      return Optional.of("web/node_modules has no playwright-core; the Maven build installs it (npm ci) unless -Dskip.web=true");
    }
    try {
      Process probe = new ProcessBuilder("node", "--version").redirectErrorStream(true).start();
      probe.getInputStream().readAllBytes();
      if (!probe.waitFor(10, TimeUnit.SECONDS) || probe.exitValue() != 0) {
        return Optional.of("`node --version` failed");
      }
    } catch (IOException e) {
      return Optional.of("node is not on the PATH");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Optional.of("interrupted while looking for node");
    }
    return Optional.empty();
  }

  /** Runs {@code e2e/<name>.e2e.mjs} as {@code user}, waiting at most {@code limit}. */
  Outcome run(String name, String user, Duration limit) {
    Path script = webFolder.resolve("e2e").resolve(name + ".e2e.mjs");
    if (!Files.isRegularFile(script)) {
      throw new IllegalArgumentException("no browser scenario " + script);
    }
    ProcessBuilder builder = new ProcessBuilder("node", script.toString())
        .directory(webFolder.toFile())
        .redirectErrorStream(true);
    builder.environment().putAll(environment);
    builder.environment().put("CHROMIUM", chromium);
    builder.environment().put("MASON_USER", user);
    Instant started = Instant.now();
    Process process;
    try {
      process = builder.start();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start node for browser scenario " + name, e);
    }
    var output = new ByteArrayOutputStream();
    Thread reader = Thread.ofVirtual().name("browser-scenario-output-" + name).start(() -> copy(process.getInputStream(), output));
    boolean finished;
    try {
      finished = process.waitFor(limit.toMillis(), TimeUnit.MILLISECONDS);
      if (!finished) {
        killTree(process);
      }
      // The pipe closes when Node and everything it started are gone; bounded in case a child holds it.
      reader.join(Duration.ofSeconds(10));
    } catch (InterruptedException e) {
      killTree(process);
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while browser scenario " + name + " ran", e);
    }
    String text;
    synchronized (output) {
      text = output.toString(StandardCharsets.UTF_8);
    }
    return new Outcome(name, finished ? process.exitValue() : -1, !finished, Duration.between(started, Instant.now()), text);
  }

  private static void copy(InputStream in, ByteArrayOutputStream out) {
    byte[] buffer = new byte[8192];
    try (in) {
      for (int n; (n = in.read(buffer)) >= 0; ) {
        synchronized (out) {
          out.write(buffer, 0, n);
        }
      }
    } catch (IOException ignored) {
      // the process was killed: what was read so far is kept
    }
  }

  private static void killTree(Process process) {
    process.descendants().forEach(ProcessHandle::destroyForcibly);
    process.destroyForcibly();
    try {
      process.waitFor(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
