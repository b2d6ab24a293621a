package dev.mason.identity;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.mason.web.Json;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A Databricks workspace in the test's process, speaking the REST API's wire format for what the
 * spine calls: SCIM Me, Lakebase instance lookup and database credentials, the Apps API's app, and
 * the OAuth machine-to-machine flow a service principal signs in with (the OIDC discovery document
 * and the token endpoint, as databricks-sdk-java's {@code OAuthM2MServicePrincipalCredentialsProvider}
 * and {@code ClientCredentials} call them). Counts every call.
 *
 * <p>Tokens it knows map to users; any other bearer token is rejected as the workspace does
 * (401, {@code {"error_code", "message"}}). Thread-safe: handlers run on the server's threads.
 */
public final class FakeWorkspace implements AutoCloseable {
  public static final String SCIM_ME = "/api/2.0/preview/scim/v2/Me";
  public static final String CREDENTIALS = "/api/2.0/database/credentials";
  public static final String HOST_METADATA = "/.well-known/databricks-config";
  public static final String OIDC_DISCOVERY = "/oidc/.well-known/oauth-authorization-server";
  public static final String OIDC_TOKEN = "/oidc/v1/token";
  public static final String APPS = "/api/2.0/apps/";

  /** A workspace user as SCIM shows it. */
  public record User(String userName, String displayName) {}

  private final HttpServer server;
  private final Map<String, User> usersByToken = new ConcurrentHashMap<>();
  private final Map<String, AtomicInteger> calls = new ConcurrentHashMap<>();
  private final List<String> authorizations = new CopyOnWriteArrayList<>();
  private final List<JsonNode> credentialRequests = new CopyOnWriteArrayList<>();
  private final Map<String, String> instanceHosts = new ConcurrentHashMap<>();
  private final Map<String, Integer> failures = new ConcurrentHashMap<>();
  private volatile Duration credentialLifetime = Duration.ofHours(1);
  private final Map<String, String> appCreators = new ConcurrentHashMap<>();
  private final Map<String, String> clientSecrets = new ConcurrentHashMap<>();
  private final AtomicInteger appsFailuresLeft = new AtomicInteger();
  private final List<String> tokenRequests = new CopyOnWriteArrayList<>();

  private FakeWorkspace(HttpServer server) {
    this.server = server;
  }

  public static FakeWorkspace start() {
    try {
      HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
      server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
      FakeWorkspace fake = new FakeWorkspace(server);
      server.createContext("/", fake::handle);
      server.start();
      return fake;
    } catch (IOException e) {
      throw new IllegalStateException("cannot start the fake workspace", e);
    }
  }

  public String url() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  public FakeWorkspace withUser(String token, String userName, String displayName) {
    usersByToken.put(token, new User(userName, displayName));
    return this;
  }

  /** Requests with {@code token} fail with {@code status} and a workspace error body. */
  public FakeWorkspace failingFor(String token, int status) {
    failures.put(token, status);
    return this;
  }

  /** An app, created by {@code creator}, as the Apps API shows it. */
  public FakeWorkspace withApp(String name, String creator) {
    appCreators.put(name, creator);
    return this;
  }

  /** A service principal that signs in with OAuth client credentials; its access tokens act as {@code applicationId}. */
  public FakeWorkspace withServicePrincipal(String clientId, String clientSecret) {
    clientSecrets.put(clientId, clientSecret);
    return this;
  }

  /** The next {@code times} Apps API calls answer 503, as a workspace that is having trouble does. */
  public FakeWorkspace failAppsApi(int times) {
    appsFailuresLeft.set(times);
    return this;
  }

  /** The bodies of the token requests, form-encoded as sent. */
  public List<String> tokenRequests() {
    return List.copyOf(tokenRequests);
  }

  public FakeWorkspace withLakebaseInstance(String name, String readWriteDns) {
    instanceHosts.put(name, readWriteDns);
    return this;
  }

  /** How long the database credentials it hands out are valid. */
  public void credentialLifetime(Duration lifetime) {
    this.credentialLifetime = lifetime;
  }

  /** How many times {@code "GET /api/..."} was called. */
  public int calls(String methodAndPath) {
    AtomicInteger count = calls.get(methodAndPath);
    return count == null ? 0 : count.get();
  }

  public List<String> authorizations() {
    return List.copyOf(authorizations);
  }

