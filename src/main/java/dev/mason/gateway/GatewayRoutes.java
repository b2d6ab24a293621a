package dev.mason.gateway;

import dev.mason.common.Loopback;
import dev.mason.identity.Caller;
import dev.mason.identity.RunCredentials;
import dev.mason.web.ApiError;
import dev.mason.web.Routes;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.Handler;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * The gateway's HTTP surface. For CLIs in Mason's shells, from loopback only and with a live
 * session secret: {@code /gateway/anthropic/v1/messages} (and {@code /v1/models}),
 * {@code /gateway/openai/v1/chat/completions}, {@code …/responses}, {@code …/models},
 * {@code /gateway/gemini/v1beta/models/{model}:generateContent} and
 * {@code :streamGenerateContent}, and the metadata-service URL. For the owner's browser:
 * {@code GET /api/gateway/usage}.
 *
 * <p>The secret is read from whichever header the CLI's protocol uses: {@code Authorization:
 * Bearer}, {@code x-api-key} (Anthropic) or {@code x-goog-api-key} and {@code ?key=} (Gemini).
 */
public final class GatewayRoutes implements Routes {
  private final GatewayService service;
  private final UnaryOperator<Handler> ownerOnly;

  public GatewayRoutes(GatewayService service, UnaryOperator<Handler> ownerOnly) {
    this.service = service;
    this.ownerOnly = ownerOnly;
  }

  @Override
  public void addTo(RoutesConfig routes) {
    for (GatewayApi api : GatewayApi.values()) {
      Handler handler = ctx -> forward(ctx, api);
      routes.post(api.localBase() + "/<path>", handler);
      routes.get(api.localBase() + "/<path>", handler);
    }
    routes.get(MetadataService.PATH, ctx -> {
      requireLoopback(ctx);
      holder(ctx.pathParam("secret"));
      service.metadata().answer(ctx);
    });
    routes.get("/api/gateway/usage", ownerOnly.apply(this::usage));
  }

  private void forward(Context ctx, GatewayApi api) throws Exception {
    requireLoopback(ctx);
    String secret = secretOf(ctx);
    if (secret != null && secret.startsWith(RunCredentials.PREFIX)) {
      // A process Mason runs for a user: their models, as them; only the Anthropic protocol.
      Caller caller = service.runs().find(secret, RunCredentials.Scope.MODELS)
          .orElseThrow(() -> ApiError.unauthorized("unknown or expired run secret: its process has ended"));
      if (api != GatewayApi.ANTHROPIC) {
        throw ApiError.notFound("gateway route " + api.segment + " for a run");
      }
      service.proxy().forward(ctx, api, ctx.pathParam("path"), caller.user(), () -> service.runTarget(caller));
      return;
    }
    SessionSecrets.Holder holder = holder(secret);
    service.proxy().forward(ctx, api, ctx.pathParam("path"), holder);
  }

  private SessionSecrets.Holder holder(String secret) {
    return service.secrets().find(secret)
        .orElseThrow(() -> ApiError.unauthorized("unknown or expired session secret: the gateway answers only the CLIs of a live Mason terminal"));
  }

  private static String secretOf(Context ctx) {
    String authorization = ctx.header("Authorization");
    if (authorization != null && authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
      return authorization.substring(7).trim();
    }
    for (String header : new String[] {"x-api-key", "x-goog-api-key"}) {
      if (ctx.header(header) != null) {
        return ctx.header(header).trim();
      }
    }
    return ctx.queryParam("key");
  }

  /** Only processes on this machine: the shells. The Apps proxy and anything else on the network are refused. */
  private static void requireLoopback(Context ctx) {
    if (!Loopback.is(ctx.req().getRemoteAddr())) {
      throw ApiError.forbidden("the gateway answers only processes on Mason's own machine");
    }
  }

  private void usage(Context ctx) {
    UsageLedger ledger = service.usage();
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("since", ledger.since());
    body.put("upstream", service.upstreamDescription());
    body.put("live_sessions", service.secrets().live());
    var lines = ledger.lines();
    Map<String, Long> totals = new LinkedHashMap<>();
    totals.put("requests", lines.stream().mapToLong(UsageLedger.Line::requests).sum());
    totals.put("errors", lines.stream().mapToLong(UsageLedger.Line::errors).sum());
    totals.put("input_tokens", lines.stream().mapToLong(UsageLedger.Line::inputTokens).sum());
    totals.put("output_tokens", lines.stream().mapToLong(UsageLedger.Line::outputTokens).sum());
    body.put("totals", totals);
    body.put("by_cli", lines);
    ctx.json(body);
  }
}
