package dev.mason.terminal;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.LongSupplier;

/**
 * A terminal's flow control: while the slowest reader lags the output by {@code high} bytes or
 * more, the session stops reading its PTY, the kernel's PTY buffer fills and the program blocks on
 * its writes, as behind a real terminal that sent XOFF. Reading resumes once the lag is down to
 * {@code low}. Nothing a live reader has not seen is ever dropped, and memory stays at the ring.
 *
 * <p>Concurrency: only the session's pump waits here. Readers call {@link #readerAdvanced()} after
 * moving; it takes the lock only while the pump is paused. Waits are bounded and re-check the lag,
 * because a reader whose lease runs out stops counting without signalling anyone.
 */
final class FlowGate {
  private static final long RECHECK_MILLIS = 200;

  private final long high;
  private final long low;
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition moved = lock.newCondition();
  private final AtomicLong pauses = new AtomicLong();
  private volatile boolean paused;
  private volatile boolean released;

  FlowGate(long high, long low) {
    if (low > high) {
      throw new IllegalArgumentException("low watermark " + low + " above high " + high);
    }
    this.high = high;
    this.low = low;
  }

  /**
   * Returns at once while {@code lag} is below the high watermark; otherwise waits until it is down
   * to the low one, or {@link #release()}.
   *
   * @return whether it waited: the program had printed more than its readers took
   */
  boolean awaitCredit(LongSupplier lag) throws InterruptedException {
    if (lag.getAsLong() < high) {
      return false;
    }
    lock.lock();
    try {
      paused = true;
      pauses.incrementAndGet();
      while (!released && lag.getAsLong() > low) {
        moved.await(RECHECK_MILLIS, TimeUnit.MILLISECONDS);
      }
    } finally {
      paused = false;
      lock.unlock();
    }
    return true;
  }

  void readerAdvanced() {
    if (paused) {
      signal();
    }
  }

  /** Lets the pump go for good: the session is closing. */
  void release() {
    released = true;
    signal();
  }

  boolean paused() {
    return paused;
  }

  /** How many times the PTY was paused since the session started. */
  long pauses() {
    return pauses.get();
  }

  private void signal() {
    lock.lock();
    try {
      moved.signalAll();
    } finally {
      lock.unlock();
    }
  }
}
