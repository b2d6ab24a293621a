package dev.mason.agent.llm;

import java.net.http.HttpClient;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * Chooses the protocol that serves a model name, and holds one client per protocol.
 *
 * <p>The rule: a name containing {@code claude}, or named in {@code ANTHROPIC_MODEL} or
 * {@code ANTHROPIC_MODEL_MINI}, goes to the Anthropic client when one is configured; any other name goes to the OpenAI-compatible client when one is configured. When only
 * one protocol is configured, it serves every name (a workspace configures both, so its GPT, Gemini
 * and Llama endpoints go through chat completions and its Claude endpoints through the Anthropic
 * path). With nothing configured, the client fails every call with {@link ModelSettings#whatToSet()}.
 *
 * <p>Thread-safe and immutable; create one for the application and share it.
 */
public final class ModelRouter {
  /** How long to wait for a response's headers; model endpoints may queue a request before they answer. */
  public static final Duration HEADERS_TIMEOUT = Duration.ofMinutes(5);
  /**
   * How long a stream may stay silent before it counts as dropped. Anthropic sends pings, but an
   * OpenAI reasoning model may think for minutes without a byte.
   */
  public static final Duration IDLE_TIMEOUT = Duration.ofMinutes(10);
  private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(30);

  private final ModelSettings settings;
  private final HttpClient http;
  private final RetryPolicy retry;
  private final Duration idleTimeout;
  /** The Anthropic endpoint with its credential bound, or null. */
  private final Endpoint anthropicUpstream;
  private final ModelClient anthropic;
  private final ModelClient openAi;
  private final ModelClient unconfigured;

  public ModelRouter(ModelSettings settings, HttpClient http) {
    this(settings, http, RetryPolicy.DEFAULT, IDLE_TIMEOUT, null);
  }

  /**
   * @param workspaceBearer the app's own token for the workspace's endpoints when
   *     {@link ModelSettings#workspaceOAuth()} (the service principal's OAuth token, renewed by the
   *     SDK); asked for on every request
   */
  public ModelRouter(ModelSettings settings, HttpClient http, Supplier<String> workspaceBearer) {
    this(settings, http, RetryPolicy.DEFAULT, IDLE_TIMEOUT, workspaceBearer);
  }

  public ModelRouter(ModelSettings settings, HttpClient http, RetryPolicy retry, Duration idleTimeout) {
    this(settings, http, retry, idleTimeout, null);
  }

  public ModelRouter(ModelSettings settings, HttpClient http, RetryPolicy retry, Duration idleTimeout,
      Supplier<String> workspaceBearer) {
    this.settings = Objects.requireNonNull(settings, "settings");
    this.http = http;
    this.retry = retry;
    this.idleTimeout = idleTimeout;
    Supplier<String> bearer = workspaceBearer != null ? workspaceBearer : Endpoint.WORKSPACE_BEARER;
    Endpoint anthropicEndpoint = settings.anthropicEndpoint();
    Endpoint openAiEndpoint = settings.openAiEndpoint();
    this.anthropicUpstream = anthropicEndpoint == null ? null : anthropicEndpoint.bound(bearer);
    this.anthropic = anthropicEndpoint == null ? null
        : new AnthropicClient(anthropicEndpoint.bound(bearer), settings.anthropicCredential(), http, retry, HEADERS_TIMEOUT, idleTimeout);
    this.openAi = openAiEndpoint == null ? null
        : new OpenAiClient(openAiEndpoint.bound(bearer), settings.openAiCredential(), http, retry, HEADERS_TIMEOUT, idleTimeout);
    String notConfigured = settings.whatToSet();
    this.unconfigured = (request, listener, cancellation) -> {
      throw ModelException.refused(notConfigured);
    };
  }

  /**
   * This router acting as a user: the workspace's endpoints, when they are reached with a token
   * obtained at call time, get {@code userToken} instead of the app's, so the user's own
   * permissions and rate limits apply. Itself when the endpoints use a configured key or token,
   * or when {@code userToken} gives null.
   */
  public ModelRouter asUser(Supplier<String> userToken) {
    if (userToken.get() == null || !settings.workspaceOAuth()) {
      return this;
    }
    return new ModelRouter(settings, http, retry, idleTimeout, userToken);
  }

  /** An HTTP client suited to model streams: bounded connect, redirects followed within the scheme. */
  public static HttpClient newHttpClient() {
    return HttpClient.newBuilder()
        .connectTimeout(CONNECT_TIMEOUT)
        .followRedirects(HttpClient.Redirect.NORMAL)
        .build();
  }

  public ModelClient clientFor(String model) {
    // The models named in ANTHROPIC_MODEL and ANTHROPIC_MODEL_MINI are Anthropic's whatever their names.
    boolean claude = model != null && (model.toLowerCase(Locale.ROOT).contains("claude")
        || model.equalsIgnoreCase(settings.anthropicModel()) || model.equalsIgnoreCase(settings.anthropicModelMini()));
    ModelClient preferred = claude ? anthropic : openAi;
    ModelClient other = claude ? openAi : anthropic;
    if (preferred != null) {
      return preferred;
    }
    return other != null ? other : unconfigured;
  }

  public ModelSettings settings() {
    return settings;
  }

  /**
   * Where this router's Anthropic calls go and the headers they carry at this moment: for the model
   * gateway, which forwards the calls of a Claude Code process a user's conversation runs, so that
   * they reach the models exactly as this user's built-in runs do ({@link #asUser}). Empty when no
   * Anthropic endpoint is configured.
   */
  public java.util.Optional<ModelSettings.Upstream> anthropicUpstream() {
    return anthropicUpstream == null ? java.util.Optional.empty()
        : java.util.Optional.of(new ModelSettings.Upstream(anthropicUpstream.baseUrl(), anthropicUpstream.headersNow()));
  }

  @Override
  public String toString() {
    return "ModelRouter[anthropic=" + anthropic + ", openAi=" + openAi + "]";
  }
}
