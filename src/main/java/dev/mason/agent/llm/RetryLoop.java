package dev.mason.agent.llm;

import java.io.IOException;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs attempts of one model call until one succeeds, a failure is final, the attempts run out, or
 * the run is cancelled. See {@link ModelClient} for what the listener is told.
 */
final class RetryLoop {
  private static final Logger LOG = LoggerFactory.getLogger(RetryLoop.class);

  /** One attempt; an {@link IOException} is a dropped or failed connection, always retryable. */
  interface Attempt {
    ModelTurn run() throws IOException, ModelException;
  }

  private RetryLoop() {}

  static ModelTurn run(RetryPolicy policy, StreamAbort abort, StreamListener listener, ApiErrors errors, String what, Attempt attempt)
      throws ModelException {
    for (int n = 1; ; n++) {
      if (abort.isCancelled()) {
        throw ModelException.cancelled(what);
      }
      Duration retryAfter;
      String reason;
      try {
        return attempt.run();
      } catch (ModelException e) {
        if (abort.isCancelled()) {
          throw ModelException.cancelled(what);
        }
        if (!e.retryable()) {
          throw e;
        }
        if (n >= policy.maxAttempts()) {
          throw errors.exhausted(n, e);
        }
        retryAfter = e.retryAfter();
        reason = e.getMessage();
      } catch (IOException e) {
        if (abort.isCancelled()) {
          throw ModelException.cancelled(what);
        }
        reason = errors.connectionLost(e);
        if (n >= policy.maxAttempts()) {
          throw errors.gaveUp(n, reason, e);
        }
        retryAfter = null;
      }
      Duration delay = policy.delayBefore(n, retryAfter);
      LOG.info("attempt {} of {} failed, retrying in {} ms: {}", n, policy.maxAttempts(), delay.toMillis(), reason);
      listener.onRetry(n + 1, delay, reason);
      abort.sleep(delay);
    }
  }
}
