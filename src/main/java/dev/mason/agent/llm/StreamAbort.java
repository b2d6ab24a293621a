package dev.mason.agent.llm;

import dev.mason.agent.tool.Cancellation;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Connects a run's {@link Cancellation} to one model call: when the run is cancelled, the call's
 * current HTTP exchange is aborted (the pending response future cancelled, or the body stream
 * closed, which wakes a blocked reader) and any backoff sleep ends at once.
 *
 * <p>Thread-safety: {@link #run()} is called from whichever thread cancels; the call's thread
 * swaps the abort action in and out. The action may run twice when a cancellation races a
 * {@link #guard}; aborts are idempotent. {@link Cancellation} offers no way to unregister, so one
 * instance stays registered until the run ends; it holds no resources once the call returns.
 */
final class StreamAbort implements Runnable {
  private final CompletableFuture<Void> cancelled = new CompletableFuture<>();
  private final AtomicReference<Runnable> current = new AtomicReference<>();

  StreamAbort(Cancellation cancellation) {
    cancellation.onCancel(this);
  }

  @Override
  public void run() {
    cancelled.complete(null);
    Runnable abort = current.getAndSet(null);
    if (abort != null) {
      abort.run();
    }
  }

  boolean isCancelled() {
    return cancelled.isDone();
  }

  /** Makes {@code abort} the action for a cancellation from now on; runs it at once if one came already. */
  void guard(Runnable abort) {
    current.set(abort);
    if (isCancelled()) {
      abort.run();
    }
  }

  void release() {
    current.set(null);
  }

  /** Waits {@code delay}, or less when the run is cancelled or the thread interrupted. */
  void sleep(Duration delay) {
    try {
      cancelled.get(delay.toNanos(), TimeUnit.NANOSECONDS);
    } catch (TimeoutException expected) {
      // the full delay passed
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      run();
    } catch (ExecutionException impossible) {
      throw new IllegalStateException(impossible);
    }
  }
}
