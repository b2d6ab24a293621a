package dev.mason.databricks;

import com.databricks.sdk.WorkspaceClient;
import com.databricks.sdk.core.ApiClient;
import com.databricks.sdk.core.CredentialsProvider;
import com.databricks.sdk.core.DatabricksConfig;
import com.databricks.sdk.core.DatabricksError;
import com.databricks.sdk.core.DatabricksException;
import com.databricks.sdk.core.HeaderFactory;
import com.databricks.sdk.service.database.DatabaseCredential;
import com.databricks.sdk.service.database.GenerateDatabaseCredentialRequest;
import com.databricks.sdk.service.iam.MeRequest;
import dev.mason.common.Causes;
import dev.mason.identity.AppDirectory;
import dev.mason.identity.Caller;
import dev.mason.identity.TokenSuccession;
import dev.mason.identity.UserDirectory;
import dev.mason.store.CloudCredentials;
import dev.mason.store.DatabaseEndpoint;
import dev.mason.store.PasswordSource;
import dev.mason.store.StartupException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Mason's small facade over databricks-sdk-java: who a token belongs to, database credentials for
 * Lakebase, and the REST API as a given caller sees it ({@link #api(Caller)}). Clients are made per
 * credential, never shared between users.
 */
public final class WorkspaceAccess implements UserDirectory, AppDirectory, CloudCredentials {
  private static final int HTTP_TIMEOUT_SECONDS = 30;
  /** Lakebase credentials last an hour; a new one is fetched this long before expiry. */
  private static final Duration CREDENTIAL_MARGIN = Duration.ofMinutes(10);
  /** What a Databricks tool or route answers when no workspace is configured. */
  static final String NO_WORKSPACE = "no workspace configured: set DATABRICKS_HOST and DATABRICKS_TOKEN";

  private final WorkspaceSettings workspace;
  /** Building a client resolves its configuration and opens a connection pool: kept a few minutes per credential. */
  private final ExpiringCache<WorkspaceApi> apis = new ExpiringCache<>(Duration.ofMinutes(5), Clock.systemUTC());
  private final TokenSuccession succession;

  public WorkspaceAccess(WorkspaceSettings workspace) {
    this(workspace, TokenSuccession.NONE);
  }

  /**
   * @param succession follows the rotations of the tokens Mason mints: a client made for a
   *     caller's token sends, at each request, the token that stands for it now
   */
  public WorkspaceAccess(WorkspaceSettings workspace, TokenSuccession succession) {
    this.workspace = workspace;
    this.succession = succession;
  }

  /** Whether a workspace is configured at all; without one no Databricks tool is offered. */
  public boolean configured() {
    return workspace.configured();
  }

  /** The workspace URL without a trailing slash, or null. */
  public String host() {
    return workspace.host();
  }

  /**
   * The REST API acting for {@code caller}: with their own token when they have one (on-behalf-of),
   * else with Mason's credentials (DATABRICKS_TOKEN, else the SDK's standard chain).
   *
   * @throws WorkspaceException when no workspace is configured or Mason's credentials cannot be resolved
   */
  WorkspaceApi api(Caller caller) {
    if (!configured()) {
      throw new WorkspaceException(WorkspaceException.NO_RESPONSE, "NOT_CONFIGURED", NO_WORKSPACE, null);
    }
    String token = caller.accessToken() != null ? caller.accessToken() : workspace.token();
    String key = token == null ? "own" : "token:" + ExpiringCache.hashed(token);
    return apis.get(key, () -> new WorkspaceApi(apiClient(token), workspace.host()));
  }

  /**
   * Writes {@code content} as the workspace file {@code path} (replacing one there), creating its
   * folder first, acting for {@code caller}: what a terminal's commit sync uploads.
   *
   * @throws RuntimeException with the workspace's error code and reason in its message
   */
  public void putWorkspaceFile(Caller caller, String path, byte[] content) {
    WorkspaceApi api = api(caller);
    String parent = path.substring(0, Math.max(1, path.lastIndexOf('/')));
    api.post("/api/2.0/workspace/mkdirs", dev.mason.web.Json.MAPPER.createObjectNode().put("path", parent));
    api.post("/api/2.0/workspace/import", dev.mason.web.Json.MAPPER.createObjectNode().put("path", path).put("format", "AUTO")
        .put("overwrite", true).put("content", java.util.Base64.getEncoder().encodeToString(content)));
  }

  /** Deletes the workspace object {@code path} for {@code caller}; one already gone is not an error. */
  public void deleteWorkspaceFile(Caller caller, String path) {
    try {
      api(caller).post("/api/2.0/workspace/delete", dev.mason.web.Json.MAPPER.createObjectNode().put("path", path).put("recursive", false));
    } catch (WorkspaceException e) {
      if (!e.notFound()) {
        throw e;
      }
    }
  }

  private ApiClient apiClient(String token) {
    try {
      return new ApiClient(token != null ? patConfig(token) : chainConfig());
    } catch (DatabricksException e) {
      throw new WorkspaceException(WorkspaceException.NO_RESPONSE, "NO_CREDENTIALS",
          "cannot authenticate to " + workspace.host() + ": " + e.getMessage(), e);
    }
  }

  /**
   * A token's configuration with the PAT provider named outright: the SDK's default chain would
   * first fetch the workspace's OpenID endpoints, a wasted round trip for every new client.
   */
  private DatabricksConfig patConfig(String token) {
    return new DatabricksConfig()
        .setHost(workspace.host())
        .setToken(token)
        .setAuthType("pat")
        .setCredentialsProvider(new FollowedToken(token))
        .setHttpTimeoutSeconds(HTTP_TIMEOUT_SECONDS);
  }

  /**
   * The SDK's PAT authentication, but with the token that stands for {@code token} at each request
   * (the SDK asks its header factory every time): a long call keeps working across a rotation.
   */
  private final class FollowedToken implements CredentialsProvider {
    private final String token;

    FollowedToken(String token) {
      this.token = token;
    }

    @Override
    public String authType() {
      return "pat";
    }

    @Override
    public HeaderFactory configure(DatabricksConfig config) {
      return () -> Map.of("Authorization", "Bearer " + succession.current(token));
    }
  }

  private DatabricksConfig chainConfig() {
    var config = new DatabricksConfig().setHttpTimeoutSeconds(HTTP_TIMEOUT_SECONDS);
    if (workspace.host() != null) {
      config.setHost(workspace.host());
    }
    return config;
  }

  /** A client acting with {@code token}, on the configured host. */
  WorkspaceClient clientFor(String token) {
    return new WorkspaceClient(patConfig(token));
  }

  /** A client with Mason's own credentials: DATABRICKS_TOKEN, else the SDK's standard chain. */
  WorkspaceClient ownClient() {
    if (workspace.token() != null) {
      return clientFor(workspace.token());
    }
    return new WorkspaceClient(chainConfig());
  }

  @Override
  public String userNameFor(String token) {
    try {
      // No retries: a request is waiting on the answer, and the SDK's retries of an unreachable
      // workspace would hold it for about 20 s before failing anyway.
      return new WorkspaceClient(patConfig(token).setDisableRetries(true)).currentUser().me(new MeRequest()).getUserName();
    } catch (DatabricksError e) {
      String status = "HTTP " + e.getStatusCode() + (e.getErrorCode() == null ? "" : " " + e.getErrorCode());
      if (e.getStatusCode() == 401 || e.getStatusCode() == 403) {
        throw new InvalidTokenException(status);
      }
      throw new UnavailableException(workspace.host() + " answered " + status, e);
    } catch (DatabricksException e) {
      // Connection failures and the like; the SDK's message names the host, never the token.
      throw new UnavailableException(workspace.host() + " could not be reached: " + Causes.rootMessage(e), e);
    }
  }

  /**
   * Reads the app through the Apps API ({@code GET /api/2.0/apps/{name}}) with the app's service
   * principal (OAuth machine-to-machine from DATABRICKS_CLIENT_ID and DATABRICKS_CLIENT_SECRET),
   * else Mason's own credentials. No SDK retries: the caller retries in the background.
   */
  @Override
  public App app(String appName) {
    if (!configured()) {
      throw new UnavailableException("no workspace is configured (DATABRICKS_HOST is not set)", null);
    }
    try {
      var app = new WorkspaceClient(appConfig().setDisableRetries(true)).apps().get(appName);
      var scopes = app.getEffectiveUserApiScopes() != null ? app.getEffectiveUserApiScopes() : app.getUserApiScopes();
      return new App(app.getCreator(), scopes == null ? List.of() : List.copyOf(scopes));
    } catch (DatabricksError e) {
      throw new UnavailableException(workspace.host() + " answered HTTP " + e.getStatusCode()
          + (e.getErrorCode() == null ? "" : " " + e.getErrorCode()) + (e.getMessage() == null ? "" : ": " + e.getMessage()), e);
    } catch (DatabricksException e) {
      throw new UnavailableException(workspace.host() + " could not be reached or refused the app's credentials: " + Causes.rootMessage(e), e);
    }
  }

  /**
   * The app's own credentials: its service principal (OAuth M2M) when Mason has one, else
   * DATABRICKS_TOKEN, else the SDK's standard chain.
   */
  private DatabricksConfig appConfig() {
    if (workspace.hasServicePrincipal()) {
      return new DatabricksConfig()
          .setHost(workspace.host())
          .setClientId(workspace.clientId())
          .setClientSecret(workspace.clientSecret())
          .setAuthType("oauth-m2m")
          .setHttpTimeoutSeconds(HTTP_TIMEOUT_SECONDS);
    }
    return workspace.token() != null ? patConfig(workspace.token()) : chainConfig();
  }

  /**
   * The app's own bearer token, for the workspace's model endpoints when no token is configured:
   * the service principal's OAuth token, which the SDK keeps and renews before it expires (one
   * configuration, so one token is shared by every call).
   */
  public java.util.function.Supplier<String> appBearer() {
    var resolved = new java.util.concurrent.atomic.AtomicReference<DatabricksConfig>();
    ReentrantLock lock = new ReentrantLock();
    return () -> {
      lock.lock();
      DatabricksConfig config;
      try {
        // Resolved on first use, not at start: the workspace may not answer yet; a failure is tried again next time.
        if (resolved.get() == null) {
          resolved.set(new WorkspaceClient(appConfig()).config());
        }
        config = resolved.get();
      } finally {
        lock.unlock();
      }
      String header = config.authenticate().get("Authorization");
      if (header == null || !header.startsWith("Bearer ")) {
        throw new DatabricksException("the app's credentials give no bearer token for the serving endpoints");
      }
      return header.substring(7);
    };
  }

  /** The owner of DATABRICKS_TOKEN, or "local" when no token is configured. */
  public String localUserName() {
    if (workspace.host() == null || workspace.token() == null) {
      return "local";
    }
    return userNameFor(workspace.token());
  }

  @Override
  public DatabaseEndpoint lakebase(String instanceName, String database) {
    try {
      WorkspaceClient client = ownClient();
      String host = client.database().getDatabaseInstance(instanceName).getReadWriteDns();
      String user = client.currentUser().me(new MeRequest()).getUserName();
      return new DatabaseEndpoint(host, 5432, database, user, new LakebaseCredential(client, instanceName), "require");
    } catch (DatabricksException e) {
      throw new StartupException("Cannot look up Lakebase instance " + instanceName + " through the workspace: " + e.getMessage(), e);
    }
  }

  /**
   * The bearer token of a Databricks CLI profile ({@code DATABRICKS_CONFIG_PROFILE}), refreshed by
   * the SDK when it needs to: the terminal owner's credential when no token is in the environment.
   */
  public java.util.function.Supplier<String> profileBearer(String profile) {
    var config = new DatabricksConfig().setProfile(profile).setHttpTimeoutSeconds(HTTP_TIMEOUT_SECONDS);
    if (workspace.host() != null) {
      config.setHost(workspace.host());
    }
    return () -> {
      String header = new WorkspaceClient(config).config().authenticate().get("Authorization");
      if (header == null || !header.startsWith("Bearer ")) {
        throw new DatabricksException("the profile " + profile + " gives no bearer token");
      }
      return header.substring(7);
    };
  }

  @Override
  public PasswordSource workspaceToken() {
    DatabricksConfig config = ownClient().config();
    return () -> {
      String header = config.authenticate().get("Authorization");
      if (header == null || !header.startsWith("Bearer ")) {
        throw new DatabricksException("the workspace credentials give no bearer token to use as the database password");
      }
      return header.substring(7);
    };
  }

  /**
   * A database credential generated through the workspace API and renewed before it expires.
   * Thread-safe: pool threads share one credential; renewal happens under a lock.
   */
  private static final class LakebaseCredential implements PasswordSource {
    private final WorkspaceClient client;
    private final String instanceName;
    private final ReentrantLock lock = new ReentrantLock();
    private String token;
    private Instant renewAt = Instant.MIN;

    LakebaseCredential(WorkspaceClient client, String instanceName) {
      this.client = client;
      this.instanceName = instanceName;
    }

    @Override
    public String password() {
      lock.lock();
      try {
        if (token == null || Instant.now().isAfter(renewAt)) {
          DatabaseCredential credential = client.database().generateDatabaseCredential(new GenerateDatabaseCredentialRequest()
              .setInstanceNames(List.of(instanceName))
              .setRequestId(UUID.randomUUID().toString()));
          token = credential.getToken();
          Instant expires = credential.getExpirationTime() == null ? Instant.now().plus(Duration.ofHours(1))
              : Instant.parse(credential.getExpirationTime());
          renewAt = expires.minus(CREDENTIAL_MARGIN);
        }
        return token;
      } finally {
        lock.unlock();
      }
    }
  }
}
