package dev.mason.clis;

import dev.mason.web.Routes;
import io.javalin.config.RoutesConfig;

/** {@code GET /api/setup-status}: the CLIs' setup in the reference's shape ({@link SetupProgress}). It holds nothing secret. */
public final class CliRoutes implements Routes {
  private final CliService service;

  public CliRoutes(CliService service) {
    this.service = service;
  }

  @Override
  public void addTo(RoutesConfig routes) {
    routes.get("/api/setup-status", ctx -> ctx.json(service.setupStatus()));
  }
}
