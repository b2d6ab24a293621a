package dev.mason.terminal;

import com.pty4j.PtyProcess;
import com.pty4j.PtyProcessBuilder;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Prints the terminal room's numbers in one run: the raw PTY drain rate (the limit), the same output
 * through Mason to a WebSocket client and to an HTTP poller, bytes lost (must be 0), keystroke echo
 * latency with 0, 1 and 20 busy sessions, and server memory per session.
 *
 * <p>Run it with {@code ./mason bench terminal}.
 * Mason runs in this JVM (embedded PostgreSQL, port 0); clients are the JDK's WebSocket and HTTP
 * clients on loopback, so client and server share the machine's cores.
 */
public final class TerminalBenchmark {
  /** 36 characters and a newline; the PTY turns the newline into CR LF. */
  private static final String LINE = "abcdefghijklmnopqrstuvwxyz0123456789";
  private static final int LINES = 1_400_000;
  private static final long EXPECTED_BYTES = (long) LINES * (LINE.length() + 2);
  private static final String COMMAND = "yes " + LINE + " | head -n " + LINES;
  private static final int ECHO_SAMPLES = 300;
  private static final int ECHO_WARMUP = 30;
  private static final int RUNS = 3;
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  private TerminalBenchmark() {}

  public static void main(String[] args) throws Exception {
    System.out.printf("Terminal benchmark: %s (%.1f MB through the PTY), %d cores%n",
        COMMAND, EXPECTED_BYTES / 1e6, Runtime.getRuntime().availableProcessors());
    System.out.println("(throughputs are the best of " + RUNS + " runs; bytes lost are summed over all runs)");
    double raw = 0;
    for (int run = 0; run < RUNS; run++) {
      raw = Math.max(raw, rawDrain());
    }
    System.out.printf("raw PTY drain (pty4j, 16 KiB reads):   %7.1f MB/s%n", raw);
    try (TerminalMason mason = TerminalMason.start(Map.of("MAX_CONCURRENT_SESSIONS", "40"))) {
      Result socket = best(() -> throughWebSocket(mason));
      System.out.printf("through Mason to a WebSocket client:   %7.1f MB/s  (%.0f %% of raw), bytes lost: %d, %.1f KiB per frame%n",
          socket.megabytesPerSecond(), 100 * socket.megabytesPerSecond() / raw, socket.lost(), socket.bytes() / 1024.0 / socket.frames());
      Result poller = best(() -> throughPolling(mason, 0));
      System.out.printf("through Mason to an HTTP poller:       %7.1f MB/s  (%.0f %% of raw), bytes lost: %d (back-to-back polls of up to 1 MiB)%n",
          poller.megabytesPerSecond(), 100 * poller.megabytesPerSecond() / raw, poller.lost());
      Result paced = throughPolling(mason, 100);
      System.out.printf("through Mason to a 100 ms poller:      %7.1f MB/s, bytes lost: %d (the shell waits for the poller: flow control)%n",
          paced.megabytesPerSecond(), paced.lost());
      for (int busy : new int[] {0, 1, 20}) {
        List<Double> latencies = echoLatency(mason, busy);
        System.out.printf("keystroke echo over WebSocket, %2d busy sessions: p50 %6.2f ms, p99 %6.2f ms (%d keystrokes)%n",
            busy, percentile(latencies, 50), percentile(latencies, 99), latencies.size());
      }
      memoryPerSession(mason);
    }
    System.exit(0);
  }

  private record Result(long bytes, long lost, long nanos, long frames) {
    double megabytesPerSecond() {
      return bytes / 1e6 / (nanos / 1e9);
    }
  }

  private interface Measurement {
    Result run() throws Exception;
  }

  /** The fastest of {@link #RUNS} runs, with the bytes lost in all of them. */
  private static Result best(Measurement measurement) throws Exception {
    Result best = null;
    long lost = 0;
    for (int run = 0; run < RUNS; run++) {
      Result result = measurement.run();
      lost += result.lost();
      if (best == null || result.nanos() < best.nanos()) {
        best = result;
      }
    }
    return new Result(best.bytes(), lost, best.nanos(), best.frames());
  }

