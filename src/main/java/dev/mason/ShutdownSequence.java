package dev.mason;

import java.time.Duration;
import java.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Stops Mason's parts in a fixed order within one overall deadline, shorter than the 15 s grace
 * period Databricks Apps gives a stopping app. Each part stops on a thread of its own; a part that
 * has not stopped when its share of the time runs out is logged by name and left behind, so the
 * parts after it (the database last) still get their turn.
 */
final class ShutdownSequence {
  private static final Logger log = LoggerFactory.getLogger(ShutdownSequence.class);
  static final Duration DEADLINE = Duration.ofSeconds(12);
  /** Kept back for the database, which must stop last and cleanly. */
  private static final Duration DATABASE_RESERVE = Duration.ofSeconds(4);

  private final Instant started = Instant.now();
  private final Instant deadline = started.plus(DEADLINE);

  /** The time left for parts before the database. */
  Duration remainingBeforeDatabase() {
    Duration left = Duration.between(Instant.now(), deadline.minus(DATABASE_RESERVE));
    return left.isNegative() ? Duration.ZERO : left;
  }

  /** Stops {@code part} (nothing when null), waiting at most what is left for parts before the database. */
  void stop(String name, AutoCloseable part) {
    run(name, part, remainingBeforeDatabase());
  }

  /** Stops the database with whatever time is left. */
  void stopLast(String name, AutoCloseable part) {
    Duration left = Duration.between(Instant.now(), deadline);
    run(name, part, left.isNegative() ? Duration.ZERO : left);
  }

  private void run(String name, AutoCloseable part, Duration limit) {
    if (part == null) {
      return;
    }
    Thread thread = Thread.ofPlatform().name("mason-stop-" + name.replace(' ', '-')).start(() -> {
      try {
        part.close();
      } catch (Exception e) {
        log.warn("Stopping the {} failed: {}", name, e.toString());
      }
    });
    try {
      if (!thread.join(limit.isZero() ? Duration.ofMillis(1) : limit)) {
        log.warn("The {} did not stop within the shutdown deadline ({} s); going on without it", name, DEADLINE.toSeconds());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Logs how long the whole stop took. */
  void finished() {
    log.info("Stopped in {} ms", Duration.between(started, Instant.now()).toMillis());
  }
}
