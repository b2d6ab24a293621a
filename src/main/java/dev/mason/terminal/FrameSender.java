package dev.mason.terminal;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.eclipse.jetty.websocket.api.Callback;
import org.eclipse.jetty.websocket.api.Session;

/**
 * Writes frames to one WebSocket and waits for each to be written, up to {@link #SEND_TIMEOUT}:
 * the caller's pace becomes the client's, which is what flow control measures. Jetty would
 * otherwise queue frames without bound. Used by one thread at a time.
 */
final class FrameSender {
  static final Duration SEND_TIMEOUT = Duration.ofSeconds(30);

  /** The client is gone, or took no frame for {@link #SEND_TIMEOUT}. */
  static final class SendFailure extends Exception {
    SendFailure(String message, Throwable cause) {
      super(message, cause);
    }
  }

  private final Session jetty;

  FrameSender(Session jetty) {
    this.jetty = jetty;
  }

  void text(ServerMessage message) throws SendFailure {
    Callback.Completable done = new Callback.Completable();
    jetty.sendText(ServerMessage.toJson(message), done);
    await(done);
  }

  /** Sends the first {@code length} bytes of {@code bytes}; the array is free again when this returns. */
  void binary(byte[] bytes, int length) throws SendFailure {
    Callback.Completable done = new Callback.Completable();
    jetty.sendBinary(ByteBuffer.wrap(bytes, 0, length), done);
    await(done);
  }

  void close(int status, String reason) {
    jetty.close(status, reason, Callback.NOOP);
  }

  private static void await(Callback.Completable done) throws SendFailure {
    try {
      done.get(SEND_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      throw new SendFailure("sending failed: " + e.getCause(), e.getCause());
    } catch (TimeoutException e) {
      throw new SendFailure("the client took no frame for " + SEND_TIMEOUT.toSeconds() + " s", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new SendFailure("interrupted", e);
    }
  }
}
