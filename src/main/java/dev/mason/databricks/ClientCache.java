package dev.mason.databricks;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * Workspace clients kept a few minutes per credential, keyed by a SHA-256 of the token so the map
 * never holds a token as a key. Building a client resolves its configuration and opens a
 * connection pool; a conversation makes dozens of calls within minutes, so reuse pays.
 *
 * <p>Thread-safe: a concurrent map. Two threads missing the same key at once may both build a
 * client; one wins, the other is dropped, which is harmless.
 */
final class ClientCache<C> {
  static final Duration TTL = Duration.ofMinutes(5);
  private static final int MAX_ENTRIES = 1_000;

  private record Entry<C>(C client, Instant expires) {}

  private final Map<String, Entry<C>> entries = new ConcurrentHashMap<>();
  private final Clock clock;

  ClientCache(Clock clock) {
    this.clock = clock;
  }

  /** The cached client for {@code token} (null means Mason's own credentials), built if absent or expired. */
  C get(String token, Supplier<C> build) {
    String key = token == null ? "own" : "token:" + sha256(token);
    Instant now = clock.instant();
    Entry<C> entry = entries.get(key);
    if (entry != null && entry.expires().isAfter(now)) {
      return entry.client();
    }
    if (entries.size() >= MAX_ENTRIES) {
      entries.values().removeIf(e -> !e.expires().isAfter(now));
    }
    C client = build.get();
    entries.put(key, new Entry<>(client, now.plus(TTL)));
    return client;
  }

  static String sha256(String text) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
