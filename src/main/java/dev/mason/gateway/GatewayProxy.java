package dev.mason.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mason.credentials.CredentialService;
import dev.mason.tracing.GatewayTraces;
import dev.mason.web.ApiError;
import dev.mason.web.Json;
import io.javalin.http.Context;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.URLDecoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Locale;
import java.util.Set;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Forwards one CLI request to its upstream: the body read within a bound and fixed for Databricks
 * endpoints, the CLI's own credentials replaced by the owner's current workspace token (asked for
 * at this moment, so a rotation is never missed), the coding-agent header added, and the answer
 * streamed back unbuffered ({@link StreamRelay}). When the CLI goes away mid-stream, the upstream
 * stream is closed, which cancels the upstream request.
 */
final class GatewayProxy {
  private static final Logger log = LoggerFactory.getLogger(GatewayProxy.class);
  static final long MAX_BODY_BYTES = 32L * 1024 * 1024;
  static final String CODING_AGENT_HEADER = "x-databricks-use-coding-agent-mode";
  /** Until the endpoint's headers arrive; the stream itself may then run as long as the model writes. */
  private static final Duration HEADERS_TIMEOUT = Duration.ofMinutes(5);
  /** Not forwarded: credentials (replaced), what the JDK client sets itself, and encodings the relay could not read. */
  private static final Set<String> DROPPED = Set.of("authorization", "x-api-key", "x-goog-api-key", "host", "content-length",
      "connection", "transfer-encoding", "upgrade", "expect", "keep-alive", "te", "trailer", "proxy-authorization",
      "cookie", "origin", "referer", "accept-encoding", "http2-settings");
  private static final Set<String> RETURNED = Set.of("retry-after", "request-id", "x-request-id");

  private final Upstreams upstreams;
  private final CredentialService credentials;
  private final UsageLedger usage;
  private final GatewayTraces traces;
  private final HttpClient http;

  GatewayProxy(Upstreams upstreams, CredentialService credentials, UsageLedger usage, GatewayTraces traces, HttpClient http) {
    this.upstreams = upstreams;
    this.credentials = credentials;
    this.usage = usage;
    this.traces = traces;
    this.http = http;
  }

  /** Where one request goes: the base URL and the headers that replace the client's credentials. */
  record Target(String base, java.util.Map<String, String> headers) {}

  /** A terminal CLI's request: to the workspace, with the owner's current token. */
  void forward(Context ctx, GatewayApi api, String path, SessionSecrets.Holder holder) throws IOException {
    if (upstreams == null) {
      throw new ApiError(503, "no workspace configured: set DATABRICKS_HOST", null);
    }
    forward(ctx, api, path, holder.user(), () -> {
      CredentialService.AccessToken token = credentials.current()
          .orElseThrow(() -> new ApiError(503, "no workspace credential yet: paste a token in the terminal page", null));
      return new Target(upstreams.base(api), java.util.Map.of("Authorization", "Bearer " + token.value(), CODING_AGENT_HEADER, "true"));
    }, holder);
  }

  /**
   * A request of a process Mason runs for {@code user} (the Claude Code runtime): to where
   * Mason's own agent calls the models, as that user.
   */
  void forward(Context ctx, GatewayApi api, String path, String user, java.util.function.Supplier<Target> target) throws IOException {
    // Not traced from here: the run that started the process is traced through the agent's events.
    forward(ctx, api, path, user, target, null);
  }

  /** @param traced the terminal session whose CLI made the request, traced when tracing is on; null: not traced */
  private void forward(Context ctx, GatewayApi api, String path, String user, java.util.function.Supplier<Target> target,
      SessionSecrets.Holder traced) throws IOException {
    if (!api.allows(path)) {
      throw ApiError.notFound("gateway route " + api.segment + "/" + path);
    }
    long started = System.nanoTime();
    Instant startedAt = Instant.now();
    byte[] body = "GET".equals(ctx.method().name()) ? new byte[0] : readBody(ctx);
    String model = null;
    CallTranscript transcript = null;
    if (body.length > 0 && isJson(ctx.contentType())) {
      JsonNode parsed = parse(body);
      if (parsed instanceof ObjectNode object) {
        api.fix(path, object);
        model = object.path("model").isTextual() ? object.path("model").asText() : null;
        if (traced != null && traces.enabled()) {
          transcript = CallTranscript.of(api, path, object, ctx::header);
        }
        body = Json.MAPPER.writeValueAsBytes(object);
      }
    }
    if (model == null && api == GatewayApi.GEMINI && path.contains("/models/")) {
      String tail = path.substring(path.indexOf("/models/") + 8);
      model = tail.contains(":") ? tail.substring(0, tail.indexOf(':')) : tail;
    }
    Target to = target.get();
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(to.base() + "/" + path + query(ctx)))
        .timeout(HEADERS_TIMEOUT)
        .method(ctx.method().name(), body.length == 0 && "GET".equals(ctx.method().name())
            ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
    ctx.headerMap().forEach((name, value) -> {
      String lower = name.toLowerCase(Locale.ROOT);
      if (!DROPPED.contains(lower) && !lower.startsWith("x-forwarded-") && !lower.startsWith("x-databricks-")) {
        request.header(name, value);
      }
    });
    to.headers().forEach(request::header);

    UsageTap tap = new UsageTap(model);
    String cli = cliOf(ctx.userAgent(), api);
    HttpResponse<InputStream> response;
    try {
      response = http.send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
    } catch (IOException e) {
      record(user, cli, api, tap, 502, -1, started);
      trace(transcript, traced, cli, tap, 502, startedAt, "the model endpoint could not be reached: " + e.getMessage());
      throw new ApiError(502, "the model endpoint could not be reached: " + e.getMessage(), null);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ApiError(503, "interrupted", null);
    }
    int status = response.statusCode();
    String contentType = response.headers().firstValue("content-type").orElse("application/json");
    boolean eventStream = contentType.toLowerCase(Locale.ROOT).startsWith("text/event-stream");
    ctx.status(status);
    ctx.res().setContentType(contentType);
    response.headers().map().forEach((name, values) -> {
      if (RETURNED.contains(name.toLowerCase(Locale.ROOT)) && !values.isEmpty()) {
        ctx.res().setHeader(name, values.get(0));
      }
    });
    if (eventStream) {
      ctx.res().setHeader("Cache-Control", "no-cache");
      ctx.res().setHeader("X-Accel-Buffering", "no");
    }
    CallTranscript seen = transcript;
    Consumer<JsonNode> observer = seen == null ? tap::observe : node -> {
      tap.observe(node);
      seen.accept(node);
    };
    StreamRelay relay = new StreamRelay(observer, api == GatewayApi.OPENAI && path.equals("chat/completions"));
    String failure = null;
    try (InputStream upstream = response.body()) {
      OutputStream out = ctx.res().getOutputStream();
      relay.relay(upstream, out, eventStream);
    } catch (StreamRelay.ClientGone e) {
      log.debug("Gateway: {} went away mid-stream; the upstream request is cancelled", cli);
      failure = "the CLI went away mid-stream";
    } catch (IOException e) {
      log.warn("Gateway: the {} stream from upstream broke: {}", api.segment, e.toString());
      failure = "the stream from the model endpoint broke: " + e;
    }
    long firstByte = relay.firstByteNanos() < 0 ? -1 : (relay.firstByteNanos() - started) / 1_000_000;
    record(user, cli, api, tap, status, firstByte, started);
    trace(transcript, traced, cli, tap, status, startedAt, failure);
  }

