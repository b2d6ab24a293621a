package dev.mason.web;

import io.javalin.http.Context;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/**
 * A server-sent-event response written by hand (Javalin's SSE client would hold the request on
 * its own thread model): frames are buffered until {@link #flush()}, so a reader that fell behind
 * gets what piled up in one write. Every write answers false once the client has gone.
 *
 * <p>Not thread-safe: one request thread writes it.
 */
public final class SseStream {
  private final OutputStream out;

  private SseStream(OutputStream out) {
    this.out = out;
  }

  /** Starts the event-stream response, with {@code comment} as its first line, flushed. */
  public static SseStream open(Context ctx, String comment) throws IOException {
    ctx.status(200);
    ctx.res().setContentType("text/event-stream;charset=utf-8");
    ctx.res().setHeader("Cache-Control", "no-cache");
    ctx.res().setHeader("X-Accel-Buffering", "no");
    SseStream stream = new SseStream(ctx.res().getOutputStream());
    stream.out.write((": " + comment + "\n\n").getBytes(StandardCharsets.UTF_8));
    stream.out.flush();
    return stream;
  }

  /** One event; {@code id} null sends none (the client's cursor stays). Reaches the client at the next flush. */
  public boolean send(String id, String event, String data) {
    return write((id == null ? "" : "id: " + id + "\n") + "event: " + event + "\ndata: " + data + "\n\n", false);
  }

  public boolean flush() {
    return write("", true);
  }

  /** A comment that keeps proxies from closing an idle stream, flushed. */
  public boolean keepalive() {
    return write(": keepalive\n\n", true);
  }

  private boolean write(String frame, boolean flush) {
    try {
      out.write(frame.getBytes(StandardCharsets.UTF_8));
      if (flush) {
        out.flush();
      }
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  /**
   * Where a resuming client is: {@code Last-Event-ID}, else {@code ?after=}, else -1 (from now, or
   * from the start, as the stream decides). 400 naming the field when it is not a whole number
   * from 0 to {@code max}.
   */
  public static long cursor(Context ctx, long max) {
    String value = ctx.header("Last-Event-ID");
    String field = "Last-Event-ID";
    if (value == null || value.isBlank()) {
      value = ctx.queryParam("after");
      field = "after";
    }
    if (value == null || value.isBlank()) {
      return -1;
    }
    try {
      long seq = Long.parseLong(value.trim());
      if (seq > max) {
        throw new NumberFormatException();
      }
      if (seq < 0) {
        throw ApiError.badRequest(field, field + " must not be negative");
      }
      return seq;
    } catch (NumberFormatException e) {
      throw ApiError.badRequest(field, field + " must be a whole number (an event seq)");
    }
  }
}