  public List<JsonNode> credentialRequests() {
    return List.copyOf(credentialRequests);
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      String method = exchange.getRequestMethod();
      String path = exchange.getRequestURI().getPath();
      calls.computeIfAbsent(method + " " + path, k -> new AtomicInteger()).incrementAndGet();
      String authorization = exchange.getRequestHeaders().getFirst("Authorization");
      authorizations.add(authorization == null ? "" : authorization);
      String token = authorization != null && authorization.startsWith("Bearer ") ? authorization.substring(7) : null;
      byte[] body = exchange.getRequestBody().readAllBytes();

      if (method.equals("GET") && path.equals(HOST_METADATA)) {
        // Unauthenticated, as on a real workspace: clients read it before they authenticate.
        reply(exchange, 200, Map.of("oidc_endpoint", url() + "/oidc", "workspace_id", "1234567890123456", "cloud", "aws"));
        return;
      }
      if (method.equals("GET") && path.equals(OIDC_DISCOVERY)) {
        reply(exchange, 200, Map.of("issuer", url() + "/oidc", "authorization_endpoint", url() + "/oidc/v1/authorize",
            "token_endpoint", url() + OIDC_TOKEN, "grant_types_supported", List.of("client_credentials", "authorization_code")));
        return;
      }
      if (method.equals("POST") && path.equals(OIDC_TOKEN)) {
        token(exchange, authorization, new String(body, StandardCharsets.UTF_8));
        return;
      }
      if (token != null && failures.containsKey(token)) {
        reply(exchange, failures.get(token), Map.of("error_code", "INTERNAL_ERROR", "message", "the workspace is having a bad day"));
        return;
      }
      User user = token == null ? null : usersByToken.get(token);
      if (user == null) {
        reply(exchange, 401, Map.of("error_code", "UNAUTHENTICATED", "message", "Invalid access token."));
        return;
      }
      if (method.equals("GET") && path.equals(SCIM_ME)) {
        reply(exchange, 200, Map.of(
            "schemas", List.of("urn:ietf:params:scim:schemas:core:2.0:User"),
            "id", Long.toString(Math.abs((long) user.userName().hashCode()) + 1_000_000_000L),
            "userName", user.userName(),
            "displayName", user.displayName(),
            "active", true,
            "emails", List.of(Map.of("value", user.userName(), "type", "work", "primary", true))));
      } else if (method.equals("GET") && path.startsWith("/api/2.0/database/instances/")) {
        String name = path.substring("/api/2.0/database/instances/".length());
        String host = instanceHosts.get(name);
        if (host == null) {
          reply(exchange, 404, Map.of("error_code", "RESOURCE_DOES_NOT_EXIST", "message", "Database instance '" + name + "' does not exist."));
        } else {
          reply(exchange, 200, Map.of("name", name, "state", "AVAILABLE", "read_write_dns", host, "pg_version", "PG_VERSION_16"));
        }
      } else if (method.equals("GET") && path.startsWith(APPS)) {
        String name = path.substring(APPS.length());
        if (appsFailuresLeft.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
          reply(exchange, 503, Map.of("error_code", "TEMPORARILY_UNAVAILABLE", "message", "The service is temporarily unavailable."));
        } else if (!appCreators.containsKey(name)) {
          reply(exchange, 404, Map.of("error_code", "RESOURCE_DOES_NOT_EXIST", "message", "App with name " + name + " does not exist."));
        } else {
          reply(exchange, 200, Map.of("name", name, "creator", appCreators.get(name),
              "url", "https://" + name + "-1234567890123456.aws.databricksapps.com",
              "service_principal_client_id", clientSecrets.keySet().stream().findFirst().orElse(""),
              "compute_status", Map.of("state", "ACTIVE"), "app_status", Map.of("state", "RUNNING")));
        }
      } else if (method.equals("POST") && path.equals(CREDENTIALS)) {
        credentialRequests.add(Json.MAPPER.readTree(body));
        reply(exchange, 200, Map.of("token", "db-token-" + UUID.randomUUID(),
            "expiration_time", Instant.now().plus(credentialLifetime).toString()));
      } else {
        reply(exchange, 404, Map.of("error_code", "ENDPOINT_NOT_FOUND", "message", "No API found for '" + method + " " + path + "'"));
      }
    }
  }

  /** The client-credentials grant: the client's id and secret in Basic auth, as the SDK sends them (AuthParameterPosition.HEADER). */
  private void token(HttpExchange exchange, String authorization, String form) throws IOException {
    tokenRequests.add(form);
    String clientId = null;
    String secret = null;
    if (authorization != null && authorization.startsWith("Basic ")) {
      String[] pair = new String(Base64.getDecoder().decode(authorization.substring(6)), StandardCharsets.UTF_8).split(":", 2);
      clientId = pair[0];
      secret = pair.length > 1 ? pair[1] : null;
    }
    if (!form.contains("grant_type=client_credentials")) {
      reply(exchange, 400, Map.of("error", "unsupported_grant_type", "error_description", "grant_type must be client_credentials"));
      return;
    }
    if (clientId == null || secret == null || !secret.equals(clientSecrets.get(clientId))) {
      reply(exchange, 401, Map.of("error", "invalid_client", "error_description", "Client authentication failed"));
      return;
    }
    String accessToken = "sp-token-" + UUID.randomUUID();
    usersByToken.put(accessToken, new User(clientId, "Service principal " + clientId));
    reply(exchange, 200, Map.of("access_token", accessToken, "token_type", "Bearer", "expires_in", 3600, "scope", "all-apis"));
  }

  private static void reply(HttpExchange exchange, int status, Object body) throws IOException {
    byte[] bytes = Json.write(body).getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", "application/json");
    exchange.sendResponseHeaders(status, bytes.length);
    exchange.getResponseBody().write(bytes);
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
