package dev.mason.terminal;

import dev.mason.web.ApiError;
import java.io.IOException;
import java.io.OutputStream;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes keystrokes and pastes to a PTY from its own platform thread. A program that stops reading
 * its input fills the kernel's buffer and blocks the writer: that must be this thread, never a
 * request thread, and never a virtual thread (a native write pins its carrier).
 *
 * <p>Bounded: at most {@link #MAX_PENDING_BYTES} wait; beyond that {@link #offer} answers 429.
 * Thread-safe: {@link #offer} may be called from any thread; order of calls is order of writes.
 */
final class InputPump {
  private static final Logger log = LoggerFactory.getLogger(InputPump.class);
  static final long MAX_PENDING_BYTES = 1024 * 1024;
  private static final long POLL_MILLIS = 500;

  private final String sessionId;
  private final OutputStream terminal;
  private final LinkedBlockingQueue<byte[]> queue = new LinkedBlockingQueue<>();
  private final AtomicLong pending = new AtomicLong();
  private final Thread thread;
  private volatile boolean closed;

  InputPump(String sessionId, OutputStream terminal) {
    this.sessionId = sessionId;
    this.terminal = terminal;
    this.thread = Thread.ofPlatform().daemon().name("pty-writer-" + sessionId.substring(0, 8)).unstarted(this::run);
  }

  void start() {
    thread.start();
  }

  void offer(byte[] data) {
    if (closed) {
      throw new ApiError(409, "session " + sessionId + " has ended; it takes no more input", null);
    }
    if (pending.addAndGet(data.length) > MAX_PENDING_BYTES) {
      pending.addAndGet(-data.length);
      throw new ApiError(429, "session " + sessionId + " is not reading its input: " + MAX_PENDING_BYTES / 1024
          + " KiB are already waiting; try again when the program reads", null);
    }
    queue.add(data);
  }

  /** Stops writing; input still queued is dropped with the terminal. */
  void close() {
    closed = true;
    thread.interrupt();
  }

  private void run() {
    try {
      while (!closed) {
        byte[] data = queue.poll(POLL_MILLIS, TimeUnit.MILLISECONDS);
        if (data == null) {
          continue;
        }
        terminal.write(data);
        terminal.flush();
        pending.addAndGet(-data.length);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (IOException e) {
      if (!closed) {
        log.debug("Input to session {} stopped: {}", sessionId, e.toString());
      }
    } finally {
      closed = true;
    }
  }
}
