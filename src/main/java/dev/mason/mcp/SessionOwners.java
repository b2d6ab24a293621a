package dev.mason.mcp;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Which user opened each MCP session. A session is used only by its owner: the filter answers
 * 404 to anyone else, and to an id it does not know (never opened here, or forgotten after
 * {@link #IDLE_LIMIT} without use), so a client that gets 404 simply initializes a new session.
 *
 * <p>Thread-safe: a concurrent map; {@code lastUsed} is volatile. Bounded by {@link #MAX_SESSIONS}:
 * past it the sessions idle longest are forgotten first.
 */
final class SessionOwners {
  /** Longer than the SDK keeps an idle session (see McpEndpoint), so a live session is never forgotten here first. */
  static final Duration IDLE_LIMIT = Duration.ofHours(6);
  static final int MAX_SESSIONS = 10_000;

  private static final class Owner {
    final String user;
    volatile Instant lastUsed;

    Owner(String user, Instant lastUsed) {
      this.user = user;
      this.lastUsed = lastUsed;
    }
  }

  private final Map<String, Owner> sessions = new ConcurrentHashMap<>();
  private final Clock clock;

  SessionOwners(Clock clock) {
    this.clock = clock;
  }

  /** Records that {@code user} opened {@code session}. */
  void claim(String session, String user) {
    Instant now = clock.instant();
    if (sessions.size() >= MAX_SESSIONS) {
      sessions.values().removeIf(owner -> owner.lastUsed.isBefore(now.minus(IDLE_LIMIT)));
      while (sessions.size() >= MAX_SESSIONS) {
        sessions.entrySet().stream().min(Comparator.comparing(e -> e.getValue().lastUsed))
            .ifPresent(oldest -> sessions.remove(oldest.getKey()));
      }
    }
    sessions.put(session, new Owner(user, now));
  }

  /** The user who opened {@code session}, marking it used; null when it is unknown or was forgotten. */
  String use(String session) {
    Owner owner = sessions.get(session);
    Instant now = clock.instant();
    if (owner == null || owner.lastUsed.isBefore(now.minus(IDLE_LIMIT))) {
      return null;
    }
    owner.lastUsed = now;
    return owner.user;
  }

  void forget(String session) {
    sessions.remove(session);
  }
}
