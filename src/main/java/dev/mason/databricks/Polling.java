package dev.mason.databricks;

import dev.mason.agent.tool.Cancellation;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Polls a remote state until it is final, a limit passes, or the run is cancelled. Pauses start
 * at 100 ms and double up to the configured interval, so quick statements answer quickly and
 * long ones are not hammered.
 */
final class Polling {
  private static final Duration FIRST_PAUSE = Duration.ofMillis(100);

  private final Duration maxPause;
  private final Cancellation cancellation;

  Polling(Duration maxPause, Cancellation cancellation) {
    this.maxPause = maxPause;
    this.cancellation = cancellation;
  }

  /**
   * Calls {@code attempt} until it returns a value (not null) or {@code limit} has passed.
   *
   * @return the value, or empty when the limit passed first
   * @throws Cancelled when the run was stopped
   */
  <T> Optional<T> until(Duration limit, Supplier<T> attempt) {
    Instant deadline = Instant.now().plus(limit);
    Duration pause = FIRST_PAUSE.compareTo(maxPause) < 0 ? FIRST_PAUSE : maxPause;
    while (true) {
      if (cancellation.isCancelled()) {
        throw new Cancelled();
      }
      T value = attempt.get();
      if (value != null) {
        return Optional.of(value);
      }
      Duration left = Duration.between(Instant.now(), deadline);
      if (left.isNegative() || left.isZero()) {
        return Optional.empty();
      }
      sleep(pause.compareTo(left) < 0 ? pause : left);
      pause = pause.multipliedBy(2).compareTo(maxPause) < 0 ? pause.multipliedBy(2) : maxPause;
    }
  }

  void sleep(Duration pause) {
    try {
      Thread.sleep(pause);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new Cancelled();
    }
  }

  /** The run was stopped (or the thread interrupted) while waiting. */
  static final class Cancelled extends RuntimeException {
    Cancelled() {
      super("cancelled", null, false, false);
    }
  }
}
