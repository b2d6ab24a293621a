package dev.mason.agent.llm;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.mason.web.Json;
import java.io.EOFException;
import java.io.IOException;
import java.net.ConnectException;
import java.net.UnknownHostException;
import java.net.http.HttpTimeoutException;
import java.nio.channels.ClosedChannelException;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import javax.net.ssl.SSLException;

/**
 * Turns a model API's errors (an HTTP status with its body, or an error event inside a stream) into
 * {@link ModelException}s that quote the API's own message, name the model and endpoint, and have
 * every credential masked.
 *
 * <p>Retryable: 408, 409, 429 and 5xx (529 is Anthropic's "overloaded"), and the error types
 * {@code overloaded_error}, {@code api_error}, {@code rate_limit_error} and {@code timeout_error}.
 * Everything else (400, 401, 403, 404, ...) is final.
 */
final class ApiErrors {
  private static final int MAX_QUOTE = 1_000;
  private static final Set<Integer> RETRYABLE_STATUS = Set.of(408, 409, 429);
  private static final Set<String> RETRYABLE_TYPES = Set.of(
      "overloaded_error", "api_error", "rate_limit_error", "timeout_error",
      "server_error", "rate_limit_exceeded", "service_unavailable", "TEMPORARILY_UNAVAILABLE", "REQUEST_LIMIT_EXCEEDED");

  private final Endpoint endpoint;
  private final String model;
  /** The environment variable holding the credential, for the hint on 401/403. */
  private final String credentialHint;

  ApiErrors(Endpoint endpoint, String model, String credentialHint) {
    this.endpoint = endpoint;
    this.model = model;
    this.credentialHint = credentialHint;
  }

  ModelException fromStatus(int status, String body, Duration retryAfter) {
    JsonNode json = parse(body);
    String type = errorType(json);
    String message = json == null ? plainText(body) : errorMessage(json);
    boolean retryable = status >= 500 || RETRYABLE_STATUS.contains(status) || (type != null && RETRYABLE_TYPES.contains(type));
    String text = "model " + model + " at " + endpoint.label() + " answered " + status
        + (type == null ? "" : " " + type) + (message.isEmpty() ? "" : ": " + message) + hint(status);
    return new ModelException(endpoint.redact(text), status, type, retryable, retryAfter, null);
  }

  /** An error that arrived inside a 200 stream (Anthropic's {@code error} event, an OpenAI error chunk). */
  ModelException fromEvent(JsonNode event, Duration retryAfter) {
    String type = errorType(event);
    String message = errorMessage(event);
    int status = event.path("error").path("code").isInt() ? event.path("error").path("code").asInt() : 0;
    boolean retryable = (type != null && RETRYABLE_TYPES.contains(type)) || status == 429 || status >= 500;
    String text = "model " + model + " at " + endpoint.label() + " failed mid-stream"
        + (type == null ? "" : " with " + type) + (message.isEmpty() ? "" : ": " + message);
    return new ModelException(endpoint.redact(text), status, type, retryable, retryAfter, null);
  }

  /** A 200 whose body is JSON rather than an event stream. */
  ModelException notAStream(String body) {
    JsonNode json = parse(body);
    String message = json == null ? plainText(body) : errorMessage(json);
    return badTurn("answered with JSON instead of an event stream" + (message.isEmpty() ? "" : ": " + message));
  }

  /** A streamed event's JSON, or a {@link #badTurn} naming what arrived instead. */
  JsonNode parseEvent(String data) throws ModelException {
    try {
      return Json.MAPPER.readTree(data);
    } catch (JsonProcessingException e) {
      throw badTurn("sent an event that is not JSON: " + (data.length() > 200 ? data.substring(0, 200) + "…" : data));
    }
  }

  /** {@code turn}, or a {@link #badTurn} when assembling it found problems. */
  ModelTurn checked(ModelTurn turn, List<String> problems) throws ModelException {
    if (!problems.isEmpty()) {
      throw badTurn(String.join("; ", problems));
    }
    return turn;
  }

