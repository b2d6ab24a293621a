package dev.mason.agent.llm;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mason.agent.tool.Cancellation;
import dev.mason.web.Json;
import java.io.BufferedReader;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.time.Duration;

/**
 * The Anthropic Messages protocol, streaming: {@code POST {base}/v1/messages} with
 * {@code stream: true}. Serves the Anthropic API, any compatible base URL, and a Databricks
 * workspace's {@code /serving-endpoints/anthropic}; the {@link Endpoint} carries the differences
 * (credential header, the Databricks coding-agent header).
 *
 * <p>A stream that ends without {@code message_stop} counts as a dropped connection and is retried.
 */
final class AnthropicClient implements ModelClient {
  static final String API_VERSION = "2023-06-01";

  private final Endpoint endpoint;
  private final String credentialHint;
  private final HttpClient http;
  private final RetryPolicy retry;
  private final Duration headersTimeout;
  private final Duration idleTimeout;

  AnthropicClient(Endpoint endpoint, String credentialHint, HttpClient http, RetryPolicy retry, Duration headersTimeout, Duration idleTimeout) {
    this.endpoint = endpoint;
    this.credentialHint = credentialHint;
    this.http = http;
    this.retry = retry;
    this.headersTimeout = headersTimeout;
    this.idleTimeout = idleTimeout;
  }

  @Override
  public ModelTurn stream(ModelRequest request, StreamListener listener, Cancellation cancellation) throws ModelException {
    HttpRequest httpRequest = endpoint.post("/v1/messages", Json.write(AnthropicRequestBody.of(request)), headersTimeout)
        .header("anthropic-version", API_VERSION)
        .build();
    ApiErrors errors = new ApiErrors(endpoint, request.model(), credentialHint);
    StreamAbort abort = new StreamAbort(cancellation);
    String what = "model " + request.model() + " at " + endpoint.label();
    return RetryLoop.run(retry, abort, listener, errors, what, () -> attempt(httpRequest, listener, abort, errors));
  }

  private ModelTurn attempt(HttpRequest request, StreamListener listener, StreamAbort abort, ApiErrors errors)
      throws IOException, ModelException {
    try (HttpStream stream = HttpStream.open(http, request, abort, idleTimeout, errors)) {
      AnthropicTurnAssembler turn = new AnthropicTurnAssembler(listener);
      try (BufferedReader reader = stream.reader()) {
        SseReader events = new SseReader(reader);
        SseReader.Event event;
        while (!turn.stopped() && (event = events.next()) != null) {
          JsonNode data = errors.parseEvent(event.data());
          JsonNode error = turn.accept(data);
          if (error != null) {
            throw errors.fromEvent(error, stream.retryAfter());
          }
        }
      } catch (IOException e) {
        throw stream.translate(e);
      }
      if (!turn.stopped()) {
        throw new IOException("the stream ended before message_stop");
      }
      return errors.checked(turn.turn(), turn.problems());
    }
  }

  @Override
  public String toString() {
    return "AnthropicClient[" + endpoint + "]";
  }
}
