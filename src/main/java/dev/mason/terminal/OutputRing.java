package dev.mason.terminal;

import java.nio.ByteBuffer;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A session's output: the newest {@code capacity} bytes, addressed by absolute offsets from the
 * start of the session, so every reader keeps its own position and can tell when it fell behind.
 *
 * <p>The array grows by doubling up to {@code capacity}, so a quiet shell costs kilobytes, not the
 * whole ring. It only grows before the first wrap, which keeps the index of an offset
 * {@code offset % buffer.length} at all times.
 *
 * <p>Concurrency: one writer (the session's pump) and any number of readers. {@link #lock} guards
 * {@link #buffer} and {@link #end} and is held only for array copies, never around I/O; it is the
 * session's own lock, so sessions never contend with each other. {@link #end} is also volatile so
 * flow control and status can read it without the lock.
 */
final class OutputRing {
  private static final int INITIAL_BYTES = 4 * 1024;

  private final int capacity;
  private final ReentrantLock lock = new ReentrantLock();
  private byte[] buffer;
  private volatile long end;

  /**
   * The first {@code length} bytes of {@code bytes} were read from {@code requested} on; {@code offset}
   * is later than requested when the ring had already dropped some.
   */
  record Slice(long requested, long offset, byte[] bytes, int length) {
    long gap() {
      return offset - requested;
    }

    long next() {
      return offset + length;
    }
  }

  OutputRing(int capacity) {
    this.capacity = capacity;
    this.buffer = new byte[Math.min(INITIAL_BYTES, capacity)];
  }

  int capacity() {
    return capacity;
  }

  /** The offset after the newest byte: everything the session ever printed. */
  long end() {
    return end;
  }

  /** The oldest offset still held. */
  long start() {
    lock.lock();
    try {
      return Math.max(0, end - buffer.length);
    } finally {
      lock.unlock();
    }
  }

  /** Bytes held now; never more than the capacity. */
  int retained() {
    lock.lock();
    try {
      return (int) Math.min(end, buffer.length);
    } finally {
      lock.unlock();
    }
  }

  /** Bytes allocated for the ring: the memory it costs. */
  int allocated() {
    lock.lock();
    try {
      return buffer.length;
    } finally {
      lock.unlock();
    }
  }

  void append(byte[] source, int from, int length) {
    append(ByteBuffer.wrap(source, from, length).slice(), length);
  }

  /** Appends the first {@code length} bytes of {@code source}, whatever its position. */
  void append(ByteBuffer source, int length) {
    lock.lock();
    try {
      grow(length);
      int kept = Math.min(length, buffer.length);
      long at = end + (length - kept);
      int index = (int) (at % buffer.length);
      int first = Math.min(kept, buffer.length - index);
      source.get(length - kept, buffer, index, first);
      source.get(length - kept + first, buffer, 0, kept - first);
      end += length;
    } finally {
      lock.unlock();
    }
  }

  /**
   * Up to {@code maxBytes} from {@code from}, or from the oldest byte held when {@code from} was
   * dropped, in an array of their own.
   *
   * @throws IllegalArgumentException when {@code from} is past the end
   */
  Slice read(long from, int maxBytes) {
    return read(from, maxBytes, null);
  }

  /**
   * As {@link #read(long, int)}, into the start of {@code into} (up to its length), for a reader that
   * reuses one array for every frame.
   */
  Slice readInto(long from, byte[] into) {
    return read(from, into.length, into);
  }

  private Slice read(long from, int maxBytes, byte[] into) {
    lock.lock();
    try {
      if (from > end || from < 0) {
        throw new IllegalArgumentException("offset " + from + " is outside the output (0 to " + end + ")");
      }
      long start = Math.max(from, end - Math.min(end, buffer.length));
      int length = (int) Math.min(maxBytes, end - start);
      byte[] bytes = into != null ? into : new byte[length];
      int index = (int) (start % buffer.length);
      int first = Math.min(length, buffer.length - index);
      System.arraycopy(buffer, index, bytes, 0, first);
      System.arraycopy(buffer, 0, bytes, first, length - first);
      return new Slice(from, start, bytes, length);
    } finally {
      lock.unlock();
    }
  }

  /** Grows before the first wrap only; guarded by the caller's hold of the lock. */
  private void grow(int incoming) {
    if (buffer.length == capacity || end + incoming <= buffer.length) {
      return;
    }
    int size = buffer.length;
    while (size < end + incoming && size < capacity) {
      size = (int) Math.min((long) size * 2, capacity);
    }
    byte[] larger = new byte[size];
    System.arraycopy(buffer, 0, larger, 0, (int) end);
    buffer = larger;
  }
}
