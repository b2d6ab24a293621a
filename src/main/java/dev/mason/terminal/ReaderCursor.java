package dev.mason.terminal;

import java.util.concurrent.locks.ReentrantLock;

/**
 * One reader of a session's output, known by an id the client chooses, so that a browser tab keeps
 * its place when it switches between the WebSocket and polling, or reloads.
 *
 * <p>{@link #position} is the flow-control mark: every byte before it has reached the reader (sent
 * to a WebSocket that does not acknowledge, acknowledged by one that does, or asked past by a
 * poller), and the session stops reading its PTY rather than let the ring drop bytes after it. A
 * reader counts while a WebSocket holds it, and for the lease after it was last seen otherwise.
 *
 * <p>Concurrency: the marks are volatile so flow control reads them without locking. A move that
 * depends on who holds the reader takes {@link #lock}, so a connection that lost the reader to
 * another one (a second tab with the same id, a poll after a dropped socket) cannot move it.
 */
final class ReaderCursor {
  /** The holder of a reader that polls over HTTP. */
  static final Object POLLER = new Object();

  private final String id;
  private final ReentrantLock lock = new ReentrantLock();
  /** Guarded by {@link #lock}: a WebSocket connection, or {@link #POLLER}. */
  private Object holder = POLLER;
  /** Non-null while a WebSocket holds the reader: wakes its sender when output arrives. */
  private volatile Runnable waker;
  private volatile long position;
  /** Where a poll that names no offset continues. */
  private volatile long cursor;
  private volatile long lastSeenNanos;

  ReaderCursor(String id, long position, long now) {
    this.id = id;
    this.position = position;
    this.cursor = position;
    this.lastSeenNanos = now;
  }

  String id() {
    return id;
  }

  long position() {
    return position;
  }

  long cursor() {
    return cursor;
  }

  boolean attached() {
    return waker != null;
  }

  boolean live(long now, long leaseNanos) {
    return waker != null || now - lastSeenNanos < leaseNanos;
  }

  boolean heldBy(Object candidate) {
    lock.lock();
    try {
      return holder == candidate;
    } finally {
      lock.unlock();
    }
  }

  /** Gives the reader to {@code newHolder} at {@code at}; the previous holder notices through {@link #heldBy}. */
  void claim(Object newHolder, Runnable newWaker, long at, long now) {
    Runnable previous;
    lock.lock();
    try {
      previous = waker;
      holder = newHolder;
      waker = newWaker;
      position = at;
      cursor = at;
      lastSeenNanos = now;
    } finally {
      lock.unlock();
    }
    if (previous != null && previous != newWaker) {
      previous.run();
    }
  }

  /** Moves the marks if {@code mover} still holds the reader; false when it lost it. */
  boolean advance(Object mover, long newPosition, long newCursor, long now) {
    lock.lock();
    try {
      if (holder != mover) {
        return false;
      }
      position = newPosition;
      cursor = newCursor;
      lastSeenNanos = now;
      return true;
    } finally {
      lock.unlock();
    }
  }

  /** A WebSocket let go (closed or dropped): the reader lingers for its lease, at the position it reached. */
  void release(Object releaser, long now) {
    lock.lock();
    try {
      if (holder == releaser) {
        holder = POLLER;
        waker = null;
        lastSeenNanos = now;
      }
    } finally {
      lock.unlock();
    }
  }

  void touch(long now) {
    lastSeenNanos = now;
  }

  void wake() {
    Runnable w = waker;
    if (w != null) {
      w.run();
    }
  }
}
