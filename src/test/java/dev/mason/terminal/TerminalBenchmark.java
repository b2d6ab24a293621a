package dev.mason.terminal;

import com.pty4j.PtyProcess;
import com.pty4j.PtyProcessBuilder;
import com.pty4j.unix.UnixPtyProcess;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Prints the terminal room's numbers in one run: the raw PTY drain rate (the limit), the same output
 * through Mason to a WebSocket client and to an HTTP poller, bytes lost (must be 0), keystroke echo
 * latency with 0, 1 and 20 busy sessions, and server memory per session.
 *
 * <p>Run it with {@code ./mason bench terminal}.
 * Mason runs in this JVM (embedded PostgreSQL, port 0). The WebSocket clients are {@link FrameReader}s
 * on loopback: client and server share the machine's cores, where a browser would bring its own, so
 * the client is the leanest one that speaks the protocol. The raw drain reads the PTY as Mason's pump
 * does, without anything after it. Raw and WebSocket runs alternate, after a warm-up of each, and the
 * medians are compared, so a noisy moment of the machine weighs on both alike.
 */
public final class TerminalBenchmark {
  /** 36 characters and a newline; the PTY turns the newline into CR LF. */
  private static final String LINE = "abcdefghijklmnopqrstuvwxyz0123456789";
  private static final int LINES = 1_400_000;
  private static final long EXPECTED_BYTES = (long) LINES * (LINE.length() + 2);
  private static final String COMMAND = "yes " + LINE + " | head -n " + LINES;
  private static final int ECHO_SAMPLES = 300;
  private static final int ECHO_WARMUP = 30;
  private static final int RUNS = 5;
  private static final String MARKER = "BENCH-42\r\n";
  /** The WebSocket runs' output, in one array for all of them: the client's garbage would be collected in Mason's JVM. */
  private static final byte[] RECEIVED = new byte[(int) EXPECTED_BYTES + 64 * 1024];

  private TerminalBenchmark() {}

