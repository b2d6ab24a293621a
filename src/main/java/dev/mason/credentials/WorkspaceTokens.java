package dev.mason.credentials;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mason.web.Json;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;

/**
 * The workspace calls the credential room makes: SCIM Me (whose token is this), and the Token API
 * (create, delete). Plain JSON over the JDK client with no retries of its own: the rotator decides
 * when to try again. Shapes are the SDK's {@code CreateTokenRequest}, {@code CreateTokenResponse}
 * ({@code token_value}, {@code token_info.token_id}, {@code expiry_time} in epoch milliseconds) and
 * {@code RevokeTokenRequest}. Error messages carry the workspace's own reason, never a token.
 */
final class WorkspaceTokens {
  private static final Duration TIMEOUT = Duration.ofSeconds(30);

  private final String host;
  private final HttpClient http;

  WorkspaceTokens(String host, HttpClient http) {
    this.host = host;
    this.http = http;
  }

  String host() {
    return host;
  }

  /** A token the workspace minted for Mason. */
  record Minted(String id, String value, Instant expiresAt) {
    @Override
    public String toString() {
      return "Minted[id=" + id + ", expiresAt=" + expiresAt + "]";
    }
  }

  /** The workspace refused or failed a call: {@code status} 0 means it could not be reached. */
  static final class WorkspaceCallException extends Exception {
    final int status;

    WorkspaceCallException(int status, String message, Throwable cause) {
      super(message, cause);
      this.status = status;
    }
  }

  /** The user name the token belongs to. */
  String userOf(String token) throws WorkspaceCallException {
    JsonNode me = call("GET", "/api/2.0/preview/scim/v2/Me", token, null);
    String user = me.path("userName").asText("");
    if (user.isBlank()) {
      throw new WorkspaceCallException(502, "the workspace's SCIM Me answer has no userName", null);
    }
    return user;
  }

  Minted create(String token, Duration lifetime, String comment) throws WorkspaceCallException {
    ObjectNode request = Json.MAPPER.createObjectNode().put("lifetime_seconds", Math.max(1, lifetime.toSeconds())).put("comment", comment);
    JsonNode answer = call("POST", "/api/2.0/token/create", token, request);
    String value = answer.path("token_value").asText("");
    String id = answer.path("token_info").path("token_id").asText("");
    if (value.isEmpty() || id.isEmpty()) {
      throw new WorkspaceCallException(502, "the workspace's token/create answer has no token_value or token_id", null);
    }
    long expiry = answer.path("token_info").path("expiry_time").asLong(-1);
    Instant expiresAt = expiry > 0 ? Instant.ofEpochMilli(expiry) : Instant.now().plus(lifetime);
    return new Minted(id, value, expiresAt);
  }

  void delete(String token, String tokenId) throws WorkspaceCallException {
    call("POST", "/api/2.0/token/delete", token, Json.MAPPER.createObjectNode().put("token_id", tokenId));
  }

  private JsonNode call(String method, String path, String token, ObjectNode body) throws WorkspaceCallException {
    HttpRequest request = HttpRequest.newBuilder(URI.create(host + path))
        .timeout(TIMEOUT)
        .header("Authorization", "Bearer " + token)
        .header("Accept", "application/json")
        .header("Content-Type", "application/json")
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body.toString()))
        .build();
    HttpResponse<String> response;
    try {
      response = http.send(request, HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new WorkspaceCallException(0, host + " could not be reached: " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new WorkspaceCallException(0, "interrupted while calling " + host, e);
    }
    JsonNode answer = parse(response.body());
    if (response.statusCode() / 100 != 2) {
      String reason = answer.path("message").asText("");
      String code = answer.path("error_code").asText("");
      throw new WorkspaceCallException(response.statusCode(), "the workspace answered " + response.statusCode()
          + (code.isEmpty() ? "" : " " + code) + (reason.isEmpty() ? "" : ": " + reason), null);
    }
    return answer;
  }

  private static JsonNode parse(String body) {
    try {
      return body == null || body.isBlank() ? Json.MAPPER.createObjectNode() : Json.MAPPER.readTree(body);
    } catch (IOException e) {
      return Json.MAPPER.createObjectNode();
    }
  }
}
