package dev.mason.mcp;

import dev.mason.identity.Caller;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The latest credential each user presented to {@code /mcp}, in memory only, so that a task that
 * starts later from the queue acts with its owner's freshest token. Nothing here is ever written
 * to the database, a file or a log: after a restart a queued task that needs its owner's token
 * waits until the owner is seen again.
 *
 * <p>Thread-safe: a concurrent map; entries not refreshed within {@link #RETENTION} are dropped.
 */
final class PresentedCredentials {
  static final Duration RETENTION = Duration.ofHours(24);

  private record Seen(Caller caller, Instant at) {}

  private final Map<String, Seen> latest = new ConcurrentHashMap<>();
  private final Runnable onNewUser;
  private final Clock clock;

  /** @param onNewUser called when a user not (or no longer) known presents a credential */
  PresentedCredentials(Runnable onNewUser, Clock clock) {
    this.onNewUser = onNewUser;
    this.clock = clock;
  }

  void remember(Caller caller) {
    Instant now = clock.instant();
    Seen previous = latest.put(caller.user(), new Seen(caller, now));
    if (previous == null || previous.at().isBefore(now.minus(RETENTION))) {
      onNewUser.run();
    }
  }

  /** The user's latest credential, if they presented one within {@link #RETENTION}. */
  Optional<Caller> current(String user) {
    Instant now = clock.instant();
    latest.values().removeIf(seen -> seen.at().isBefore(now.minus(RETENTION)));
    Seen seen = latest.get(user);
    return seen == null ? Optional.empty() : Optional.of(seen.caller());
  }
}
