package dev.mason.bench;

import dev.mason.databricks.FakeWorkspace;
import dev.mason.testing.Api;
import dev.mason.testing.TestMason;
import dev.mason.tracing.FakeMlflow;
import dev.mason.web.Json;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Measures the model gateway's streaming path, part of {@code ./mason bench agent}: a terminal
 * CLI's Anthropic stream through Mason's gateway (session secret, token swap, request fixes,
 * event-by-event relay) against the same stream read straight from the model endpoint. Each delta
 * carries the time its bytes left the endpoint; the gateway's added latency per event is the
 * difference between the two medians. Measured untraced and with tracing on (the gateway reading
 * each event into the call's transcript, and the spans sent to an OTLP receiver).
 */
final class GatewayBenchmark {
  private static final int DELTAS = 200;
  private static final long GAP_NANOS = 2_000_000;
  private static final String BODY = "{\"model\":\"bench\",\"max_tokens\":1000,\"stream\":true,"
      + "\"messages\":[{\"role\":\"user\",\"content\":\"go\"}]}";
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  private GatewayBenchmark() {}

  static void run() throws Exception {
    try (var model = new TimestampingModelServer(DELTAS, GAP_NANOS);
        var workspace = FakeWorkspace.start().addUser("dapi-bench", "bench@example.com");
        var mlflow = FakeMlflow.start()) {
      System.out.println("model gateway streaming (" + DELTAS + " Anthropic deltas per stream, one every " + GAP_NANOS / 1000 + " µs)");
      // Untraced, then with every call traced to an OTLP receiver: the transcript reads each event as it passes.
      for (String tracking : new String[] {null, mlflow.url()}) {
        Map<String, String> env = new java.util.HashMap<>(Map.of("DATABRICKS_HOST", workspace.url(), "DATABRICKS_TOKEN", "dapi-bench",
            "DATABRICKS_GATEWAY_HOST", model.baseUrl(), "APP_OWNER", "bench@example.com", "MASON_LOG_LEVEL", "WARN"));
        if (tracking != null) {
          env.put("MLFLOW_TRACKING_URI", tracking);
        }
        try (var mason = TestMason.start(env)) {
          measureThrough(model, mason, tracking == null ? "untraced" : "traced to MLflow");
        }
      }
    }
  }

  private static void measureThrough(TimestampingModelServer model, TestMason mason, String label) throws Exception {
    String secret = sessionSecret(mason);
    String direct = model.baseUrl() + "/anthropic/v1/messages";
    String gateway = mason.baseUrl() + "/gateway/anthropic/v1/messages";
    measure(direct, secret, 2, true);
    measure(gateway, secret, 2, true);
    for (int concurrency : new int[] {1, 10}) {
      List<Long> straight = measure(direct, secret, concurrency, false);
      List<Long> through = measure(gateway, secret, concurrency, false);
      System.out.printf("  %-16s %2d concurrent: endpoint to reader p50 %.3f ms direct, %.3f ms through the gateway (p99 %.3f ms)"
              + " | added per event p50 %.3f ms%n",
          label, concurrency, ms(percentile(straight, 0.5)), ms(percentile(through, 0.5)), ms(percentile(through, 0.99)),
          ms(percentile(through, 0.5) - percentile(straight, 0.5)));
    }
  }

  /** Every delta's latency from the endpoint's write to this reader, over {@code concurrency} parallel streams. */
  private static List<Long> measure(String url, String secret, int concurrency, boolean warmup) throws Exception {
    List<Long> all = new ArrayList<>();
    try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
      List<Future<List<Long>>> streams = new ArrayList<>();
      for (int i = 0; i < (warmup ? 20 : concurrency); i++) {
        streams.add(pool.submit(() -> oneStream(url, secret)));
      }
      for (Future<List<Long>> stream : streams) {
        all.addAll(stream.get());
      }
    }
    Collections.sort(all);
    return all;
  }

  private static List<Long> oneStream(String url, String secret) throws Exception {
    HttpRequest request = HttpRequest.newBuilder(URI.create(url)).header("x-api-key", secret).header("content-type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(BODY)).build();
    HttpResponse<InputStream> response = HTTP.send(request, HttpResponse.BodyHandlers.ofInputStream());
    List<Long> latencies = new ArrayList<>();
    try (var reader = new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = reader.readLine()) != null) {
        long now = System.nanoTime();
        if (line.startsWith("data: ") && line.contains("text_delta")) {
          String text = Json.MAPPER.readTree(line.substring(6)).path("delta").path("text").asText();
          latencies.add(now - Long.parseLong(text.substring(1, text.length() - 1)));
        }
      }
    }
    return latencies;
  }

  /** Opens a terminal and reads its session secret from the shell, as a CLI started there would have it. */
  private static String sessionSecret(TestMason mason) throws Exception {
    Api owner = mason.as("bench@example.com");
    String id = owner.post("/api/session", "{}").json().get("session_id").asText();
    owner.post("/api/input", Json.write(Map.of("session_id", id, "input", "echo SECRET=$MASON_SESSION_SECRET\n")));
    Pattern secret = Pattern.compile("SECRET=(mason-session-[A-Za-z0-9_-]{43})");
    StringBuilder output = new StringBuilder();
    Instant deadline = Instant.now().plus(Duration.ofSeconds(20));
    long offset = 0;
    while (Instant.now().isBefore(deadline)) {
      var answer = owner.post("/api/output", Json.write(Map.of("session_id", id, "offset", offset))).json();
      output.append(answer.get("output").asText());
      offset = answer.get("next_offset").asLong();
      Matcher matcher = secret.matcher(output);
      if (matcher.find()) {
        return matcher.group(1);
      }
      Thread.sleep(50);
    }
    throw new IllegalStateException("no session secret in the shell's output: " + output);
  }

  private static long percentile(List<Long> sorted, double p) {
    return sorted.isEmpty() ? 0 : sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(p * sorted.size()) - 1));
  }

  private static double ms(long nanos) {
    return nanos / 1e6;
  }
}
