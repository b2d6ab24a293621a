package dev.mason.databricks;

import dev.mason.common.Sha256;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * Values kept for a while by key: workspace clients per credential (keyed by a hash of the token,
 * never the token), and the cluster and warehouse lists per user.
 *
 * <p>Thread-safe: a concurrent map. Two threads missing the same key at once may both compute the
 * value; one wins, the other is dropped, which is harmless for what is kept here. A failure is not
 * kept: the next call tries again.
 */
final class ExpiringCache<V> {
  private static final int MAX_ENTRIES = 1_000;

  private record Entry<V>(V value, Instant expires) {}

  private final Map<String, Entry<V>> entries = new ConcurrentHashMap<>();
  private final Duration ttl;
  private final Clock clock;

  ExpiringCache(Duration ttl, Clock clock) {
    this.ttl = ttl;
    this.clock = clock;
  }

  V get(String key, Supplier<V> compute) {
    Instant now = clock.instant();
    Entry<V> entry = entries.get(key);
    if (entry != null && entry.expires().isAfter(now)) {
      return entry.value();
    }
    if (entries.size() >= MAX_ENTRIES) {
      entries.values().removeIf(e -> !e.expires().isAfter(now));
    }
    V value = compute.get();
    entries.put(key, new Entry<>(value, now.plus(ttl)));
    return value;
  }

  /** A key for a secret: its SHA-256, so the secret itself is never held as a key. */
  static String hashed(String secret) {
    return Sha256.hex(secret);
  }
}