  private static double rawDrain() throws Exception {
    double best = 0;
    for (int run = 0; run < 1; run++) {
      Map<String, String> env = new HashMap<>(System.getenv());
      env.put("TERM", "xterm-256color");
      long start = System.nanoTime();
      PtyProcess process = new PtyProcessBuilder(new String[] {"/bin/bash", "-c", COMMAND}).setEnvironment(env).start();
      InputStream in = process.getInputStream();
      byte[] buffer = new byte[TerminalSession.READ_CHUNK_BYTES];
      long total = 0;
      for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
        total += n;
      }
      long nanos = System.nanoTime() - start;
      process.waitFor();
      if (total != EXPECTED_BYTES) {
        throw new IllegalStateException("the raw PTY gave " + total + " bytes, expected " + EXPECTED_BYTES);
      }
      best = Math.max(best, total / 1e6 / (nanos / 1e9));
    }
    return best;
  }

  private static Result throughWebSocket(TerminalMason mason) throws Exception {
    String id = mason.newSession();
    Collector collector = new Collector("BENCH-42\r\n".getBytes(StandardCharsets.US_ASCII));
    WebSocket socket = connect(mason, collector);
    try {
      socket.sendText(TerminalMason.Json.object("type", "join", "session_id", id), true).join();
      while (collector.size() < mason.status(id).get("output_offset").asLong()) {
        Thread.sleep(20);
      }
      collector.reset();
      long start = System.nanoTime();
      socket.sendText(TerminalMason.Json.object("type", "input", "data", COMMAND + "; echo BENCH-$((40+2))\r"), true).join();
      if (!collector.done.await(5, TimeUnit.MINUTES)) {
        throw new IllegalStateException("the WebSocket never saw the end marker");
      }
      long nanos = System.nanoTime() - start;
      return new Result(EXPECTED_BYTES, lost(collector.text()), nanos, collector.frames());
    } finally {
      socket.abort();
      close(mason, id);
    }
  }

  private static Result throughPolling(TerminalMason mason, long cadenceMillis) throws Exception {
    String id = mason.newSession();
    try {
      long offset = mason.status(id).get("output_offset").asLong();
      Poller poller = new Poller(mason.owner(), id, "bench-" + cadenceMillis, offset, 1024 * 1024);
      poller.poll();
      int lines = cadenceMillis == 0 ? LINES : LINES / 20;
      long start = System.nanoTime();
      mason.input(id, "yes " + LINE + " | head -n " + lines + "; echo BENCH-$((40+2))\r");
      poller.until("BENCH-42\r\n", Duration.ofMinutes(5), cadenceMillis > 0 ? cadenceMillis : 1, cadenceMillis > 0);
      long nanos = System.nanoTime() - start;
      long expected = (long) lines * (LINE.length() + 2);
      return new Result(expected, lost(poller.text(), lines), nanos, 0);
    } finally {
      close(mason, id);
    }
  }

  private static long lost(String text) {
    return lost(text, LINES);
  }

  /** Bytes of the expected lines missing (or extra, or damaged) between the first and the last one. */
  private static long lost(String text, int lines) {
    String line = LINE + "\r\n";
    int first = text.indexOf(line);
    int end = text.lastIndexOf(line) + line.length();
    if (first < 0) {
      return (long) lines * line.length();
    }
    int found = 0;
    int at = first;
    long damaged = 0;
    while (at < end) {
      if (text.startsWith(line, at)) {
        found++;
        at += line.length();
      } else {
        damaged++;
        at++;
      }
    }
    return Math.abs((long) (lines - found) * line.length()) + damaged;
  }

  private static List<Double> echoLatency(TerminalMason mason, int busy) throws Exception {
    List<String> flooding = new ArrayList<>();
    List<WebSocket> drains = new ArrayList<>();
    AtomicLong drained = new AtomicLong();
    String probe = mason.newSession();
    try {
      for (int i = 0; i < busy; i++) {
        String id = mason.newSession();
        flooding.add(id);
        WebSocket drain = connect(mason, new Drain(drained));
        drain.sendText(TerminalMason.Json.object("type", "join", "session_id", id), true).join();
        drain.sendText(TerminalMason.Json.object("type", "input", "data", "yes\r"), true).join();
        drains.add(drain);
      }
      if (busy > 0) {
        long mark = drained.get();
        while (drained.get() < mark + 10_000_000) {
          Thread.sleep(10);
        }
      }
      LinkedBlockingQueue<Long> arrivals = new LinkedBlockingQueue<>();
      WebSocket socket = connect(mason, new Arrivals(arrivals));
      socket.sendText(TerminalMason.Json.object("type", "join", "session_id", probe), true).join();
      Thread.sleep(300);
      List<Double> samples = new ArrayList<>();
      for (int i = 0; i < ECHO_WARMUP + ECHO_SAMPLES; i++) {
        arrivals.clear();
        String key = i % 2 == 0 ? "x" : "\u007f";
        long sent = System.nanoTime();
        socket.sendText(TerminalMason.Json.object("type", "input", "data", key), true).join();
        Long arrived = arrivals.poll(10, TimeUnit.SECONDS);
        if (arrived == null) {
          throw new IllegalStateException("no echo within 10 s with " + busy + " busy sessions");
        }
        if (i >= ECHO_WARMUP) {
          samples.add((arrived - sent) / 1e6);
        }
        Thread.sleep(5);
      }
      socket.abort();
      return samples;
    } finally {
      drains.forEach(WebSocket::abort);
      for (String id : flooding) {
        close(mason, id);
      }
      close(mason, probe);
    }
  }

  private static void memoryPerSession(TerminalMason mason) throws Exception {
    int sessions = 20;
    long heapBefore = usedHeap();
    long rssBefore = rss();
    var threads = ManagementFactory.getThreadMXBean();
    int threadsBefore = threads.getThreadCount();
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < sessions; i++) {
      ids.add(mason.newSession());
    }
    long heapIdle = usedHeap();
    long rssIdle = rss();
    int threadsIdle = threads.getThreadCount();
    for (String id : ids) {
      mason.input(id, "yes " + LINE + " | head -n 40000\r");
    }
    for (String id : ids) {
      while (mason.status(id).get("output_offset").asLong() < 1_500_000) {
        Thread.sleep(20);
      }
    }
    long heapFull = usedHeap();
    for (String id : ids) {
      close(mason, id);
    }
    System.out.printf("server memory per session: %.0f KiB heap idle (%.0f KiB with a full 1 MiB ring), %.0f KiB resident idle, %.1f platform threads%n",
        (heapIdle - heapBefore) / 1024.0 / sessions, (heapFull - heapBefore) / 1024.0 / sessions,
        (rssIdle - rssBefore) / 1024.0 / sessions, (threadsIdle - threadsBefore) / (double) sessions);
  }

  private static long usedHeap() throws InterruptedException {
    for (int i = 0; i < 3; i++) {
      System.gc();
      Thread.sleep(100);
    }
    return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
  }

  /** Resident set size in bytes, from /proc (Linux), else 0. */
  private static long rss() throws Exception {
    Path status = Path.of("/proc/self/status");
    if (!Files.exists(status)) {
      return 0;
    }
    for (String line : Files.readAllLines(status)) {
      if (line.startsWith("VmRSS:")) {
        return Long.parseLong(line.replaceAll("\\D", "")) * 1024;
      }
    }
    return 0;
  }

  private static double percentile(List<Double> values, int percentile) {
    List<Double> sorted = new ArrayList<>(values);
    Collections.sort(sorted);
    return sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(percentile / 100.0 * sorted.size()) - 1));
  }

  private static WebSocket connect(TerminalMason mason, WebSocket.Listener listener) {
    return HTTP.newWebSocketBuilder().header("X-Forwarded-Email", TerminalMason.OWNER)
        .buildAsync(URI.create(mason.socketUrl()), listener).join();
  }

  private static void close(TerminalMason mason, String id) {
    mason.owner().post("/api/session/close", TerminalMason.Json.object("session_id", id));
  }

  /** Reads and forgets output, counting it: a fast browser tab on a busy session. */
  private record Drain(AtomicLong bytes) implements WebSocket.Listener {
    @Override
    public void onOpen(WebSocket webSocket) {
      webSocket.request(1);
    }

    @Override
    public CompletionStage<?> onBinary(WebSocket webSocket, ByteBuffer data, boolean last) {
      bytes.addAndGet(data.remaining());
      webSocket.request(1);
      return null;
    }

    @Override
    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
      webSocket.request(1);
      return null;
    }
  }

  /** Keeps the output, and counts down once {@code marker} has arrived; checks only each frame's new bytes. */
  private static final class Collector implements WebSocket.Listener {
    private final byte[] marker;
    private final java.util.concurrent.CountDownLatch done = new java.util.concurrent.CountDownLatch(1);
    private byte[] bytes = new byte[1 << 20];
    private volatile int size;
    private volatile long frames;

    Collector(byte[] marker) {
      this.marker = marker;
    }

    int size() {
      return size;
    }

    void reset() {
      size = 0;
      frames = 0;
    }

    long frames() {
      return frames;
    }

    String text() {
      return new String(bytes, 0, size, StandardCharsets.ISO_8859_1);
    }

    @Override
    public void onOpen(WebSocket webSocket) {
      webSocket.request(1);
    }

    @Override
    public CompletionStage<?> onBinary(WebSocket webSocket, ByteBuffer data, boolean last) {
      int n = data.remaining();
      if (size + n > bytes.length) {
        bytes = java.util.Arrays.copyOf(bytes, Math.max(bytes.length * 2, size + n));
      }
      data.get(bytes, size, n);
      frames++;
      int from = Math.max(0, size - marker.length);
      size += n;
      for (int i = from; i + marker.length <= size; i++) {
        if (java.util.Arrays.equals(bytes, i, i + marker.length, marker, 0, marker.length)) {
          done.countDown();
          break;
        }
      }
      webSocket.request(1);
      return null;
    }

    @Override
    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
      webSocket.request(1);
      return null;
    }
  }

  /** Notes when each frame of output arrives. */
  private record Arrivals(LinkedBlockingQueue<Long> times) implements WebSocket.Listener {
    @Override
    public void onOpen(WebSocket webSocket) {
      webSocket.request(1);
    }

    @Override
    public CompletionStage<?> onBinary(WebSocket webSocket, ByteBuffer data, boolean last) {
      times.add(System.nanoTime());
      webSocket.request(1);
      return null;
    }

    @Override
    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
      webSocket.request(1);
      return null;
    }
  }

  static {
    // Quiet the server's per-session INFO lines while measuring.
    System.setProperty("MASON_LOG_LEVEL", "WARN");
  }
}
