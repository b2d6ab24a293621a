package dev.mason.agent.llm;

import dev.mason.agent.tool.Cancellation;
import dev.mason.web.Json;
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
final class AnthropicClient extends StreamingClient {
  static final String API_VERSION = "2023-06-01";

  AnthropicClient(Endpoint endpoint, String credentialHint, HttpClient http, RetryPolicy retry, Duration headersTimeout, Duration idleTimeout) {
    super(endpoint, credentialHint, http, retry, headersTimeout, idleTimeout);
  }

  @Override
  public ModelTurn stream(ModelRequest request, StreamListener listener, Cancellation cancellation) throws ModelException {
    HttpRequest httpRequest = endpoint.post("/v1/messages", Json.write(AnthropicRequestBody.of(request)), headersTimeout)
        .header("anthropic-version", API_VERSION)
        .build();
    return call(request, httpRequest, listener, cancellation);
  }

  @Override
  TurnAssembler assembler(StreamListener listener) {
    return new AnthropicTurnAssembler(listener);
  }

  @Override
  public String toString() {
    return "AnthropicClient[" + endpoint + "]";
  }
}
