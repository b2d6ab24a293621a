package dev.mason.agent.llm;

import dev.mason.env.SecretText;
import java.net.URI;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Where a protocol is served and how to authenticate there.
 *
 * @param label how errors name it, e.g. {@code "Databricks workspace https://x.cloud.databricks.com"}
 * @param baseUrl without a trailing slash; the protocol appends its path
 * @param headers sent with every request, credentials included
 * @param secrets values that must never appear in an error message
 * @param databricks whether this is a Databricks serving endpoint (enables its protocol quirks)
 */
record Endpoint(String label, String baseUrl, Map<String, String> headers, List<String> secrets, boolean databricks) {
  Endpoint {
    Objects.requireNonNull(label, "label");
    baseUrl = baseUrl.replaceAll("/+$", "");
    headers = Map.copyOf(headers);
    secrets = SecretText.maskable(secrets);
  }

  HttpRequest.Builder post(String path, String jsonBody, Duration headersTimeout) {
    HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(baseUrl + path))
        .timeout(headersTimeout)
        .header("content-type", "application/json")
        .header("accept", "text/event-stream")
        .POST(HttpRequest.BodyPublishers.ofString(jsonBody));
    headers.forEach(builder::header);
    return builder;
  }

  /** The text with every credential of this endpoint, and anything shaped like a token, masked. */
  String redact(String text) {
    return SecretText.mask(text, secrets);
  }

  @Override
  public String toString() {
    return label + " (" + baseUrl + ", headers " + headers.keySet() + ")";
  }
}
