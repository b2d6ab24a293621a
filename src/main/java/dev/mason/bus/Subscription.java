package dev.mason.bus;

import java.time.Duration;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * One stream's view of the bus: the changes of its owner, in seq order, as the listener hands
 * them over. Bounded: a stream that falls {@link #CAPACITY} behind is {@link #overflowed()} and
 * ends, and its client resumes from the table with its cursor, so nothing is lost and a slow
 * client holds no unbounded memory.
 *
 * <p>Concurrency: the listener thread offers, the stream's thread takes; the queue is the handover.
 */
public final class Subscription implements AutoCloseable {
  static final int CAPACITY = 1_000;
  private final String owner;
  private final Runnable onClose;
  private final LinkedBlockingQueue<Change.Numbered> queue = new LinkedBlockingQueue<>(CAPACITY);
  private volatile boolean overflowed;
  private volatile boolean ended;

  Subscription(String owner, Runnable onClose) {
    this.owner = owner;
    this.onClose = onClose;
  }

  void offer(Change.Numbered change) {
    if (!queue.offer(change)) {
      overflowed = true;
    }
  }

  /** Ends the subscription from the bus's side (shutdown): {@link #next} returns at once. */
  void end() {
    ended = true;
    queue.offer(new Change.Numbered(-1, owner, null));
  }

  /** The next change, or null when none came within {@code wait}, or the subscription has ended. */
  Change.Numbered next(Duration wait) throws InterruptedException {
    if (ended) {
      return null;
    }
    Change.Numbered next = queue.poll(wait.toMillis(), TimeUnit.MILLISECONDS);
    return next == null || next.change() == null ? null : next;
  }

  /** True when this stream must end: it fell too far behind, or the bus is closing. */
  boolean over() {
    return overflowed || ended;
  }

  @Override
  public void close() {
    onClose.run();
  }
}
