package dev.mason.databricks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mason.web.Json;
import io.javalin.Javalin;
import io.javalin.http.Context;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An in-process Databricks workspace for tests: real HTTP on 127.0.0.1 (port 0) speaking the REST
 * paths, JSON shapes and error bodies the Databricks tools use, driven by the real SDK client.
 *
 * <p>What it serves: SCIM Me; SQL warehouses and the Statement Execution API, run for real on an
 * embedded PostgreSQL started on first use (catalog {@code main} with schema {@code default};
 * PENDING, RUNNING, SUCCEEDED over successive polls; results in chunks of two rows); clusters,
 * node types, runtimes and Command Execution 1.2; Jobs 2.2 with runs and one-time runs; Pipelines
 * with updates and events; the workspace file tree; the Files API for volumes; Unity Catalog
 * objects and grants (the SQL catalog's schemas and tables are PostgreSQL's own); Genie; model
 * serving. Errors come as the workspace sends them: {@code {"error_code", "message"}} with 404,
 * 400, 409, 403 PERMISSION_DENIED ({@link #deny}), 429 with {@code Retry-After} ({@link #rateLimit}),
 * 401 for an unknown token.
 *
 * <p>Every API request is recorded with the bearer token it carried ({@link #requests()}), so a
 * test can prove which identity a call used; the public discovery documents the SDK reads first
 * are served without a token and not recorded.
 *
 * <p>Use: {@code FakeWorkspace.start()}, {@link #addUser} for each token, {@link #url()} as
 * DATABRICKS_HOST, setup through {@link #addWarehouse}, {@link #addCluster}, {@link #sql} and the
 * like, {@link #close()} at the end.
 *
 * <p>Thread-safe: handlers run concurrently on Javalin's virtual threads; all state is in
 * concurrent collections.
 */
public final class FakeWorkspace implements AutoCloseable {
  /**
   * One request as the fake received it, and when. {@code token} is the bearer token, or null;
   * {@code headers} are the request's headers with lower-case names.
   */
  public record Received(String method, String path, String query, String token, String body, Instant at, Map<String, String> headers) {
    public JsonNode json() {
      try {
        return Json.MAPPER.readTree(body);
      } catch (IOException e) {
        throw new AssertionError("not JSON: " + body, e);
      }
    }
  }

  private final Map<String, String> users = new ConcurrentHashMap<>();
  private final List<Received> received = new CopyOnWriteArrayList<>();
  private final Map<String, String> denials = new ConcurrentHashMap<>();
  private final Map<String, String> clientSecrets = new ConcurrentHashMap<>();
  private final AtomicInteger tokenGrants = new AtomicInteger();
  private final Map<String, AtomicInteger> rateLimits = new ConcurrentHashMap<>();
  private final FakeSqlEngine sqlEngine = new FakeSqlEngine("main");
  final FakeStatements statements = new FakeStatements(this, sqlEngine);
  final FakeCompute compute = new FakeCompute(this);
  final FakeJobs jobs = new FakeJobs(this);
  final FakePipelines pipelines = new FakePipelines(this);
  final FakeWorkspaceTree tree = new FakeWorkspaceTree(this);
  final FakeVolumes volumes = new FakeVolumes(this);
  final FakeCatalog catalog = new FakeCatalog(this, sqlEngine);
  final FakeGenie genie = new FakeGenie(this, sqlEngine);
  final FakeServing serving = new FakeServing(this);
  final FakeTokens tokens = new FakeTokens(this);
  final FakeModelEndpoints models = new FakeModelEndpoints();
  final FakeGovernance governance = new FakeGovernance(this);
  final FakeAiBi aibi = new FakeAiBi(this);
  final FakeVectorSearch vectorSearch = new FakeVectorSearch(this, sqlEngine);
  final FakeLakebase lakebase = new FakeLakebase(this);
  final FakeApps apps = new FakeApps(this);
  final FakeAgentBricks agentBricks = new FakeAgentBricks(this);
  private final Javalin app;

  private FakeWorkspace() {
    statements.governed = new FakeGovernedSql(catalog);
    app = Javalin.create(config -> {
      config.startup.showJavalinBanner = false;
      config.startup.showOldJavalinVersionWarning = false;
      config.concurrency.useVirtualThreads = true;
      config.http.maxRequestSize = 64L * 1024 * 1024;
      config.jetty.host = "127.0.0.1";
      config.jetty.port = 0;
      config.router.ignoreTrailingSlashes = true;
      config.routes.before(this::admit);
      config.routes.get("/.well-known/databricks-config", ctx -> ctx.json(object()
          .put("oidc_endpoint", url() + "/oidc").put("workspace_id", "1234567890123456").put("cloud", "aws")));
      config.routes.get("/oidc/.well-known/oauth-authorization-server", ctx -> ctx.json(object()
          .put("authorization_endpoint", url() + "/oidc/v1/authorize").put("token_endpoint", url() + "/oidc/v1/token")));
      config.routes.post("/oidc/v1/token", this::clientCredentials);
      config.routes.exception(FakeError.class, (e, ctx) -> error(ctx, e.status, e.code, e.getMessage()));
      config.routes.get("/api/2.0/preview/scim/v2/Me", this::me);
      statements.addTo(config.routes);
      compute.addTo(config.routes);
      jobs.addTo(config.routes);
      pipelines.addTo(config.routes);
      tree.addTo(config.routes);
      volumes.addTo(config.routes);
      catalog.addTo(config.routes);
      genie.addTo(config.routes);
      serving.addTo(config.routes);
      tokens.addTo(config.routes);
      models.addTo(config.routes, "/serving-endpoints/anthropic", "/serving-endpoints", "/serving-endpoints/google");
      governance.addTo(config.routes);
      aibi.addTo(config.routes);
      vectorSearch.addTo(config.routes);
      lakebase.addTo(config.routes);
      apps.addTo(config.routes);
      agentBricks.addTo(config.routes);
    });
  }

  public static FakeWorkspace start() {
    FakeWorkspace fake = new FakeWorkspace();
    fake.app.start();
    return fake;
  }

  /** The workspace URL to use as DATABRICKS_HOST. */
  public String url() {
    return "http://127.0.0.1:" + app.port();
  }

  /** Lets {@code token} in as {@code userName}; a request with an unknown token gets 401. */
  public FakeWorkspace addUser(String token, String userName) {
    users.put(token, userName);
    tree.mkdirs("/Users/" + userName);
    return this;
  }

  /**
   * A service principal that signs in with OAuth client credentials, as the SDK's oauth-m2m does
   * ({@code POST /oidc/v1/token}, the client's id and secret in Basic auth,
   * {@code grant_type=client_credentials}); the token it gets ({@link #servicePrincipalToken})
   * acts as {@code clientId}.
   */
  public FakeWorkspace addServicePrincipal(String clientId, String secret) {
    clientSecrets.put(clientId, secret);
    return this;
  }

  /** The access token the token endpoint hands {@code clientId}: the same on every sign-in, so a test can expect it. */
  public static String servicePrincipalToken(String clientId) {
    return "sp-access-" + clientId;
  }

  /**
   * An app as the Apps API shows it, created by {@code creator}, whose users grant it
   * {@code userApiScopes} (user authorization).
   */
  public FakeWorkspace addApp(String name, String creator, String... userApiScopes) {
    ObjectNode app = object().put("name", name).put("id", java.util.UUID.randomUUID().toString())
        .put("url", "https://" + name + "-1234567890.aws.databricksapps.com").put("creator", creator)
        .put("create_time", Instant.now().toString()).put("service_principal_name", "app-" + name);
    app.putObject("compute_status").put("state", "ACTIVE").put("message", "App compute is running.");
    app.putObject("app_status").put("state", "RUNNING").put("message", "App is running");
    var scopes = app.putArray("user_api_scopes");
    var effective = app.putArray("effective_user_api_scopes");
    for (String scope : userApiScopes) {
      scopes.add(scope);
      effective.add(scope);
    }
    apps.apps.put(name, app);
    return this;
  }

  /** The app as the Apps API would answer, or null when there is none. */
  public JsonNode app(String name) {
    return apps.apps.has(name) ? apps.apps.get(name).deepCopy() : null;
  }

  /** The bytes of a workspace file, or null when there is no file at {@code path}. */
  public byte[] workspaceFile(String path) {
    FakeWorkspaceTree.Node node = tree.node(path);
    return node == null ? null : node.content();
  }

  /** Answers 403 PERMISSION_DENIED to {@code token} for {@code method} requests under {@code prefix}. */
  public void deny(String token, String method, String prefix) {
    denials.put(token + " " + method + " " + prefix, prefix);
  }

  /** The client-credentials grant of a service principal {@link #addServicePrincipal added}; errors as an OAuth server sends them. */
  private void clientCredentials(Context ctx) {
    String authorization = ctx.header("Authorization");
    String clientId = ctx.formParam("client_id");
    String secret = ctx.formParam("client_secret");
    if (authorization != null && authorization.startsWith("Basic ")) {
      String[] pair = new String(java.util.Base64.getDecoder().decode(authorization.substring(6)), java.nio.charset.StandardCharsets.UTF_8)
          .split(":", 2);
      clientId = pair[0];
      secret = pair.length > 1 ? pair[1] : null;
    }
    if (!"client_credentials".equals(ctx.formParam("grant_type"))) {
      ctx.status(400).json(object().put("error", "unsupported_grant_type").put("error_description", "grant_type must be client_credentials"));
      return;
    }
    if (clientId == null || secret == null || !secret.equals(clientSecrets.get(clientId))) {
      ctx.status(401).json(object().put("error", "invalid_client").put("error_description", "Client authentication failed"));
      return;
    }
    String token = servicePrincipalToken(clientId);
    users.put(token, clientId);
    tokenGrants.incrementAndGet();
    ctx.json(object().put("access_token", token).put("token_type", "Bearer").put("expires_in", 3600).put("scope", "all-apis"));
  }

  /** How many access tokens the token endpoint handed out. */
  public int tokenGrants() {
    return tokenGrants.get();
  }

  /** A SQL warehouse as the warehouses API lists it; {@code state} RUNNING, STOPPED, STARTING, ... */
  public FakeWorkspace addWarehouse(String id, String name, String state, String creator) {
    statements.addWarehouse(id, name, state, creator);
    return this;
  }

  /** An all-purpose cluster (shared access mode) in {@code state} RUNNING, TERMINATED, ... */
  public FakeWorkspace addCluster(String id, String name, String state, String creator) {
    compute.addCluster(id, name, state, creator);
    return this;
  }

  /** Runs setup SQL (tables, rows) in the catalog {@code main} of the SQL engine, starting it if needed. */
  public FakeWorkspace sql(String... statements) {
    sqlEngine.setUp(statements);
    return this;
  }

  /** A Genie space that answers every question by running {@code sql}. */
  public FakeWorkspace addGenieSpace(String id, String sql) {
    genie.addSpace(id, sql);
    return this;
  }

  /** A serving endpoint; a task starting with llm/v1/chat makes a chat model that echoes the last message. */
  public FakeWorkspace addServingEndpoint(String name, String task) {
    serving.addEndpoint(name, task, name);
    return this;
  }

  /** Every request received so far, oldest first. */
  public List<Received> requests() {
    return List.copyOf(received);
  }

  /** The requests whose path starts with {@code prefix}. */
  public List<Received> requests(String prefix) {
    return received.stream().filter(r -> r.path().startsWith(prefix)).toList();
  }

  public void clearRequests() {
    received.clear();
  }

  /** Answers 403 PERMISSION_DENIED to {@code token} for every path starting with {@code prefix}. */
  public void deny(String token, String prefix) {
    denials.put(token + " " + prefix, prefix);
  }

  /** Lifts every {@link #deny}. */
  public void clearDenials() {
    denials.clear();
  }

  /** Answers the next {@code times} requests under {@code prefix} with 429 and {@code Retry-After: 1}. */
  public void rateLimit(String prefix, int times) {
    rateLimits.put(prefix, new AtomicInteger(times));
  }

  /** The user a token belongs to (one added, or one the Token API minted and that is still valid), or null. */
  String userOf(String token) {
    return token == null ? null : users.containsKey(token) ? users.get(token) : tokens.userOf(token, "");
  }

  /** The user of the request being handled (admitted, so known). */
  String user(Context ctx) {
    String token = token(ctx);
    return users.containsKey(token) ? users.get(token) : tokens.userOf(token, ctx.path());
  }

  /** The Token API's state: what was minted, deleted, and any use of a dead token. */
  public FakeTokens tokens() {
    return tokens;
  }

  /** The model endpoints under {@code /serving-endpoints}. */
  public FakeModelEndpoints models() {
    return models;
  }

  /** Checks the bearer token and records the request; discovery documents are public, as on a real workspace. */
  void admit(Context ctx) {
    if (ctx.path().startsWith("/.well-known/") || ctx.path().startsWith("/oidc/")) {
      return;
    }
    String token = token(ctx);
    String body = ctx.body();
    Map<String, String> headers = new java.util.TreeMap<>();
    ctx.headerMap().forEach((name, value) -> headers.put(name.toLowerCase(java.util.Locale.ROOT), value));
    received.add(new Received(ctx.method().name(), ctx.path(), ctx.queryString(), token, body, Instant.now(), headers));
    if (token == null || !users.containsKey(token) && tokens.userOf(token, ctx.path()) == null) {
      throw new FakeError(401, "UNAUTHENTICATED", "Invalid access token.");
    }
    for (var entry : denials.entrySet()) {
      String[] key = entry.getKey().split(" ");
      boolean methodMatches = key.length < 3 || key[1].equals(ctx.method().name());
      if (key[0].equals(token) && methodMatches && ctx.path().startsWith(entry.getValue())) {
        throw new FakeError(403, "PERMISSION_DENIED", "User " + userOf(token) + " does not have permission to access "
            + ctx.path() + ".");
      }
    }
    for (var entry : rateLimits.entrySet()) {
      if (ctx.path().startsWith(entry.getKey()) && entry.getValue().getAndDecrement() > 0) {
        ctx.header("Retry-After", "1");
        throw new FakeError(429, "REQUEST_LIMIT_EXCEEDED", "Too many requests, please retry later.");
      }
    }
  }

  private void me(Context ctx) {
    String user = user(ctx);
    ObjectNode me = Json.MAPPER.createObjectNode()
        .put("id", Integer.toString(Math.abs(user.hashCode())))
        .put("userName", user)
        .put("displayName", user.substring(0, user.indexOf('@') < 0 ? user.length() : user.indexOf('@')))
        .put("active", true);
    me.putArray("emails").addObject().put("value", user).put("primary", true);
    me.putArray("groups").addObject().put("display", "users").put("value", "1");
    ctx.json(me);
  }

  static String token(Context ctx) {
    String authorization = ctx.header("Authorization");
    return authorization != null && authorization.startsWith("Bearer ") ? authorization.substring(7) : null;
  }

  static void error(Context ctx, int status, String code, String message) {
    ctx.status(status).contentType("application/json")
        .result(Json.MAPPER.createObjectNode().put("error_code", code).put("message", message).toString());
  }

  /** The request body as JSON; an empty body is an empty object. */
  static ObjectNode body(Context ctx) {
    try {
      String body = ctx.body();
      return body.isBlank() ? Json.MAPPER.createObjectNode() : (ObjectNode) Json.MAPPER.readTree(body);
    } catch (IOException | ClassCastException e) {
      throw FakeError.invalid("Malformed request: " + e.getMessage());
    }
  }

  static ObjectNode object() {
    return Json.MAPPER.createObjectNode();
  }

  static List<JsonNode> list(JsonNode array) {
    List<JsonNode> items = new ArrayList<>();
    array.forEach(items::add);
    return items;
  }

  @Override
  public void close() {
    app.stop();
    sqlEngine.close();
  }
}
