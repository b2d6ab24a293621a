package dev.mason.agent.llm;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mason.agent.tool.Cancellation;
import java.io.BufferedReader;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.time.Duration;

/**
 * The frame both streaming protocols share: one endpoint, its credential hint for errors, the
 * HTTP client and the limits; each call retried by the {@link RetryPolicy}, and each attempt a
 * stream of server-sent events read into the protocol's {@link TurnAssembler} until the answer
 * stops. Thread-safe: every call has its own request, assembler and abort.
 */
abstract class StreamingClient implements ModelClient {
  final Endpoint endpoint;
  private final String credentialHint;
  private final HttpClient http;
  private final RetryPolicy retry;
  final Duration headersTimeout;
  private final Duration idleTimeout;

  StreamingClient(Endpoint endpoint, String credentialHint, HttpClient http, RetryPolicy retry, Duration headersTimeout,
      Duration idleTimeout) {
    this.endpoint = endpoint;
    this.credentialHint = credentialHint;
    this.http = http;
    this.retry = retry;
    this.headersTimeout = headersTimeout;
    this.idleTimeout = idleTimeout;
  }

  /** A new assembler for one attempt. */
  abstract TurnAssembler assembler(StreamListener listener);

  /** Sends {@code httpRequest} (built from {@code request}) until an attempt gives a whole turn or the policy gives up. */
  final ModelTurn call(ModelRequest request, HttpRequest httpRequest, StreamListener listener, Cancellation cancellation)
      throws ModelException {
    ApiErrors errors = new ApiErrors(endpoint, request.model(), credentialHint);
    StreamAbort abort = new StreamAbort(cancellation);
    String what = "model " + request.model() + " at " + endpoint.label();
    return RetryLoop.run(retry, abort, listener, errors, what, () -> attempt(httpRequest, listener, abort, errors));
  }

  private ModelTurn attempt(HttpRequest request, StreamListener listener, StreamAbort abort, ApiErrors errors)
      throws IOException, ModelException {
    try (HttpStream stream = HttpStream.open(http, request, abort, idleTimeout, errors)) {
      TurnAssembler turn = assembler(listener);
      try (BufferedReader reader = stream.reader()) {
        SseReader events = new SseReader(reader);
        SseReader.Event event;
        while (!turn.stopped() && (event = events.next()) != null) {
          if (turn.endMarker(event.data())) {
            break;
          }
          JsonNode error = turn.accept(errors.parseEvent(event.data()));
          if (error != null) {
            throw errors.fromEvent(error, stream.retryAfter());
          }
        }
      } catch (IOException e) {
        throw stream.translate(e);
      }
      String incomplete = turn.incomplete();
      if (incomplete != null) {
        throw new IOException(incomplete);
      }
      return errors.checked(turn.turn(), turn.problems());
    }
  }
}
