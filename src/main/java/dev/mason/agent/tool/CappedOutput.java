package dev.mason.agent.tool;

import java.util.concurrent.locks.ReentrantLock;

/**
 * A command's output, kept within a fixed size: the first {@code headChars} and the last
 * {@code tailChars} characters, with a count of what was cut between them. The end of an output
 * (the error, the summary) usually matters most, so the tail is the larger part.
 *
 * <p>Thread-safe: one thread appends while another may render (when a command outlives its
 * timeout). {@link #lock} guards every field below it.
 */
final class CappedOutput {
  private final int headChars;
  private final int tailChars;

  private final ReentrantLock lock = new ReentrantLock();
  private final StringBuilder head = new StringBuilder();
  /** Holds up to twice tailChars before it is trimmed, so trimming is rare. */
  private final StringBuilder tail = new StringBuilder();
  private long total;

  CappedOutput(int headChars, int tailChars) {
    this.headChars = headChars;
    this.tailChars = tailChars;
  }

  void append(char[] chars, int offset, int length) {
    lock.lock();
    try {
      total += length;
      int toHead = Math.min(length, headChars - head.length());
      if (toHead > 0) {
        head.append(chars, offset, toHead);
      }
      if (length > toHead) {
        tail.append(chars, offset + toHead, length - toHead);
        if (tail.length() > 2 * tailChars) {
          tail.delete(0, tail.length() - tailChars);
        }
      }
    } finally {
      lock.unlock();
    }
  }

  /** The kept text, with a note of how much was cut from the middle; empty when there was none. */
  String render() {
    lock.lock();
    try {
      long cut = total - head.length() - Math.min(tail.length(), tailChars);
      String keptTail = tail.length() > tailChars ? tail.substring(tail.length() - tailChars) : tail.toString();
      if (cut <= 0) {
        return head + keptTail;
      }
      return head + "\n\n[... " + cut + " characters of output cut here; " + total
          + " in all. Redirect long output to a file and Grep or Read it. ...]\n\n" + keptTail;
    } finally {
      lock.unlock();
    }
  }
}
