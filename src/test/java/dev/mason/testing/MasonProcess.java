package dev.mason.testing;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Mason as a real child process on {@code home}, for what only a separate process can show: a
 * kill -9, a signal. Its output is read to the end on a virtual thread, so it never blocks on a
 * full pipe; the last lines are kept for failure messages.
 */
public final class MasonProcess implements AutoCloseable {
  private static final Pattern READY = Pattern.compile("is ready at http://[^:]+:(\\d+)");
  private static final Duration READY_LIMIT = Duration.ofSeconds(90);

  private final Process process;
  private final String url;
  private final List<String> output;

  private MasonProcess(Process process, String url, List<String> output) {
    this.process = process;
    this.url = url;
    this.output = output;
  }

  /** Starts Mason with only {@code env} of Mason's own settings, trusting forwarded headers, and waits for its ready line. */
  public static MasonProcess start(Path home, Map<String, String> env) throws IOException {
    ProcessBuilder builder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-cp", System.getProperty("java.class.path"), "dev.mason.Mason", "--port", "0", "--home", home.toString())
        .redirectErrorStream(true);
    builder.environment().keySet().removeIf(name -> name.startsWith("MASON_") || name.startsWith("DATABRICKS_")
        || name.startsWith("ANTHROPIC_") || name.startsWith("OPENAI_") || name.startsWith("LAKEBASE_")
        || name.startsWith("PG") || name.equals("PORT"));
    builder.environment().put("MASON_TRUST_FORWARDED_HEADERS", "true");
    // As in TestMason: no test reaches npm unless it asks to.
    builder.environment().put("MASON_CLIS_INSTALL", "false");
    builder.environment().putAll(env);
    Process process = builder.start();
    List<String> output = java.util.Collections.synchronizedList(new ArrayList<>());
    CompletableFuture<String> port = new CompletableFuture<>();
    Thread.ofVirtual().name("mason-output-" + process.pid()).start(() -> {
      try (var reader = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
        String line;
        while ((line = reader.readLine()) != null) {
          output.add(line);
          if (output.size() > 200) {
            output.removeFirst();
          }
          Matcher ready = READY.matcher(line);
          if (ready.find()) {
            port.complete(ready.group(1));
          }
        }
      } catch (IOException e) {
        // the process ended
      }
      port.completeExceptionally(new AssertionError("Mason exited before it was ready:\n" + String.join("\n", output)));
    });
    try {
      return new MasonProcess(process, "http://127.0.0.1:" + port.get(READY_LIMIT.toSeconds(), TimeUnit.SECONDS), output);
    } catch (ExecutionException e) {
      process.destroyForcibly();
      throw (AssertionError) e.getCause();
    } catch (TimeoutException | InterruptedException e) {
      process.destroyForcibly();
      throw new AssertionError("no ready line within " + READY_LIMIT.toSeconds() + " s:\n" + String.join("\n", output), e);
    }
  }

  public String url() {
    return url;
  }

  public Api as(String user) {
    return new Api(url, Map.of("X-Forwarded-Email", user));
  }

  public Process process() {
    return process;
  }

  /** The last lines Mason printed. */
  public String output() {
    synchronized (output) {
      return String.join("\n", output);
    }
  }

  /** kill -9, and waits for the process to be gone. */
  public void kill() {
    process.destroyForcibly();
    try {
      if (!process.waitFor(20, TimeUnit.SECONDS)) {
        throw new AssertionError("Mason " + process.pid() + " survived kill -9 for 20 s");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public void close() {
    kill();
  }
}
