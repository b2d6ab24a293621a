package dev.mason.bench;

import dev.mason.agent.llm.FakeAnthropicServer;
import dev.mason.testing.Api;
import dev.mason.testing.CachedClis;
import dev.mason.testing.TestMason;
import dev.mason.web.Json;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

/**
 * The claude-code runtime's start-up cost: the real CLI at Mason's pinned version against an
 * in-process Anthropic endpoint that answers at once, so what is measured is Mason and the CLI.
 * For the first message of a conversation (a process starts) and for the messages after it (the
 * process is kept warm), the time from invoke to the first event of the log
 * ({@code conversation.created}, Mason's own) and to the first event from the CLI (its first
 * {@code text_delta}).
 */
final class ClaudeCodeBenchmark {
  private static final int CONVERSATIONS = 5;
  private static final int MESSAGES = 5;
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  private ClaudeCodeBenchmark() {}

  static void run() throws Exception {
    try (var model = new FakeAnthropicServer();
        var mason = TestMason.start(Map.of("ANTHROPIC_BASE_URL", model.baseUrl(), "ANTHROPIC_AUTH_TOKEN", "bench",
            "ANTHROPIC_MODEL", "claude-bench", "ANTHROPIC_MODEL_MINI", "claude-bench-mini", "MASON_BASH", "host",
            "MASON_LOG_LEVEL", "WARN", "MASON_CLIS_DIR", CachedClis.folder().toString()))) {
      model.alwaysAnswer("claude-bench-mini", FakeAnthropicServer.message().text("A title"));
      model.alwaysAnswer("claude-bench", FakeAnthropicServer.message().text("Hello", " from the bench."));
      Api api = mason.as("bench@example.com");
      List<long[]> cold = new ArrayList<>();
      List<long[]> warm = new ArrayList<>();
      for (int c = 0; c < CONVERSATIONS; c++) {
        String project = Json.MAPPER.readTree(api.post("/api/projects", "{\"name\": \"cc bench " + c + "\"}").body()).get("id").asText();
        String conversation = null;
        for (int m = 0; m < MESSAGES; m++) {
          long[] times = new long[2];
          conversation = message(mason, api, project, conversation, times);
          (m == 0 ? cold : warm).add(times);
        }
      }
      System.out.println("claude-code runtime (Claude Code " + dev.mason.clis.CliPins.shipped().version(dev.mason.clis.Cli.CLAUDE) + ", " + CONVERSATIONS + " conversations of "
          + MESSAGES + " messages)");
      print("first message (process starts)", cold);
      print("later messages (warm process) ", warm);
    }
  }

  private static void print(String label, List<long[]> samples) {
    List<Long> log = new ArrayList<>();
    List<Long> cli = new ArrayList<>();
    samples.forEach(s -> {
      log.add(s[0]);
      cli.add(s[1]);
    });
    Collections.sort(log);
    Collections.sort(cli);
    System.out.printf("  %s: invoke to first event p50 %.1f ms, max %.1f ms | to the CLI's first text_delta p50 %.1f ms, max %.1f ms%n",
        label, log.get(log.size() / 2) / 1e6, log.getLast() / 1e6, cli.get(cli.size() / 2) / 1e6, cli.getLast() / 1e6);
  }

  /** One message; fills {@code times} with the nanoseconds to the first event and to the first text_delta. */
  private static String message(TestMason mason, Api api, String project, String conversation, long[] times) throws Exception {
    long invokedAt = System.nanoTime();
    String body = "{\"project_id\": \"" + project + "\", \"message\": \"hi\", \"runtime\": \"claude-code\""
        + (conversation == null ? "" : ", \"conversation_id\": \"" + conversation + "\"") + "}";
    var started = Json.MAPPER.readTree(api.post("/api/invoke_agent", body).body());
    HttpRequest request = HttpRequest.newBuilder(URI.create(mason.baseUrl() + "/api/executions/"
        + started.get("execution_id").asText() + "/events")).header("X-Forwarded-Email", "bench@example.com").build();
    HttpResponse<InputStream> response = HTTP.send(request, HttpResponse.BodyHandlers.ofInputStream());
    times[0] = -1;
    times[1] = -1;
    try (var reader = new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = reader.readLine()) != null) {
        long now = System.nanoTime() - invokedAt;
        if (line.startsWith("id: ") && times[0] < 0) {
          times[0] = now;
        } else if (line.equals("event: text_delta") && times[1] < 0) {
          times[1] = now;
        }
      }
    }
    return started.get("conversation_id").asText();
  }
}
