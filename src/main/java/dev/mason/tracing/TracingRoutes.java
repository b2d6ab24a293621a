package dev.mason.tracing;

import dev.mason.web.Requests;
import dev.mason.web.Routes;
import io.javalin.config.RoutesConfig;

/** Whether runs are traced, where to, and how the exports are going. */
public final class TracingRoutes implements Routes {
  private final TracingService tracing;

  public TracingRoutes(TracingService tracing) {
    this.tracing = tracing;
  }

  @Override
  public void addTo(RoutesConfig routes) {
    routes.get("/api/mlflow/status", ctx -> ctx.json(tracing.status(Requests.caller(ctx))));
    routes.get("/api/config/mlflow/status", ctx -> ctx.json(tracing.status(Requests.caller(ctx))));
  }
}