  /** Hands a terminal CLI's call to tracing once its answer has passed: never while the stream is flowing. */
  private void trace(CallTranscript transcript, SessionSecrets.Holder holder, String cli, UsageTap tap, int status,
      Instant startedAt, String failure) {
    if (transcript == null) {
      return;
    }
    try {
      String token = credentials.current().map(CredentialService.AccessToken::value).orElse(null);
      traces.record(transcript.call(holder.sessionId(), cli, holder.user(), token, tap, status, startedAt, Instant.now(), failure));
    } catch (RuntimeException e) {
      log.warn("Gateway: the call of {} could not be traced: {}", cli, e.toString());
    }
  }

  private void record(String user, String cli, GatewayApi api, UsageTap tap, int status, long firstByteMillis,
      long started) {
    usage.record(new UsageLedger.Request(user, cli, api.segment, tap.model(), status, tap.inputTokens(),
        tap.outputTokens(), firstByteMillis, (System.nanoTime() - started) / 1_000_000));
  }

  /** The body, refused with 413 past {@link #MAX_BODY_BYTES} (the server's 1 MB limit is for its own API, not for model requests). */
  private static byte[] readBody(Context ctx) throws IOException {
    long declared = ctx.req().getContentLengthLong();
    if (declared > MAX_BODY_BYTES) {
      throw tooLarge();
    }
    try (InputStream in = ctx.req().getInputStream()) {
      byte[] bytes = in.readNBytes((int) MAX_BODY_BYTES + 1);
      if (bytes.length > MAX_BODY_BYTES) {
        throw tooLarge();
      }
      return bytes;
    }
  }

  private static ApiError tooLarge() {
    return new ApiError(413, "request body too large (the gateway's limit is " + MAX_BODY_BYTES / (1024 * 1024) + " MiB)", null);
  }

  /** The query string without {@code key}, where Gemini clients may put their key. */
  private static String query(Context ctx) {
    String query = ctx.queryString();
    if (query == null || query.isEmpty()) {
      return "";
    }
    String kept = Arrays.stream(query.split("&"))
        .filter(pair -> !URLDecoder.decode(pair.split("=", 2)[0], StandardCharsets.UTF_8).equals("key"))
        .collect(Collectors.joining("&"));
    return kept.isEmpty() ? "" : "?" + kept;
  }

  private static boolean isJson(String contentType) {
    return contentType == null || contentType.toLowerCase(Locale.ROOT).contains("json");
  }

  private static JsonNode parse(byte[] body) {
    try {
      return Json.MAPPER.readTree(body);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw ApiError.badRequest(null, "the request body is not JSON: " + e.getOriginalMessage());
    } catch (IOException e) {
      throw ApiError.badRequest(null, "the request body cannot be read: " + e.getMessage());
    }
  }

  /** Which CLI sent the request, from its User-Agent (claude-cli/…, codex_cli_rs/…, GeminiCLI/…, opencode/…). */
  static String cliOf(String userAgent, GatewayApi api) {
    if (userAgent == null || userAgent.isBlank()) {
      return api.segment;
    }
    String ua = userAgent.toLowerCase(Locale.ROOT);
    if (ua.startsWith("claude-cli") || ua.contains("claude-code")) {
      return "claude";
    }
    if (ua.startsWith("codex")) {
      return "codex";
    }
    if (ua.contains("geminicli") || ua.contains("gemini-cli")) {
      return "gemini";
    }
    if (ua.contains("opencode")) {
      return "opencode";
    }
    String product = ua.split("[/ ]", 2)[0];
    return product.isBlank() ? api.segment : product.replaceAll("[^a-z0-9._-]", "");
  }
}
