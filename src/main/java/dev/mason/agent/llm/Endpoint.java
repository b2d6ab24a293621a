package dev.mason.agent.llm;

import dev.mason.env.SecretText;
import java.net.URI;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * Where a protocol is served and how to authenticate there.
 *
 * @param label how errors name it, e.g. {@code "Databricks workspace https://x.cloud.databricks.com"}
 * @param baseUrl without a trailing slash; the protocol appends its path
 * @param headers sent with every request, credentials included
 * @param secrets values that must never appear in an error message
 * @param databricks whether this is a Databricks serving endpoint (enables its protocol quirks)
 * @param bearer the bearer token, asked for on every request (an OAuth token that the SDK renews,
 *     or a user's own), or null when {@code headers} carry the credential
 */
record Endpoint(String label, String baseUrl, Map<String, String> headers, List<String> secrets, boolean databricks,
    Supplier<String> bearer) {
  /** The placeholder of a workspace endpoint whose bearer token the router binds ({@link ModelRouter}). */
  static final Supplier<String> WORKSPACE_BEARER = () -> {
    throw new IllegalStateException("no workspace credential is bound to this endpoint");
  };

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
    if (bearer != null) {
      builder.header("authorization", "Bearer " + bearer.get());
    }
    return builder;
  }

  /** The headers a request carries now, the bound bearer token (asked for at this moment) included. */
  Map<String, String> headersNow() {
    if (bearer == null) {
      return headers;
    }
    Map<String, String> now = new java.util.LinkedHashMap<>(headers);
    now.put("authorization", "Bearer " + bearer.get());
    return Map.copyOf(now);
  }

  /** This endpoint with its bearer token from {@code source}, when it is a workspace endpoint waiting for one. */
  Endpoint bound(Supplier<String> source) {
    return bearer == null ? this : new Endpoint(label, baseUrl, headers, secrets, databricks, source);
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