  /** A turn the stream delivered but that cannot be used, e.g. tool input that is not JSON. */
  ModelException badTurn(String problem) {
    return new ModelException(endpoint.redact("model " + model + " at " + endpoint.label() + " " + problem), 0, null, false, null, null);
  }

  ModelException gaveUp(int attempts, String lastReason, Throwable cause) {
    return new ModelException(endpoint.redact("gave up after " + attempts + " attempts: " + lastReason), 0, null, false, null, cause);
  }

  ModelException exhausted(int attempts, ModelException last) {
    return new ModelException(endpoint.redact(last.getMessage() + " (gave up after " + attempts + " attempts)"),
        last.status(), last.errorType(), last.retryable(), null, last);
  }

  /** Describes a dropped connection for a retry notice or final error. */
  String connectionLost(IOException e) {
    return endpoint.redact("model " + model + ": connection to " + endpoint.label() + " lost: " + describe(e));
  }

  /** The failure and its causes, most specific last, e.g. "closed: EOF reached while reading". */
  private static String describe(Throwable e) {
    StringBuilder text = new StringBuilder();
    for (Throwable t = e; t != null && text.length() < 300; t = t.getCause() == t ? null : t.getCause()) {
      String message = t.getMessage() == null || t.getMessage().isBlank() ? inWords(t) : t.getMessage();
      if (text.indexOf(message) < 0) {
        text.append(text.isEmpty() ? "" : ": ").append(message);
      }
    }
    return text.toString();
  }

  /** A failure without a message, said in words rather than by its Java class name. */
  private static String inWords(Throwable t) {
    return switch (t) {
      case ClosedChannelException ignored -> "the connection was closed";
      case EOFException ignored -> "the stream ended before the answer did";
      case ConnectException ignored -> "the connection was refused";
      case HttpTimeoutException ignored -> "it timed out";
      case UnknownHostException ignored -> "the host name is unknown";
      case SSLException ignored -> "the TLS handshake failed";
      case IOException ignored -> "a network error";
      default -> "an unexpected error";
    };
  }

  private String hint(int status) {
    return switch (status) {
      case 401, 403 -> " (check " + credentialHint + ")";
      case 404 -> " (is '" + model + "' the name of a model or serving endpoint there?)";
      default -> "";
    };
  }

  private static JsonNode parse(String body) {
    if (body == null || body.isBlank()) {
      return null;
    }
    try {
      JsonNode node = Json.MAPPER.readTree(body);
      return node != null && node.isObject() ? node : null;
    } catch (IOException notJson) {
      return null;
    }
  }

  /** Anthropic and OpenAI: {@code error.type} (or {@code error.code}); Databricks: {@code error_code}. */
  private static String errorType(JsonNode json) {
    if (json == null) {
      return null;
    }
    JsonNode error = json.path("error");
    for (JsonNode candidate : new JsonNode[] {error.path("type"), error.path("code"), json.path("error_code")}) {
      if (candidate.isTextual() && !candidate.asText().isBlank()) {
        return candidate.asText();
      }
    }
    return null;
  }

  private static String errorMessage(JsonNode json) {
    JsonNode error = json.path("error");
    for (JsonNode candidate : new JsonNode[] {error.path("message"), error, json.path("message"), json.path("detail")}) {
      if (candidate.isTextual() && !candidate.asText().isBlank()) {
        return quote(candidate.asText());
      }
    }
    return quote(json.toString());
  }

  private static String plainText(String body) {
    if (body == null || body.isBlank()) {
      return "";
    }
    String trimmed = body.strip();
    if (trimmed.startsWith("<")) {
      return "(an HTML error page)";
    }
    return quote(trimmed);
  }

  private static String quote(String text) {
    String oneLine = text.replaceAll("\\s+", " ").strip();
    return oneLine.length() <= MAX_QUOTE ? oneLine : oneLine.substring(0, MAX_QUOTE) + "…";
  }
}