  public static void main(String[] args) throws Exception {
    System.out.printf("Terminal benchmark: %s (%.1f MB through the PTY), %d cores%n",
        COMMAND, EXPECTED_BYTES / 1e6, Runtime.getRuntime().availableProcessors());
    System.out.println("(throughputs are medians of " + RUNS + " runs after a warm-up; bytes lost are summed over all runs)");
    try (TerminalMason mason = TerminalMason.start(Map.of("MAX_CONCURRENT_SESSIONS", "40"))) {
      rawDrain();
      throughWebSocket(mason);
      List<Result> raws = new ArrayList<>();
      List<Result> sockets = new ArrayList<>();
      for (int run = 0; run < RUNS; run++) {
        raws.add(rawDrain());
        sockets.add(throughWebSocket(mason));
      }
      Result raw = median(raws);
      Result socket = median(sockets);
      System.out.printf("raw PTY drain (poll and read, 16 KiB):  %7.1f MB/s%n", raw.megabytesPerSecond());
      System.out.printf("through Mason to a WebSocket client:   %7.1f MB/s  (%.0f %% of raw), bytes lost: %d, %.1f KiB per frame%n",
          socket.megabytesPerSecond(), 100 * socket.megabytesPerSecond() / raw.megabytesPerSecond(), lost(sockets),
          socket.bytes() / 1024.0 / socket.frames());
      List<Result> polls = new ArrayList<>();
      for (int run = 0; run < RUNS; run++) {
        polls.add(throughPolling(mason, 0));
      }
      Result poller = median(polls);
      System.out.printf("through Mason to an HTTP poller:       %7.1f MB/s  (%.0f %% of raw), bytes lost: %d (back-to-back polls of up to 1 MiB)%n",
          poller.megabytesPerSecond(), 100 * poller.megabytesPerSecond() / raw.megabytesPerSecond(), lost(polls));
      Result paced = throughPolling(mason, 100);
      System.out.printf("through Mason to a 100 ms poller:      %7.1f MB/s, bytes lost: %d (the shell waits for the poller: flow control)%n",
          paced.megabytesPerSecond(), paced.lost());
      for (int busy : new int[] {0, 1, 20}) {
        Echo echo = echoLatency(mason, busy);
        System.out.printf("keystroke echo over WebSocket, %2d busy sessions: p50 %6.2f ms, p99 %6.2f ms (%d keystrokes; %d collections, %d ms, meanwhile)%n",
            busy, percentile(echo.millis(), 50), percentile(echo.millis(), 99), echo.millis().size(), echo.collections(), echo.collectionMillis());
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

  private static Result median(List<Result> results) {
    List<Result> sorted = new ArrayList<>(results);
    sorted.sort(Comparator.comparingLong(Result::nanos));
    return sorted.get(sorted.size() / 2);
  }

  private static long lost(List<Result> results) {
    return results.stream().mapToLong(Result::lost).sum();
  }

  /** The PTY read as Mason's pump reads it, with nothing after it: the limit. */
  private static Result rawDrain() throws Exception {
    Map<String, String> env = new HashMap<>(System.getenv());
    env.put("TERM", "xterm-256color");
    long start = System.nanoTime();
    PtyProcess process = new PtyProcessBuilder(new String[] {"/bin/bash", "-c", COMMAND}).setEnvironment(env).start();
    PtyOutput output = new PtyOutput(((UnixPtyProcess) process).getPty().getMasterFD());
    ByteBuffer buffer = ByteBuffer.allocateDirect(TerminalSession.READ_CHUNK_BYTES);
    long total = 0;
    for (int n = output.read(buffer, 250); n >= 0; n = output.read(buffer, 250)) {
      total += n;
    }
    long nanos = System.nanoTime() - start;
    process.waitFor();
    process.getInputStream().close();
    if (total != EXPECTED_BYTES) {
      throw new IllegalStateException("the raw PTY gave " + total + " bytes, expected " + EXPECTED_BYTES);
    }
    return new Result(total, 0, nanos, 0);
  }

  private static Result throughWebSocket(TerminalMason mason) throws Exception {
    String id = mason.newSession();
    byte[] marker = MARKER.getBytes(StandardCharsets.US_ASCII);
    try (FrameReader socket = FrameReader.connect(mason.socketUrl(), TerminalMason.OWNER)) {
      socket.sendText(TerminalMason.Json.object("type", "join", "session_id", id, "offset", mason.status(id).get("output_offset").asLong()));
      byte[] received = RECEIVED;
      int size = 0;
      long frames = 0;
      long start = System.nanoTime();
      socket.sendText(TerminalMason.Json.object("type", "input", "data", COMMAND + "; echo BENCH-$((40+2))\r"));
      boolean done = false;
      while (!done) {
        FrameReader.Frame frame = socket.next();
        if (frame.opcode() != FrameReader.BINARY) {
          continue;
        }
        frames++;
        System.arraycopy(frame.payload(), 0, received, size, frame.payload().length);
        // Only the new bytes, and the marker's length before them, can complete the marker.
        int from = Math.max(0, size - marker.length);
        size += frame.payload().length;
        for (int i = from; i + marker.length <= size && !done; i++) {
          done = Arrays.equals(received, i, i + marker.length, marker, 0, marker.length);
        }
      }
      long nanos = System.nanoTime() - start;
      return new Result(EXPECTED_BYTES, lost(new String(received, 0, size, StandardCharsets.ISO_8859_1)), nanos, frames);
    } finally {
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
      poller.until(MARKER, Duration.ofMinutes(5), cadenceMillis > 0 ? cadenceMillis : 1, cadenceMillis > 0);
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

  /** Echo times, and the JVM's garbage collections while they were taken: client and server share the JVM. */
  private record Echo(List<Double> millis, long collections, long collectionMillis) {}

  private static long[] collections() {
    long count = 0;
    long millis = 0;
    for (var collector : ManagementFactory.getGarbageCollectorMXBeans()) {
      count += collector.getCollectionCount();
      millis += collector.getCollectionTime();
    }
    return new long[] {count, millis};
  }

  private static Echo echoLatency(TerminalMason mason, int busy) throws Exception {
    List<String> flooding = new ArrayList<>();
    List<FrameReader> drains = new ArrayList<>();
    AtomicLong drained = new AtomicLong();
    String probe = mason.newSession();
    try {
      for (int i = 0; i < busy; i++) {
        String id = mason.newSession();
        flooding.add(id);
        FrameReader drain = FrameReader.connect(mason.socketUrl(), TerminalMason.OWNER);
        drains.add(drain);
        drain.sendText(TerminalMason.Json.object("type", "join", "session_id", id));
        drain.sendText(TerminalMason.Json.object("type", "input", "data", "yes\r"));
        Thread.ofPlatform().daemon().name("bench-drain-" + i).start(() -> {
          try {
            while (true) {
              drained.addAndGet(drain.skip());
            }
          } catch (IOException closed) {
            // the benchmark closed this drain
          }
        });
      }
      if (busy > 0) {
        long mark = drained.get();
        while (drained.get() < mark + 10_000_000) {
          Thread.sleep(10);
        }
      }
      try (FrameReader socket = FrameReader.connect(mason.socketUrl(), TerminalMason.OWNER)) {
        socket.sendText(TerminalMason.Json.object("type", "join", "session_id", probe, "offset", mason.status(probe).get("output_offset").asLong()));
        List<Double> samples = new ArrayList<>();
        long[] before = null;
        for (int i = 0; i < ECHO_WARMUP + ECHO_SAMPLES; i++) {
          if (i == ECHO_WARMUP) {
            before = collections();
          }
          String key = i % 2 == 0 ? "x" : "\u007f";
          long sent = System.nanoTime();
          socket.sendText(TerminalMason.Json.object("type", "input", "data", key));
          while (socket.next().opcode() != FrameReader.BINARY) {
            // control messages (joined) are not the echo
          }
          if (i >= ECHO_WARMUP) {
            samples.add((System.nanoTime() - sent) / 1e6);
          }
          Thread.sleep(5);
        }
        long[] after = collections();
        return new Echo(samples, after[0] - before[0], after[1] - before[1]);
      }
    } finally {
      drains.forEach(FrameReader::close);
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

  private static void close(TerminalMason mason, String id) {
    mason.owner().post("/api/session/close", TerminalMason.Json.object("session_id", id));
  }

  static {
    // Quiet the server's per-session INFO lines while measuring.
    System.setProperty("MASON_LOG_LEVEL", "WARN");
  }
}
