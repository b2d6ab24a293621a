package dev.mason.tracing;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mason.web.Json;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Finds an MLflow experiment by name through MLflow's REST API, and creates it when it is missing,
 * with the token given (the user's, so the experiment is theirs).
 *
 * <p>{@code GET /api/2.0/mlflow/experiments/get-by-name?experiment_name=…} answers
 * {@code {"experiment": {"experiment_id": …}}}, or 404 with {@code RESOURCE_DOES_NOT_EXIST};
 * {@code POST /api/2.0/mlflow/experiments/create} with {@code {"name": …}} answers
 * {@code {"experiment_id": …}}, or {@code RESOURCE_ALREADY_EXISTS} when another client was quicker.
 *
 * <p>Concurrency: ids found are kept in a concurrent map; two threads resolving the same new
 * name at once may both ask, and the loser of the create finds the winner's experiment.
 */
final class Experiments {
  private static final Duration TIMEOUT = Duration.ofSeconds(10);

  private final TrackingServer server;
  private final HttpClient http;
  private final Map<String, String> ids = new ConcurrentHashMap<>();

  Experiments(TrackingServer server, HttpClient http) {
    this.server = server;
    this.http = http;
  }

  /** The id of the experiment, when it has been found before. */
  Optional<String> known(String name) {
    return Optional.ofNullable(ids.get(name));
  }

  /**
   * The id of the experiment {@code name}, created when missing.
   *
   * @param token the bearer token of the requests, or null for none
   * @throws TracingException naming the experiment, the server and what it answered
   */
  String idOf(String name, String token) {
    String known = ids.get(name);
    if (known != null) {
      return known;
    }
    String id = find(name, token).orElseGet(() -> create(name, token));
    ids.put(name, id);
    return id;
  }

  private Optional<String> find(String name, String token) {
    HttpResponse<String> response = send(HttpRequest.newBuilder(URI.create(server.baseUrl()
        + "/api/2.0/mlflow/experiments/get-by-name?experiment_name=" + URLEncoder.encode(name, StandardCharsets.UTF_8)))
        .GET(), token, name);
    if (response.statusCode() == 404 || errorCode(response).equals("RESOURCE_DOES_NOT_EXIST")) {
      return Optional.empty();
    }
    if (response.statusCode() != 200) {
      throw failure("finding", name, response);
    }
    String id = parse(response).path("experiment").path("experiment_id").asText("");
    if (id.isEmpty()) {
      throw new TracingException("finding the MLflow experiment " + name + " at " + server.describe()
          + ": the answer has no experiment.experiment_id");
    }
    return Optional.of(id);
  }

  private String create(String name, String token) {
    String body = Json.MAPPER.createObjectNode().put("name", name).toString();
    HttpResponse<String> response = send(HttpRequest.newBuilder(URI.create(server.baseUrl() + "/api/2.0/mlflow/experiments/create"))
        .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)), token, name);
    if (errorCode(response).equals("RESOURCE_ALREADY_EXISTS")) {
      return find(name, token).orElseThrow(() -> failure("creating", name, response));
    }
    if (response.statusCode() != 200) {
      throw failure("creating", name, response);
    }
    String id = parse(response).path("experiment_id").asText("");
    if (id.isEmpty()) {
      throw new TracingException("creating the MLflow experiment " + name + " at " + server.describe()
          + ": the answer has no experiment_id");
    }
    return id;
  }

  private HttpResponse<String> send(HttpRequest.Builder request, String token, String name) {
    request.timeout(TIMEOUT);
    if (token != null) {
      request.header("Authorization", "Bearer " + token);
    }
    try {
      return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new TracingException("reaching " + server.describe() + " for the experiment " + name + ": " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new TracingException("interrupted while asking " + server.describe() + " for the experiment " + name, e);
    }
  }

  private static String errorCode(HttpResponse<String> response) {
    return response.statusCode() == 200 ? "" : parse(response).path("error_code").asText("");
  }

  private static JsonNode parse(HttpResponse<String> response) {
    try {
      return Json.MAPPER.readTree(response.body());
    } catch (IOException e) {
      return Json.MAPPER.missingNode();
    }
  }

  private TracingException failure(String doing, String name, HttpResponse<String> response) {
    JsonNode error = parse(response);
    String message = error.path("message").asText("");
    return new TracingException(doing + " the MLflow experiment " + name + " at " + server.describe() + ": HTTP "
        + response.statusCode() + (error.has("error_code") ? " " + error.path("error_code").asText() : "")
        + (message.isEmpty() ? "" : " (" + message + ")"));
  }
}
