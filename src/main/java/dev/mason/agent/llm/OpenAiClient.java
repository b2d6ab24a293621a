package dev.mason.agent.llm;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mason.agent.tool.Cancellation;
import dev.mason.web.Json;
import java.io.BufferedReader;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The OpenAI chat-completions protocol, streaming: {@code POST {base}/chat/completions} with
 * {@code stream: true}. Serves the OpenAI API, compatible servers, and a Databricks workspace's
 * {@code /serving-endpoints} (the model is the serving endpoint's name).
 *
 * <p>Protocol care:
 * <ul>
 *   <li>The token limit is sent as {@code max_completion_tokens} to api.openai.com (its newer
 *       models refuse {@code max_tokens}) and as {@code max_tokens} everywhere else (what
 *       Databricks and most compatible servers read).
 *   <li>{@code stream_options: {include_usage: true}} is sent so usage arrives; an endpoint that
 *       refuses the field with a 400 naming it is asked again without it, and this client stops
 *       sending it (usage is then zero).
 *   <li>A stream that ends without {@code [DONE]} is complete if a finish reason came, else it
 *       counts as a dropped connection and is retried.
 * </ul>
 */
final class OpenAiClient implements ModelClient {
  private static final Logger LOG = LoggerFactory.getLogger(OpenAiClient.class);

  private final Endpoint endpoint;
  private final String credentialHint;
  private final HttpClient http;
  private final RetryPolicy retry;
  private final Duration headersTimeout;
  private final Duration idleTimeout;
  private final String maxTokensField;
  /** Cleared, once and for all, when the endpoint refuses {@code stream_options}. */
  private final AtomicBoolean sendStreamOptions = new AtomicBoolean(true);

  OpenAiClient(Endpoint endpoint, String credentialHint, HttpClient http, RetryPolicy retry, Duration headersTimeout, Duration idleTimeout) {
    this.endpoint = endpoint;
    this.credentialHint = credentialHint;
    this.http = http;
    this.retry = retry;
    this.headersTimeout = headersTimeout;
    this.idleTimeout = idleTimeout;
    this.maxTokensField = endpoint.baseUrl().contains("://api.openai.com") ? "max_completion_tokens" : "max_tokens";
  }

  @Override
  public ModelTurn stream(ModelRequest request, StreamListener listener, Cancellation cancellation) throws ModelException {
    ApiErrors errors = new ApiErrors(endpoint, request.model(), credentialHint);
    StreamAbort abort = new StreamAbort(cancellation);
    String what = "model " + request.model() + " at " + endpoint.label();
    boolean withUsage = sendStreamOptions.get();
    try {
      return RetryLoop.run(retry, abort, listener, errors, what, () -> attempt(request(request, withUsage), listener, abort, errors));
    } catch (ModelException e) {
      boolean refusedStreamOptions = withUsage && e.status() == 400 && e.getMessage().contains("stream_options");
      if (!refusedStreamOptions || !sendStreamOptions.compareAndSet(true, false)) {
        throw e;
      }
      LOG.info("{} refuses stream_options; asking without it from now on", endpoint.label());
      return RetryLoop.run(retry, abort, listener, errors, what, () -> attempt(request(request, false), listener, abort, errors));
    }
  }

  private HttpRequest request(ModelRequest request, boolean withUsage) {
    return endpoint.post("/chat/completions", Json.write(OpenAiRequestBody.of(request, maxTokensField, withUsage)), headersTimeout).build();
  }

  private ModelTurn attempt(HttpRequest request, StreamListener listener, StreamAbort abort, ApiErrors errors)
      throws IOException, ModelException {
    try (HttpStream stream = HttpStream.open(http, request, abort, idleTimeout, errors)) {
      OpenAiTurnAssembler turn = new OpenAiTurnAssembler(listener);
      boolean done = false;
      try (BufferedReader reader = stream.reader()) {
        SseReader events = new SseReader(reader);
        SseReader.Event event;
        while ((event = events.next()) != null) {
          if (event.data().strip().equals("[DONE]")) {
            done = true;
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
      if (!done && !turn.finished()) {
        throw new IOException("the stream ended before a finish reason or [DONE]");
      }
      return errors.checked(turn.turn(), turn.problems());
    }
  }

  @Override
  public String toString() {
    return "OpenAiClient[" + endpoint + "]";
  }
}
