package dev.mason.agent.llm;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * How transient model failures are retried: exponential backoff with full jitter (a random wait
 * between zero and {@code min(maxDelay, baseDelay × 2^(retry-1))}), or exactly the server's
 * {@code retry-after}, capped at {@code maxDelay}.
 *
 * @param maxAttempts attempts in all, the first included
 */
public record RetryPolicy(int maxAttempts, Duration baseDelay, Duration maxDelay) {
  public static final RetryPolicy DEFAULT = new RetryPolicy(5, Duration.ofMillis(1_000), Duration.ofSeconds(60));

  public RetryPolicy {
    if (maxAttempts < 1) {
      throw new IllegalArgumentException("maxAttempts must be at least 1, was " + maxAttempts);
    }
    if (baseDelay.isNegative() || maxDelay.isNegative() || maxDelay.compareTo(baseDelay) < 0) {
      throw new IllegalArgumentException("delays must satisfy 0 <= baseDelay <= maxDelay");
    }
  }

  /**
   * @param retry 1 for the first retry
   * @param retryAfter the server's request, or null
   */
  Duration delayBefore(int retry, Duration retryAfter) {
    if (retryAfter != null) {
      return retryAfter.compareTo(maxDelay) > 0 ? maxDelay : retryAfter;
    }
    long ceiling = baseDelay.toMillis() << Math.min(retry - 1, 30);
    ceiling = Math.min(Math.max(ceiling, 0), maxDelay.toMillis());
    return Duration.ofMillis(ThreadLocalRandom.current().nextLong(ceiling + 1));
  }
}
