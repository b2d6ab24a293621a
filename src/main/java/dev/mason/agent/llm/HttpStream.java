package dev.mason.agent.llm;

import java.io.BufferedReader;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The body of one streaming model response, opened with its status checked.
 *
 * <p>Every wait is bounded: waiting for the response headers by the request's timeout (plus a few
 * seconds of grace), reading the body by the idle limit ({@link IdleWatchdog}). The run's
 * cancellation aborts either wait at once (see {@link StreamAbort}). Not thread-safe: one reader.
 */
final class HttpStream implements AutoCloseable {
  private static final int MAX_ERROR_BODY_BYTES = 64 * 1024;
  private static final Duration HEADERS_GRACE = Duration.ofSeconds(5);

  private final HttpResponse<InputStream> response;
  private final InputStream body;
  private final StreamAbort abort;
  private final Duration idleLimit;
  private final IdleWatchdog.Watch watch;

  private HttpStream(HttpResponse<InputStream> response, StreamAbort abort, Duration idleLimit) {
    this.response = response;
    this.abort = abort;
    this.idleLimit = idleLimit;
    this.watch = IdleWatchdog.watch(idleLimit, () -> closeQuietly(response.body()));
    this.body = new FilterInputStream(response.body()) {
      @Override
      public int read() throws IOException {
        int b = super.read();
        watch.touch();
        return b;
      }

      @Override
      public int read(byte[] buffer, int offset, int length) throws IOException {
        int n = super.read(buffer, offset, length);
        watch.touch();
        return n;
      }
    };
    abort.guard(() -> closeQuietly(response.body()));
  }

  /**
   * Sends the request and returns its body when the status is 2xx.
   *
   * @throws ModelException the API's error for any other status (retryable or not)
   * @throws IOException the connection failed, timed out, or the run was cancelled (the caller
   *     tells these apart through {@link StreamAbort#isCancelled()})
   */
  static HttpStream open(HttpClient http, HttpRequest request, StreamAbort abort, Duration idleLimit, ApiErrors errors)
      throws IOException, ModelException {
    CompletableFuture<HttpResponse<InputStream>> pending = http.sendAsync(request, HttpResponse.BodyHandlers.ofInputStream());
    abort.guard(() -> pending.cancel(true));
    Duration headersLimit = request.timeout().orElse(Duration.ofMinutes(5)).plus(HEADERS_GRACE);
    HttpResponse<InputStream> response;
    try {
      response = pending.get(headersLimit.toMillis(), TimeUnit.MILLISECONDS);
    } catch (CancellationException e) {
      throw new IOException("the request was aborted", e);
    } catch (ExecutionException e) {
      throw e.getCause() instanceof IOException io ? io : new IOException(e.getCause());
    } catch (TimeoutException e) {
      pending.cancel(true);
      throw new IOException("no response within " + headersLimit.toSeconds() + " s");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      pending.cancel(true);
      abort.run();
      throw new IOException("interrupted while waiting for the response");
    } finally {
      abort.release();
    }
    HttpStream stream = new HttpStream(response, abort, idleLimit);
    if (response.statusCode() / 100 != 2) {
      String errorBody;
      try (stream) {
        errorBody = new String(stream.body.readNBytes(MAX_ERROR_BODY_BYTES), StandardCharsets.UTF_8);
      } catch (IOException e) {
        throw stream.translate(e);
      }
      throw errors.fromStatus(response.statusCode(), errorBody, retryAfter(response.headers()));
    }
    if (response.headers().firstValue("content-type").orElse("").contains("json")) {
      // A proxy's error page, or a server that ignores stream: true: not an event stream, and not
      // worth retrying the same way.
      String json;
      try (stream) {
        json = new String(stream.body.readNBytes(MAX_ERROR_BODY_BYTES), StandardCharsets.UTF_8);
      } catch (IOException e) {
        throw stream.translate(e);
      }
      throw errors.notAStream(json);
    }
    return stream;
  }

  BufferedReader reader() {
    return new BufferedReader(new InputStreamReader(body, StandardCharsets.UTF_8));
  }

  HttpHeaders headers() {
    return response.headers();
  }

  /** The server's {@code retry-after} for this response, for an error event that arrives mid-stream. */
  Duration retryAfter() {
    return retryAfter(response.headers());
  }

  /** Names an idle timeout for what it is; other failures pass unchanged. */
  IOException translate(IOException e) {
    if (watch.expired()) {
      return new IOException("the model sent nothing for " + idleLimit.toMillis() / 1000.0 + " s");
    }
    return e;
  }

  @Override
  public void close() {
    abort.release();
    watch.close();
    closeQuietly(response.body());
  }

  /** {@code retry-after-ms}, else {@code retry-after} in seconds or as an HTTP date; null if absent or unreadable. */
  static Duration retryAfter(HttpHeaders headers) {
    var millis = headers.firstValue("retry-after-ms");
    if (millis.isPresent()) {
      try {
        return Duration.ofMillis(Math.max(0, (long) Double.parseDouble(millis.get().trim())));
      } catch (NumberFormatException ignored) {
        // fall through to retry-after
      }
    }
    var value = headers.firstValue("retry-after");
    if (value.isEmpty()) {
      return null;
    }
    String text = value.get().trim();
    try {
      return Duration.ofMillis(Math.max(0, (long) (Double.parseDouble(text) * 1000)));
    } catch (NumberFormatException notSeconds) {
      try {
        Duration until = Duration.between(ZonedDateTime.now(), ZonedDateTime.parse(text, DateTimeFormatter.RFC_1123_DATE_TIME));
        return until.isNegative() ? Duration.ZERO : until;
      } catch (DateTimeParseException unreadable) {
        return null;
      }
    }
  }

  private static void closeQuietly(InputStream in) {
    try {
      in.close();
    } catch (IOException ignored) {
      // closing to abort; the reader sees the failure
    }
  }
}
