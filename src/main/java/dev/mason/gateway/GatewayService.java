package dev.mason.gateway;

import dev.mason.agent.llm.ModelSettings;
import dev.mason.common.AtomicFile;
import dev.mason.credentials.CredentialService;
import dev.mason.identity.Caller;
import dev.mason.identity.RunCredentials;
import dev.mason.terminal.ShellWiring;
import dev.mason.tracing.GatewayTraces;
import java.io.IOException;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.IntSupplier;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Mason as the model gateway and credential source of terminal CLIs. Each new shell gets a session
 * secret and the variables that point its CLIs here ({@link #open}): model base URLs with the secret
 * as their key, the metadata-service URL for the Databricks CLI and SDKs, and config folders under
 * {@code MASON_HOME} selected by each CLI's own variable, so that the owner's {@code ~/.claude},
 * {@code ~/.codex}, {@code ~/.gemini}, {@code ~/.config/opencode} and {@code ~/.databrickscfg}
 * are never read or written. No variable and no file ever holds a workspace token.
 */
public final class GatewayService implements ShellWiring {
  private static final Logger log = LoggerFactory.getLogger(GatewayService.class);

  private final CredentialService credentials;
  private final SessionSecrets secrets = new SessionSecrets();
  private final UsageLedger usage = new UsageLedger();
  private final GatewayProxy proxy;
  private final MetadataService metadata;
  private final Path cliHome;
  private final IntSupplier port;
  private final Supplier<String> owner;
  private final Upstreams upstreams;
  private final Function<Caller, Optional<ModelSettings.Upstream>> runModels;
  private final RunCredentials runs;
  private final GatewayTraces traces;

  /**
   * @param cliHome where the CLIs' config folders live ({@code $MASON_HOME/clis})
   * @param port Mason's listening port, known once the server has started
   * @param owner the terminal owner, whose sessions these are
   * @param runModels where and as whom a user's Claude Code process reaches the models: the user's
   *     own model router's Anthropic endpoint
   * @param traces where terminal CLIs' model calls are traced ({@code TracingService.gateway()})
   */
  public GatewayService(GatewaySettings settings, CredentialService credentials, HttpClient http, Path cliHome, IntSupplier port,
      Supplier<String> owner, Function<Caller, Optional<ModelSettings.Upstream>> runModels, RunCredentials runs,
      GatewayTraces traces) {
    this.runModels = runModels;
    this.runs = runs;
    this.traces = traces;
    this.credentials = credentials;
    this.cliHome = cliHome;
    this.port = port;
    this.owner = owner;
    this.upstreams = credentials.host() == null ? null : Upstreams.resolve(credentials.host(), settings, http);
    this.proxy = new GatewayProxy(upstreams, credentials, usage, traces, http);
    this.metadata = new MetadataService(credentials);
  }

  /** The user whose live terminal session {@code secret} belongs to; empty for any other string. */
  public java.util.Optional<String> sessionUser(String secret) {
    return secrets.find(secret).map(SessionSecrets.Holder::user);
  }

  SessionSecrets secrets() {
    return secrets;
  }

  UsageLedger usage() {
    return usage;
  }

  GatewayProxy proxy() {
    return proxy;
  }

  MetadataService metadata() {
    return metadata;
  }

  /** Where requests go, for the usage API; null without a workspace. */
  String upstreamDescription() {
    return upstreams == null ? null : upstreams.aiGateway() != null ? "ai-gateway " + upstreams.aiGateway() : "serving-endpoints " + upstreams.host();
  }

  /**
   * The variables that send a run process's Anthropic calls (the Claude Code runtime's CLI) here,
   * with a secret that acts as {@code caller}: forwarded where and as the caller's own runs call
   * the models ({@code runModels}), never with the terminal owner's credential.
   */
  public Map<String, String> openRun(String key, Caller caller) {
    String secret = runs.issue(key, RunCredentials.Scope.MODELS, caller);
    Map<String, String> env = new LinkedHashMap<>();
    env.put("ANTHROPIC_BASE_URL", "http://127.0.0.1:" + port.getAsInt() + GatewayApi.ANTHROPIC.localBase());
    env.put("ANTHROPIC_AUTH_TOKEN", secret);
    return env;
  }

  /** Where a run's Anthropic request goes, as {@code caller}; 503 when Mason has no Anthropic endpoint. */
  GatewayProxy.Target runTarget(Caller caller) {
    ModelSettings.Upstream upstream = runModels.apply(caller)
        .orElseThrow(() -> dev.mason.common.Refusal.unavailable("no Anthropic model endpoint is configured for Claude Code: "
            + "set ANTHROPIC_API_KEY, ANTHROPIC_AUTH_TOKEN or DATABRICKS_HOST"));
    return new GatewayProxy.Target(upstream.baseUrl(), upstream.headers());
  }

  RunCredentials runs() {
    return runs;
  }

  @Override
  public Map<String, String> open(String sessionId) {
    Map<String, String> env = new LinkedHashMap<>();
    env.put("CLAUDE_CONFIG_DIR", folder("claude").toString());
    env.put("CODEX_HOME", folder("codex").toString());
    env.put("GEMINI_CLI_HOME", folder("gemini").toString());
    env.put("OPENCODE_CONFIG_DIR", folder("opencode").toString());
    env.put("DATABRICKS_CONFIG_FILE", databricksConfig().toString());
    if (upstreams == null) {
      return env;
    }
    String secret = secrets.issue(sessionId, ownerName());
    String base = "http://127.0.0.1:" + port.getAsInt();
    env.put("MASON_GATEWAY_URL", base + "/gateway");
    env.put("MASON_SESSION_SECRET", secret);
    env.put("ANTHROPIC_BASE_URL", base + GatewayApi.ANTHROPIC.localBase());
    env.put("ANTHROPIC_AUTH_TOKEN", secret);
    env.put("OPENAI_BASE_URL", base + GatewayApi.OPENAI.localBase());
    env.put("OPENAI_API_KEY", secret);
    env.put("GOOGLE_GEMINI_BASE_URL", base + GatewayApi.GEMINI.localBase());
    env.put("GEMINI_API_KEY", secret);
    env.put("GEMINI_API_KEY_AUTH_MECHANISM", "bearer");
    env.put("DATABRICKS_HOST", credentials.host());
    env.put("DATABRICKS_AUTH_TYPE", "metadata-service");
    env.put("DATABRICKS_METADATA_SERVICE_URL", base + MetadataService.PATH.replace("{secret}", secret));
    return env;
  }

  @Override
  public void close(String sessionId) {
    secrets.revoke(sessionId);
    traces.sessionEnded(sessionId);
  }

  private String ownerName() {
    try {
      String name = owner.get();
      return name == null ? "owner" : name;
    } catch (RuntimeException e) {
      return "owner";
    }
  }

  /** A CLI's config folder, created private to the user when missing. */
  private Path folder(String cli) {
    Path folder = cliHome.resolve(cli);
    try {
      AtomicFile.privateFolder(folder);
    } catch (IOException e) {
      log.warn("Cannot create {}: {}", folder, e.toString());
    }
    return folder;
  }

  /**
   * An empty Databricks config file of Mason's own: the CLI reads it instead of {@code ~/.databrickscfg},
   * and finds its credential in the metadata-service variables, so it holds no token.
   */
  private Path databricksConfig() {
    Path file = folder("databricks").resolve("databrickscfg");
    try {
      if (!Files.exists(file)) {
        AtomicFile.writePrivate(file, "");
      }
    } catch (IOException e) {
      log.warn("Cannot create {}: {}", file, e.toString());
    }
    return file;
  }
}
