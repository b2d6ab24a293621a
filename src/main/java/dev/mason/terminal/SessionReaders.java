package dev.mason.terminal;

import java.util.concurrent.ConcurrentHashMap;

/**
 * The readers of one session's output by id, and the slowest live one's position, which flow
 * control holds the shell to. Thread-safe: a concurrent map; readers are few.
 */
final class SessionReaders {
  private final ConcurrentHashMap<String, ReaderCursor> readers = new ConcurrentHashMap<>();
  private final long leaseNanos;

  SessionReaders(long leaseNanos) {
    this.leaseNanos = leaseNanos;
  }

  ReaderCursor find(String id) {
    return readers.get(id);
  }

  ReaderCursor findOrCreate(String id, long position, long now) {
    return readers.computeIfAbsent(id, key -> new ReaderCursor(key, position, now));
  }

  /** Forgets the reader if {@code holder} still holds it (an explicit leave). */
  void forget(String id, Object holder) {
    readers.computeIfPresent(id, (key, reader) -> reader.heldBy(holder) ? null : reader);
  }

  /** The smallest position among live readers, or {@code end} when none is live: the shell may print freely. */
  long slowestPosition(long end, long now) {
    long slowest = end;
    for (ReaderCursor reader : readers.values()) {
      if (reader.live(now, leaseNanos)) {
        slowest = Math.min(slowest, reader.position());
      }
    }
    return slowest;
  }

  void wakeAll() {
    for (ReaderCursor reader : readers.values()) {
      reader.wake();
    }
  }

  boolean anyAttached() {
    for (ReaderCursor reader : readers.values()) {
      if (reader.attached()) {
        return true;
      }
    }
    return false;
  }

  int live(long now) {
    int n = 0;
    for (ReaderCursor reader : readers.values()) {
      if (reader.live(now, leaseNanos)) {
        n++;
      }
    }
    return n;
  }

  /** Drops readers whose lease ran out, so the map does not grow with every tab ever opened. */
  void expire(long now) {
    readers.values().removeIf(reader -> !reader.live(now, leaseNanos));
  }
}
