package dev.mason.bench;

import dev.mason.testing.Api;
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
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Measures the agent engine's streaming path: a real Mason (embedded PostgreSQL), a model
 * endpoint that stamps each delta with the time its bytes left, and SSE readers.
 *
 * <p>Run with {@code ./mason bench agent}. Prints, for 1 and 50 concurrent executions: events per
 * second, the latency Mason adds between the model's bytes and the SSE reader (p50, p99), the
 * time from invoke to the first event (p50, max), errors and lost events. First it prints the size
 * of the system prompt a run gets with every shipped skill enabled, and with none, so the
 * context a large skill catalog costs on every model call is visible. Then the claude-code
 * runtime's time to the first event, cold and on a warm process ({@link ClaudeCodeBenchmark}), and
 * the model gateway's latency per event ({@link GatewayBenchmark}).
 */
public final class AgentBenchmark {
  private static final int DELTAS = 200;
  /** A fast model: 200 deltas a second per run, 10 000 a second across 50 runs. */
  private static final long GAP_NANOS = 5_000_000;
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  private AgentBenchmark() {}

  public static void main(String[] args) throws Exception {
    try (var model = new TimestampingModelServer(DELTAS, GAP_NANOS);
        var mason = TestMason.start(Map.of("ANTHROPIC_BASE_URL", model.baseUrl(), "ANTHROPIC_AUTH_TOKEN", "bench",
            "ANTHROPIC_MODEL", "bench", "ANTHROPIC_MODEL_MINI", "bench-mini", "MASON_LOG_LEVEL", "WARN"))) {
      Api api = mason.as("bench@example.com");
      promptSize(api);
      run(mason, api, 1, true);
      System.out.println("agent streaming benchmark (" + DELTAS + " deltas per run, one every " + GAP_NANOS / 1000 + " µs)");
      for (int concurrency : new int[] {1, 50}) {
        run(mason, api, concurrency, false);
      }
    }
    ClaudeCodeBenchmark.run();
    GatewayBenchmark.run();
  }

  /** The system prompt with the whole catalog enabled, then with no skill enabled. */
  private static void promptSize(Api api) throws Exception {
    String project = Json.MAPPER.readTree(api.post("/api/projects", "{\"name\": \"prompt size\"}").body()).get("id").asText();
    int skills = Json.MAPPER.readTree(api.get("/api/projects/" + project + "/skills/available").body()).get("total_count").asInt();
    String all = systemPrompt(api, project);
    api.put("/api/projects/" + project + "/skills/enabled", "{\"enabled_skills\": []}");
    String none = systemPrompt(api, project);
    System.out.printf("system prompt: %d chars (~%d tokens) with all %d skills enabled, %d chars (~%d tokens) with none; "
        + "the catalog adds %d chars (~%d tokens) to every model call%n",
        all.length(), all.length() / 4, skills, none.length(), none.length() / 4,
        all.length() - none.length(), (all.length() - none.length()) / 4);
  }

  private static String systemPrompt(Api api, String project) throws Exception {
    return Json.MAPPER.readTree(api.get("/api/system_prompt?project_id=" + project).body()).get("system_prompt").asText();
  }

  private record RunResult(List<Long> latencies, long firstEventNanos, int events, int lostEvents, boolean error) {}

  private static void run(TestMason mason, Api api, int concurrency, boolean warmup) throws Exception {
    List<String> projects = new ArrayList<>();
    for (int i = 0; i < concurrency; i++) {
      projects.add(Json.MAPPER.readTree(api.post("/api/projects", "{\"name\": \"bench " + i + "\"}").body()).get("id").asText());
    }
    long start = System.nanoTime();
    List<RunResult> results = new ArrayList<>();
    try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
      List<Future<RunResult>> futures = new ArrayList<>();
      for (String project : projects) {
        futures.add(pool.submit(() -> oneRun(mason, api, project)));
      }
      for (Future<RunResult> f : futures) {
        results.add(f.get());
      }
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    if (warmup) {
      return;
    }
    List<Long> latencies = new ArrayList<>();
    List<Long> firsts = new ArrayList<>();
    int events = 0;
    int lost = 0;
    int errors = 0;
    for (RunResult r : results) {
      latencies.addAll(r.latencies());
      firsts.add(r.firstEventNanos());
      events += r.events();
      lost += r.lostEvents();
      errors += r.error() ? 1 : 0;
    }
    Collections.sort(latencies);
    Collections.sort(firsts);
    System.out.printf("  %2d concurrent: %8.0f events/s | added latency p50 %.3f ms, p99 %.3f ms | invoke to first event p50 %.1f ms, max %.1f ms | errors %d | lost events %d%n",
        concurrency, events / seconds, ms(percentile(latencies, 0.50)), ms(percentile(latencies, 0.99)),
        ms(percentile(firsts, 0.50)), ms(firsts.getLast()), errors, lost);
  }

  private static RunResult oneRun(TestMason mason, Api api, String project) throws Exception {
    long invokedAt = System.nanoTime();
    var started = Json.MAPPER.readTree(api.post("/api/invoke_agent", "{\"project_id\": \"" + project + "\", \"message\": \"go\"}").body());
    String execution = started.get("execution_id").asText();
    HttpRequest request = HttpRequest.newBuilder(URI.create(mason.baseUrl() + "/api/executions/" + execution + "/events"))
        .header("X-Forwarded-Email", "bench@example.com").build();
    HttpResponse<InputStream> response = HTTP.send(request, HttpResponse.BodyHandlers.ofInputStream());
    List<Long> latencies = new ArrayList<>();
    long first = -1;
    int expectedSeq = 1;
    int lost = 0;
    int events = 0;
    int deltas = 0;
    String type = null;
    boolean error = false;
    try (var reader = new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = reader.readLine()) != null) {
        long now = System.nanoTime();
        if (line.startsWith("id: ")) {
          int seq = Integer.parseInt(line.substring(4));
          lost += Math.max(0, seq - expectedSeq);
          expectedSeq = seq + 1;
          events++;
          if (first < 0) {
            first = now - invokedAt;
          }
        } else if (line.startsWith("event: ")) {
          type = line.substring(7);
          error |= type.equals("error");
        } else if (line.startsWith("data: ") && "text_delta".equals(type)) {
          String text = Json.MAPPER.readTree(line.substring(6)).get("text").asText();
          latencies.add(now - Long.parseLong(text.substring(1, text.length() - 1)));
          deltas++;
        }
      }
    }
    lost += Math.max(0, DELTAS - deltas);
    return new RunResult(latencies, first, events, lost, error);
  }

  private static long percentile(List<Long> sorted, double p) {
    return sorted.isEmpty() ? 0 : sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(p * sorted.size()) - 1));
  }

  private static double ms(long nanos) {
    return nanos / 1e6;
  }
}
