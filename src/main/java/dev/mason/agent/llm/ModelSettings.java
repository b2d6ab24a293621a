package dev.mason.agent.llm;

import dev.mason.env.ConfigException;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Which models Mason can reach, read from the environment (the variable names of the systems Mason
 * replaces). Every field is null when its variable is unset or blank.
 *
 * <p>The Anthropic protocol, first match wins:
 * <ol>
 *   <li>{@code ANTHROPIC_AUTH_TOKEN}: sent as {@code Authorization: Bearer} to
 *       {@code ANTHROPIC_BASE_URL} (default the Anthropic API);
 *   <li>{@code ANTHROPIC_API_KEY}: sent as {@code x-api-key} to {@code ANTHROPIC_BASE_URL} (default
 *       the Anthropic API);
 *   <li>{@code DATABRICKS_HOST} and {@code DATABRICKS_TOKEN}: the workspace token as bearer to
 *       {@code ANTHROPIC_BASE_URL}, default {@code <host>/serving-endpoints/anthropic}.
 * </ol>
 * The OpenAI-compatible protocol: {@code OPENAI_API_KEY} as bearer to {@code OPENAI_BASE_URL}
 * (default the OpenAI API); else {@code OPENAI_BASE_URL} alone (a local server without auth, or
 * the workspace token when it points at the workspace); else the workspace's
 * {@code <host>/serving-endpoints}.
 *
 * <p>With {@code DATABRICKS_HOST} and no token but the app's service principal
 * ({@code DATABRICKS_CLIENT_ID} and {@code DATABRICKS_CLIENT_SECRET}, as Databricks Apps sets
 * them), the workspace's endpoints are called with a bearer token obtained at call time
 * ({@link #workspaceOAuth()}): the service principal's OAuth token, or the user's own forwarded
 * token (see {@link ModelRouter#asUser}).
 *
 * <p>A base URL on the workspace's host, or with {@code /serving-endpoints} in its path, is a
 * Databricks endpoint: Anthropic requests to it carry {@code x-databricks-use-coding-agent-mode: true}.
 * {@link #toString()} masks every key and token.
 */
public record ModelSettings(
    String anthropicBaseUrl,
    String anthropicApiKey,
    String anthropicAuthToken,
    String anthropicModel,
    String anthropicModelMini,
    String openAiBaseUrl,
    String openAiApiKey,
    String databricksHost,
    String databricksToken,
    boolean databricksServicePrincipal) {

  static final String ANTHROPIC_API = "https://api.anthropic.com";
  static final String OPENAI_API = "https://api.openai.com/v1";
  static final String DATABRICKS_HEADER = "x-databricks-use-coding-agent-mode";
  static final String OAUTH_CREDENTIAL = "the app's service principal (DATABRICKS_CLIENT_ID) or your own forwarded token";

  public ModelSettings {
    anthropicBaseUrl = url("ANTHROPIC_BASE_URL", anthropicBaseUrl);
    anthropicApiKey = blankToNull(anthropicApiKey);
    anthropicAuthToken = blankToNull(anthropicAuthToken);
    anthropicModel = blankToNull(anthropicModel);
    anthropicModelMini = blankToNull(anthropicModelMini);
    openAiBaseUrl = url("OPENAI_BASE_URL", openAiBaseUrl);
    openAiApiKey = blankToNull(openAiApiKey);
    databricksHost = blankToNull(databricksHost);
    if (databricksHost != null && !databricksHost.contains("://")) {
      databricksHost = "https://" + databricksHost;
    }
    databricksHost = url("DATABRICKS_HOST", databricksHost);
    databricksToken = blankToNull(databricksToken);
  }

  public static ModelSettings fromEnv(Map<String, String> env) {
    return new ModelSettings(
        env.get("ANTHROPIC_BASE_URL"),
        env.get("ANTHROPIC_API_KEY"),
        env.get("ANTHROPIC_AUTH_TOKEN"),
        env.get("ANTHROPIC_MODEL"),
        env.get("ANTHROPIC_MODEL_MINI"),
        env.get("OPENAI_BASE_URL"),
        env.get("OPENAI_API_KEY"),
        env.get("DATABRICKS_HOST"),
        env.get("DATABRICKS_TOKEN"),
        present(env, "DATABRICKS_CLIENT_ID") && present(env, "DATABRICKS_CLIENT_SECRET"));
  }

  /** The settings before the service principal was considered: tests and tools that name only the variables above. */
  public ModelSettings(String anthropicBaseUrl, String anthropicApiKey, String anthropicAuthToken, String anthropicModel,
      String anthropicModelMini, String openAiBaseUrl, String openAiApiKey, String databricksHost, String databricksToken) {
    this(anthropicBaseUrl, anthropicApiKey, anthropicAuthToken, anthropicModel, anthropicModelMini, openAiBaseUrl, openAiApiKey,
        databricksHost, databricksToken, false);
  }

  private static boolean present(Map<String, String> env, String name) {
    return env.get(name) != null && !env.get(name).isBlank();
  }

  /**
   * Whether the workspace's endpoints are reached with a token obtained at call time (the app's
   * service principal, or the user's forwarded token) rather than {@code DATABRICKS_TOKEN}.
   */
  public boolean workspaceOAuth() {
    return databricksHost != null && databricksToken == null && databricksServicePrincipal;
  }

  /** Whether any model can be reached; when not, {@link #whatToSet()} says how to fix it. */
  public boolean configured() {
    return anthropicEndpoint() != null || openAiEndpoint() != null;
  }

  /** {@code ANTHROPIC_MODEL}, else a default for the configured endpoint; null when none is configured. */
  public String defaultModel() {
    return anthropicModel != null ? anthropicModel : pick("databricks-claude-sonnet-4-5", "claude-sonnet-4-5", "gpt-4.1");
  }

  /** {@code ANTHROPIC_MODEL_MINI} (for titles and summaries), else a small default; null when none is configured. */
  public String miniModel() {
    return anthropicModelMini != null ? anthropicModelMini : pick("databricks-claude-haiku-4-5", "claude-haiku-4-5", "gpt-4.1-mini");
  }

  /**
   * What the page shows before the first message ({@code model} in {@code GET /api/me}): whether a
   * model can be reached, the default model and the endpoint that serves it; when none can, the
   * sentence saying what to set. No secret is in it.
   */
  public Map<String, Object> summary() {
    Map<String, Object> summary = new LinkedHashMap<>();
    summary.put("configured", configured());
    summary.put("default_model", defaultModel());
    Endpoint anthropic = anthropicEndpoint();
    Endpoint openAi = openAiEndpoint();
    summary.put("endpoint", anthropic != null ? anthropic.label() : openAi != null ? openAi.label() : null);
    summary.put("what_to_set", configured() ? null : whatToSet());
    return summary;
  }

  /** The sentence shown when no model is configured. */
  public String whatToSet() {
    String sentence = "No model is configured: set ANTHROPIC_API_KEY (the Anthropic API), or DATABRICKS_HOST and DATABRICKS_TOKEN"
        + " (the workspace's serving endpoints), or ANTHROPIC_BASE_URL and ANTHROPIC_AUTH_TOKEN (an Anthropic-compatible endpoint),"
        + " or OPENAI_API_KEY and optionally OPENAI_BASE_URL (an OpenAI-compatible endpoint).";
    if (databricksHost != null && databricksToken == null) {
      sentence += " DATABRICKS_HOST is set but DATABRICKS_TOKEN is not (nor DATABRICKS_CLIENT_ID and DATABRICKS_CLIENT_SECRET).";
    }
    return sentence;
  }

  /** The Anthropic protocol's endpoint, or null. */
  Endpoint anthropicEndpoint() {
    Map<String, String> headers = new LinkedHashMap<>();
    String base;
    boolean calledWithOAuth = false;
    if (anthropicAuthToken != null) {
      base = anthropicBaseUrl != null ? anthropicBaseUrl : ANTHROPIC_API;
      headers.put("authorization", "Bearer " + anthropicAuthToken);
    } else if (anthropicApiKey != null) {
      base = anthropicBaseUrl != null ? anthropicBaseUrl : ANTHROPIC_API;
      headers.put("x-api-key", anthropicApiKey);
    } else if (workspace()) {
      base = anthropicBaseUrl != null ? anthropicBaseUrl : databricksHost + "/serving-endpoints/anthropic";
      if (databricksToken != null) {
        headers.put("authorization", "Bearer " + databricksToken);
      }
      calledWithOAuth = databricksToken == null;
    } else {
      return null;
    }
    boolean databricks = isDatabricks(base);
    if (databricks) {
      headers.put(DATABRICKS_HEADER, "true");
    }
    return new Endpoint(label(base, databricks, ANTHROPIC_API, "the Anthropic API", "Anthropic-compatible endpoint "),
        base, headers, secrets(), databricks, calledWithOAuth ? Endpoint.WORKSPACE_BEARER : null);
  }

  /** A base URL without a trailing slash, and the headers (credentials included) every request to it carries. */
  public record Upstream(String baseUrl, Map<String, String> headers) {
    @Override
    public String toString() {
      return "Upstream[" + baseUrl + ", headers " + headers.keySet() + "]";
    }
  }

  /** Which variable holds the Anthropic credential, for error hints. */
  String anthropicCredential() {
    return anthropicAuthToken != null ? "ANTHROPIC_AUTH_TOKEN" : anthropicApiKey != null ? "ANTHROPIC_API_KEY"
        : workspaceOAuth() ? OAUTH_CREDENTIAL : "DATABRICKS_TOKEN";
  }

  /** The OpenAI-compatible protocol's endpoint, or null. */
  Endpoint openAiEndpoint() {
    Map<String, String> headers = new LinkedHashMap<>();
    String base;
    if (openAiApiKey != null) {
      base = openAiBaseUrl != null ? openAiBaseUrl : OPENAI_API;
      headers.put("authorization", "Bearer " + openAiApiKey);
    } else if (openAiBaseUrl != null) {
      base = openAiBaseUrl;
      if (isDatabricks(base) && databricksToken != null) {
        headers.put("authorization", "Bearer " + databricksToken);
      }
    } else if (workspace()) {
      base = databricksHost + "/serving-endpoints";
      if (databricksToken != null) {
        headers.put("authorization", "Bearer " + databricksToken);
      }
    } else {
      return null;
    }
    boolean databricks = isDatabricks(base);
    boolean calledWithOAuth = workspaceOAuth() && openAiApiKey == null && databricks;
    return new Endpoint(label(base, databricks, OPENAI_API, "the OpenAI API", "OpenAI-compatible endpoint "),
        base, headers, secrets(), databricks, calledWithOAuth ? Endpoint.WORKSPACE_BEARER : null);
  }

  String openAiCredential() {
    boolean workspaceToken = openAiApiKey == null && (openAiBaseUrl == null || isDatabricks(openAiBaseUrl));
    return !workspaceToken ? "OPENAI_API_KEY" : workspaceOAuth() ? OAUTH_CREDENTIAL : "DATABRICKS_TOKEN";
  }

  private boolean workspace() {
    return databricksHost != null && (databricksToken != null || databricksServicePrincipal);
  }

  private boolean isDatabricks(String base) {
    URI uri = URI.create(base);
    if (uri.getPath() != null && uri.getPath().contains("/serving-endpoints")) {
      return true;
    }
    return databricksHost != null && uri.getHost() != null && uri.getHost().equalsIgnoreCase(URI.create(databricksHost).getHost());
  }

  private String label(String base, boolean databricks, String officialBase, String officialName, String otherPrefix) {
    // The label names the protocol first: "Anthropic-compatible endpoint …", never only "Databricks".
    if (databricks && databricksHost != null && base.startsWith(databricksHost)) {
      return otherPrefix + "of Databricks workspace " + databricksHost;
    }
    return base.equals(officialBase) ? officialName : otherPrefix + base;
  }

  /** The keys and tokens of the model endpoints, for masking wherever text leaves Mason. */
  public List<String> secrets() {
    List<String> secrets = new ArrayList<>();
    for (String secret : new String[] {anthropicApiKey, anthropicAuthToken, openAiApiKey, databricksToken}) {
      if (secret != null) {
        secrets.add(secret);
      }
    }
    return secrets;
  }

  private String pick(String onWorkspace, String onAnthropic, String onOpenAi) {
    Endpoint anthropic = anthropicEndpoint();
    if (anthropic != null) {
      return anthropic.databricks() ? onWorkspace : onAnthropic;
    }
    Endpoint openAi = openAiEndpoint();
    if (openAi != null) {
      return openAi.databricks() ? onWorkspace : onOpenAi;
    }
    return null;
  }

  private static String url(String variable, String value) {
    value = blankToNull(value);
    if (value == null) {
      return null;
    }
    try {
      URI uri = new URI(value);
      if (!("https".equals(uri.getScheme()) || "http".equals(uri.getScheme())) || uri.getHost() == null) {
        throw new ConfigException(variable, "must be an http(s) URL with a host, like https://example.com");
      }
    } catch (URISyntaxException e) {
      throw new ConfigException(variable, "is not a valid URL");
    }
    return value.replaceAll("/+$", "");
  }

  private static String blankToNull(String value) {
    return value == null || value.isBlank() ? null : value.strip();
  }

  @Override
  public String toString() {
    return "ModelSettings[anthropicBaseUrl=" + anthropicBaseUrl
        + ", anthropicApiKey=" + mask(anthropicApiKey)
        + ", anthropicAuthToken=" + mask(anthropicAuthToken)
        + ", anthropicModel=" + anthropicModel
        + ", anthropicModelMini=" + anthropicModelMini
        + ", openAiBaseUrl=" + openAiBaseUrl
        + ", openAiApiKey=" + mask(openAiApiKey)
        + ", databricksHost=" + databricksHost
        + ", databricksToken=" + mask(databricksToken) + ", databricksServicePrincipal=" + databricksServicePrincipal + "]";
  }

  private static String mask(String secret) {
    return secret == null ? "none" : "****";
  }
}
