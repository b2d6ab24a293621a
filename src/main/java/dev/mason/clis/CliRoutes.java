package dev.mason.clis;

import dev.mason.common.Loopback;
import com.fasterxml.jackson.databind.JsonNode;
import dev.mason.common.Refusal;
import dev.mason.web.Json;
import dev.mason.web.Routes;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.Handler;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.UnaryOperator;

/**
 * The CLIs room's HTTP surface. {@code GET /api/setup-status}: the CLIs' setup in the reference's
 * shape ({@link SetupProgress}); it holds nothing secret. For the terminal owner:
 * {@code GET /api/workspace-sync} (every repository's last sync) and {@code POST /api/workspace-sync}
 * {@code {repo}} (retry one). For the post-commit hook in Mason's shells, from loopback with the
 * shell's session secret as bearer: {@code POST /api/workspace-sync/commit} {@code {path}}, answered
 * 202 at once.
 */
public final class CliRoutes implements Routes {
  private final CliService service;
  private final WorkspaceSync sync;
  private final Function<String, Optional<String>> sessionUser;
  private final UnaryOperator<Handler> ownerOnly;

  /** @param sessionUser the user of a live terminal session secret (the gateway's), empty for anything else */
  public CliRoutes(CliService service, WorkspaceSync sync, Function<String, Optional<String>> sessionUser, UnaryOperator<Handler> ownerOnly) {
    this.service = service;
    this.sync = sync;
    this.sessionUser = sessionUser;
    this.ownerOnly = ownerOnly;
  }

  @Override
  public void addTo(RoutesConfig routes) {
    routes.get("/api/setup-status", ctx -> ctx.json(service.setupStatus()));
    routes.get("/api/workspace-sync", ownerOnly.apply(ctx -> ctx.json(Map.of("repositories", sync.records()))));
    routes.post("/api/workspace-sync", ownerOnly.apply(ctx -> ctx.json(sync.retry(field(ctx, "repo")))));
    routes.post("/api/workspace-sync/commit", this::commit);
  }

  private void commit(Context ctx) {
    boolean loopback = Loopback.is(ctx.req().getRemoteAddr());
    String authorization = ctx.header("Authorization");
    String secret = authorization != null && authorization.regionMatches(true, 0, "Bearer ", 0, 7) ? authorization.substring(7).trim() : null;
    if (!loopback || secret == null || sessionUser.apply(secret).isEmpty()) {
      throw Refusal.unauthorized("a commit sync is asked for by the post-commit hook of a live Mason terminal, with its session secret");
    }
    ctx.status(202).json(sync.request(field(ctx, "path")));
  }

  private static String field(Context ctx, String name) {
    JsonNode body = Json.read(ctx.body(), JsonNode.class);
    JsonNode value = body.path(name);
    if (!value.isTextual() || value.asText().isBlank()) {
      throw Refusal.badRequest(name, name + " is required");
    }
    return value.asText();
  }
}
