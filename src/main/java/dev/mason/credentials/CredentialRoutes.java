package dev.mason.credentials;

import dev.mason.common.Refusal;
import dev.mason.web.ApiError;
import dev.mason.web.Json;
import dev.mason.web.Routes;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.Handler;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * The owner's credential over HTTP, with the reference's paths: {@code GET /api/pat-status} and
 * {@code POST /api/configure-pat {token}}. Both are the terminal owner's alone (403 otherwise). No
 * answer ever contains a token.
 */
public final class CredentialRoutes implements Routes {
  private static final int MAX_TOKEN_LENGTH = 4096;

  private final CredentialService service;
  private final UnaryOperator<Handler> ownerOnly;

  /** @param ownerOnly wraps a handler in the terminal owner check */
  public CredentialRoutes(CredentialService service, UnaryOperator<Handler> ownerOnly) {
    this.service = service;
    this.ownerOnly = ownerOnly;
  }

  record ConfigurePat(String token) {
    ConfigurePat {
      token = token == null ? "" : token.strip();
      if (token.isEmpty()) {
        throw ApiError.badRequest("token", "Token required");
      }
      if (token.length() > MAX_TOKEN_LENGTH || !token.chars().allMatch(c -> c > 32 && c < 127)) {
        throw ApiError.badRequest("token", "Invalid token: a workspace token is up to " + MAX_TOKEN_LENGTH
            + " printable characters without spaces");
      }
    }

    @Override
    public String toString() {
      return "ConfigurePat[token=****]";
    }
  }

  @Override
  public void addTo(RoutesConfig routes) {
    routes.get("/api/pat-status", ownerOnly.apply(ctx -> ctx.json(service.status())));
    routes.post("/api/configure-pat", ownerOnly.apply(this::configure));
  }

  private void configure(Context ctx) {
    ConfigurePat request;
    try {
      request = Json.read(ctx.body(), ConfigurePat.class);
    } catch (Refusal e) {
      // A parser's message quotes the text it choked on, which may be the token itself.
      throw e.field() != null ? e : ApiError.badRequest("token", "send {\"token\": \"...\"} as a JSON object");
    }
    CredentialService.Configured configured = service.configure(request.token());
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("status", "ok");
    body.put("user", configured.user());
    body.put("replaced", configured.replaced());
    body.put("message", (configured.replaced() ? "Token replaced" : "Token configured") + " for " + configured.user()
        + ". Mason mints short-lived tokens from it and rotates them.");
    body.put("pat_status", service.status());
    ctx.json(body);
  }
}
