package dev.mason.agent.llm;

import dev.mason.agent.tool.Cancellation;
import dev.mason.web.Json;
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
final class OpenAiClient extends StreamingClient {
  private static final Logger LOG = LoggerFactory.getLogger(OpenAiClient.class);

  private final String maxTokensField;
  /** Cleared, once and for all, when the endpoint refuses {@code stream_options}. */
  private final AtomicBoolean sendStreamOptions = new AtomicBoolean(true);

  OpenAiClient(Endpoint endpoint, String credentialHint, HttpClient http, RetryPolicy retry, Duration headersTimeout, Duration idleTimeout) {
    super(endpoint, credentialHint, http, retry, headersTimeout, idleTimeout);
    this.maxTokensField = endpoint.baseUrl().contains("://api.openai.com") ? "max_completion_tokens" : "max_tokens";
  }

  @Override
  public ModelTurn stream(ModelRequest request, StreamListener listener, Cancellation cancellation) throws ModelException {
    boolean withUsage = sendStreamOptions.get();
    try {
      return call(request, request(request, withUsage), listener, cancellation);
    } catch (ModelException e) {
      boolean refusedStreamOptions = withUsage && e.status() == 400 && e.getMessage().contains("stream_options");
      if (!refusedStreamOptions || !sendStreamOptions.compareAndSet(true, false)) {
        throw e;
      }
      LOG.info("{} refuses stream_options; asking without it from now on", endpoint.label());
      return call(request, request(request, false), listener, cancellation);
    }
  }

  private HttpRequest request(ModelRequest request, boolean withUsage) {
    return endpoint.post("/chat/completions", Json.write(OpenAiRequestBody.of(request, maxTokensField, withUsage)), headersTimeout).build();
  }

  @Override
  TurnAssembler assembler(StreamListener listener) {
    return new OpenAiTurnAssembler(listener);
  }

  @Override
  public String toString() {
    return "OpenAiClient[" + endpoint + "]";
  }
}
