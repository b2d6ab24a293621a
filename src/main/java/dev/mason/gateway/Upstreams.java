package dev.mason.gateway;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where each protocol's requests go: the workspace's AI Gateway when there is one, else the
 * workspace's serving endpoints. Decided once at start.
 *
 * <table>
 *   <caption>Upstream base URL per protocol</caption>
 *   <tr><th>protocol</th><th>AI Gateway</th><th>serving endpoints</th></tr>
 *   <tr><td>Anthropic</td><td>{@code <gw>/anthropic}</td><td>{@code <host>/serving-endpoints/anthropic}</td></tr>
 *   <tr><td>OpenAI</td><td>{@code <gw>/openai/v1}</td><td>{@code <host>/serving-endpoints}</td></tr>
 *   <tr><td>Gemini</td><td>{@code <gw>/gemini}</td><td>{@code <host>/serving-endpoints/google}</td></tr>
 * </table>
 *
 * @param aiGateway the AI Gateway's URL, or null when requests go to the serving endpoints
 */
record Upstreams(String host, String aiGateway) {
  private static final Logger log = LoggerFactory.getLogger(Upstreams.class);
  static final Duration PROBE_TIMEOUT = Duration.ofSeconds(2);

  String base(GatewayApi api) {
    return switch (api) {
      case ANTHROPIC -> aiGateway != null ? aiGateway + "/anthropic" : host + "/serving-endpoints/anthropic";
      case OPENAI -> aiGateway != null ? aiGateway + "/openai/v1" : host + "/serving-endpoints";
      case GEMINI -> aiGateway != null ? aiGateway + "/gemini" : host + "/serving-endpoints/google";
    };
  }

  /**
   * {@code DATABRICKS_GATEWAY_HOST} when set, trusted without a probe; else the address the
   * workspace id gives ({@code https://<id>.ai-gateway.cloud.databricks.com} unless
   * {@link GatewaySettings#discoveryTemplate} says otherwise), used when it answers
   * anything at all within {@link #PROBE_TIMEOUT}; else none.
   */
  static Upstreams resolve(String host, GatewaySettings settings, HttpClient http) {
    if (settings.aiGatewayHost() != null) {
      return new Upstreams(host, settings.aiGatewayHost());
    }
    if (settings.workspaceId() == null || !settings.workspaceId().matches("[0-9A-Za-z-]+")) {
      return new Upstreams(host, null);
    }
    String candidate = settings.discovered();
    try {
      http.send(HttpRequest.newBuilder(URI.create(candidate)).timeout(PROBE_TIMEOUT).GET().build(), HttpResponse.BodyHandlers.discarding());
      log.info("Model gateway: using the AI Gateway at {}", candidate);
      return new Upstreams(host, candidate);
    } catch (java.io.IOException e) {
      log.info("Model gateway: no AI Gateway at {} ({}); using the serving endpoints", candidate, e.toString());
      return new Upstreams(host, null);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new Upstreams(host, null);
    }
  }
}
