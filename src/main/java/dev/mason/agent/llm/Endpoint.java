package dev.mason.agent.llm;

import java.net.URI;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;

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
  private static final String MASK = "****";
  private static final int MIN_SECRET_LENGTH = 4;
  /** Token shapes masked even when they are not ours (an API may echo a token it was sent). */
  private static final List<Pattern> TOKEN_SHAPES = List.of(
      Pattern.compile("dapi[0-9a-f]{32}(-\\d+)?"),
      Pattern.compile("sk-[A-Za-z0-9_\\-]{12,}"),
      Pattern.compile("eyJ[A-Za-z0-9_\\-]{8,}\\.[A-Za-z0-9_\\-]+\\.[A-Za-z0-9_\\-]+"));
  private static final Pattern BEARER = Pattern.compile("(?i)(bearer\\s+)[A-Za-z0-9._~+/=\\-]{8,}");

  Endpoint {
    Objects.requireNonNull(label, "label");
    baseUrl = baseUrl.replaceAll("/+$", "");
    headers = Map.copyOf(headers);
    // A credential shorter than this is a test value; masking it would garble ordinary words.
    secrets = secrets.stream().filter(s -> s != null && s.strip().length() >= MIN_SECRET_LENGTH).toList();
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
    if (text == null) {
      return null;
    }
    String result = text;
    for (String secret : secrets) {
      result = result.replace(secret, MASK);
    }
    for (Pattern shape : TOKEN_SHAPES) {
      result = shape.matcher(result).replaceAll(MASK);
    }
    return BEARER.matcher(result).replaceAll("$1" + MASK);
  }

  @Override
  public String toString() {
    return label + " (" + baseUrl + ", headers " + headers.keySet() + ")";
  }
}
