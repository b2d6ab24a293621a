package dev.mason.gateway;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What the gateway has forwarded, summed per user, CLI and model since Mason started: the input
 * for tracing, and {@code GET /api/gateway/usage} meanwhile. In memory; one entry per key.
 *
 * <p>Thread-safe: entries are in a concurrent map and each is updated under its own monitor (no
 * blocking work is done while it is held).
 */
final class UsageLedger {
  /** One forwarded request. {@code firstByteMillis} is -1 when no byte came back. */
  record Request(String user, String cli, String api, String model, int status, long inputTokens, long outputTokens,
      long firstByteMillis, long totalMillis) {}

  private record Key(String user, String cli, String model) {}

  /** Totals for one user, CLI and model, as the usage API shows them. */
  record Line(String user, String cli, String api, String model, long requests, long errors, long inputTokens, long outputTokens,
      long meanFirstByteMillis, long meanTotalMillis, Instant lastAt) {}

  private static final class Totals {
    String api;
    long requests;
    long errors;
    long inputTokens;
    long outputTokens;
    long firstByteMillis;
    long firstBytes;
    long totalMillis;
    Instant lastAt;
  }

  private final Instant since = Instant.now();
  private final Map<Key, Totals> totals = new ConcurrentHashMap<>();

  void record(Request request) {
    Totals t = totals.computeIfAbsent(new Key(request.user(), request.cli(), request.model()), key -> new Totals());
    synchronized (t) {
      t.api = request.api();
      t.requests++;
      if (request.status() / 100 != 2) {
        t.errors++;
      }
      t.inputTokens += request.inputTokens();
      t.outputTokens += request.outputTokens();
      if (request.firstByteMillis() >= 0) {
        t.firstByteMillis += request.firstByteMillis();
        t.firstBytes++;
      }
      t.totalMillis += request.totalMillis();
      t.lastAt = Instant.now();
    }
  }

  Instant since() {
    return since;
  }

  /** Every line, busiest first. */
  List<Line> lines() {
    List<Line> lines = new ArrayList<>();
    totals.forEach((key, t) -> {
      synchronized (t) {
        lines.add(new Line(key.user(), key.cli(), t.api, key.model(), t.requests, t.errors, t.inputTokens, t.outputTokens,
            t.firstBytes == 0 ? -1 : t.firstByteMillis / t.firstBytes, t.totalMillis / Math.max(1, t.requests), t.lastAt));
      }
    });
    lines.sort(Comparator.comparingLong(Line::requests).reversed());
    return lines;
  }
}
