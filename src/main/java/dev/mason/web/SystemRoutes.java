package dev.mason.web;

import dev.mason.identity.Caller;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Supplier;

/** Health, version and "who am I": the routes every deployment and client checks first. */
public final class SystemRoutes implements Routes {
  private final String version;
  private final Supplier<String> databaseHealth;
  private final String workspaceUrl;
  private final boolean lakebase;
  private final Map<String, Object> model;
  private final Supplier<Map<String, Object>> setup;
  private final Function<Caller, String> modelCredential;

  /**
   * @param databaseHealth "ok" or "error: …"
   * @param workspaceUrl the workspace's URL, or null when none is configured
   * @param lakebase whether the database is Databricks Lakebase (else embedded or another PostgreSQL)
   * @param model the model summary the page shows before the first message (see {@code ModelSettings.summary()})
   * @param modelCredential which credential a caller's model calls carry: {@code configured},
   *     {@code user} (their forwarded token) or {@code app_service_principal}
   * @param setup the terminal CLIs' setup summary {@code /health} carries; it never makes Mason unhealthy
   */
  public SystemRoutes(String version, Supplier<String> databaseHealth, String workspaceUrl, boolean lakebase,
      Map<String, Object> model, Function<Caller, String> modelCredential, Supplier<Map<String, Object>> setup) {
    this.modelCredential = modelCredential;
    this.setup = setup;
    this.version = version;
    this.lakebase = lakebase;
    this.databaseHealth = databaseHealth;
    this.workspaceUrl = workspaceUrl;
    this.model = new LinkedHashMap<>(model);
  }

  @Override
  public void addTo(RoutesConfig routes) {
    routes.get("/api/health", this::health);
    routes.get("/health", this::health);
    routes.get("/api/config/health", this::health);
    routes.get("/api/version", ctx -> ctx.json(Map.of("version", version)));
    routes.get("/api/me", this::me);
    routes.get("/api/config/me", this::me);
  }

  private void health(Context ctx) {
    String database = databaseHealth.get();
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("status", database.equals("ok") ? "healthy" : "degraded");
    body.put("version", version);
    body.put("database", database);
    body.put("setup_status", setup.get());
    ctx.status(database.equals("ok") ? 200 : 503).json(body);
  }

  private void me(Context ctx) {
    var caller = Requests.caller(ctx);
    String database = databaseHealth.get();
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("user", caller.user());
    body.put("workspace_url", workspaceUrl);
    body.put("identity_source", caller.source().name().toLowerCase());
    body.put("database", database);
    body.put("lakebase_configured", lakebase);
    body.put("lakebase_error", lakebase && !database.equals("ok") ? database : null);
    body.put("model", model);
    body.put("model_credential", modelCredential.apply(caller));
    ctx.json(body);
  }
}
