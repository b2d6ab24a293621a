package dev.mason.databricks;

import io.javalin.Javalin;

/**
 * A workspace's AI Gateway host for tests: the same model endpoints as the workspace's
 * {@code /serving-endpoints}, under the gateway's paths ({@code /anthropic}, {@code /openai/v1},
 * {@code /gemini}), accepting the workspace's tokens. Its requests are recorded in the workspace's
 * {@link FakeWorkspace#requests()}.
 */
public final class FakeAiGateway implements AutoCloseable {
  private final Javalin app;

  private FakeAiGateway(FakeWorkspace workspace, String prefix) {
    app = Javalin.create(config -> {
      config.startup.showJavalinBanner = false;
      config.startup.showOldJavalinVersionWarning = false;
      config.concurrency.useVirtualThreads = true;
      config.jetty.host = "127.0.0.1";
      config.jetty.port = 0;
      config.routes.before(workspace::admit);
      config.routes.exception(FakeError.class, (e, ctx) -> FakeWorkspace.error(ctx, e.status, e.code, e.getMessage()));
      workspace.models.addTo(config.routes, prefix + "/anthropic", prefix + "/openai/v1", prefix + "/gemini");
    });
  }

  public static FakeAiGateway start(FakeWorkspace workspace) {
    return start(workspace, "");
  }

  /** A gateway whose routes are under {@code prefix} (a path standing for a discovered host's name). */
  public static FakeAiGateway start(FakeWorkspace workspace, String prefix) {
    FakeAiGateway gateway = new FakeAiGateway(workspace, prefix);
    gateway.app.start();
    return gateway;
  }

  /** The value for DATABRICKS_GATEWAY_HOST. */
  public String url() {
    return "http://127.0.0.1:" + app.port();
  }

  @Override
  public void close() {
    app.stop();
  }
}
