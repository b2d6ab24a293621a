package dev.mason.testing;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mason.web.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/** A small HTTP client for tests: JSON in, {@link Response} out, fixed headers on every request. */
public final class Api {
  private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  private final String base;
  private final Map<String, String> headers;

  public Api(String base, Map<String, String> headers) {
    this.base = base;
    this.headers = headers;
  }

  /** This client with one more header on every request. */
  public Api withHeader(String name, String value) {
    Map<String, String> more = new HashMap<>(headers);
    more.put(name, value);
    return new Api(base, more);
  }

  public Response get(String path) {
    return send("GET", path, null);
  }

  public Response post(String path, String json) {
    return send("POST", path, json);
  }

  public Response patch(String path, String json) {
    return send("PATCH", path, json);
  }

  public Response put(String path, String json) {
    return send("PUT", path, json);
  }

  public Response delete(String path) {
    return send("DELETE", path, null);
  }

  public Response send(String method, String path, String body) {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path))
        .timeout(Duration.ofSeconds(30))
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
    if (body != null) {
      request.header("Content-Type", "application/json");
    }
    headers.forEach(request::header);
    try {
      HttpResponse<String> response = CLIENT.send(request.build(), HttpResponse.BodyHandlers.ofString());
      return new Response(response.statusCode(), response.body(), response.headers());
    } catch (IOException e) {
      throw new UncheckedIOException(method + " " + path + " failed", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** A response; {@link #json()} parses the body. */
  public record Response(int status, String body, HttpHeaders headers) {
    public JsonNode json() {
      try {
        return Json.MAPPER.readTree(body);
      } catch (IOException e) {
        throw new AssertionError("not JSON (status " + status + "): " + body, e);
      }
    }

    @Override
    public String toString() {
      return status + " " + body;
    }
  }
}
