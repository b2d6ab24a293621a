package dev.mason.web;

import dev.mason.common.Causes;
import dev.mason.identity.IdentityResolver;
import io.javalin.Javalin;
import io.javalin.json.JavalinJackson;
import jakarta.servlet.DispatcherType;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;
import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP server: Javalin on Jetty, virtual threads, every room's routes, one error mapping.
 */
public final class WebServer implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(WebServer.class);
  public static final long MAX_REQUEST_BYTES = 1024 * 1024;
  /** Part of the 10 s shutdown budget: web 2 s, final backup 4 s, embedded PostgreSQL 3 s (+1 s). */
  private static final long STOP_TIMEOUT_MILLIS = 2_000;

  private final Javalin app;
  private final int requestedPort;

  /**
   * Who may address Mason from a browser (see {@link RequestGuard}).
   *
   * @param allowedHosts host names, lower case, besides localhost, the bind address and IP literals
   * @param origins the pages allowed besides Mason's own, and whether a proxy's {@code X-Forwarded-Host}
   *     names Mason
   */
  public record Exposure(List<String> allowedHosts, PageOrigins origins) {
    /** Only Mason's own local names and origin. */
    public static Exposure local() {
      return new Exposure(List.of(), new PageOrigins(List.of(), false));
    }
  }

  public WebServer(String host, int port, IdentityResolver identity, List<Routes> rooms) {
    this(host, port, Exposure.local(), identity, rooms);
  }

  public WebServer(String host, int port, Exposure exposure, IdentityResolver identity, List<Routes> rooms) {
    this.requestedPort = port;
    var guard = new RequestGuard(new RequestGuard.Rules(host.toLowerCase(Locale.ROOT), exposure.allowedHosts(), exposure.origins(),
        rooms.stream().flatMap(room -> room.multipartPaths().stream()).collect(Collectors.toSet())));
    this.app = Javalin.create(config -> {
      config.startup.showJavalinBanner = false;
      config.startup.showOldJavalinVersionWarning = false;
      config.concurrency.useVirtualThreads = true;
      config.http.maxRequestSize = MAX_REQUEST_BYTES;
      config.http.defaultContentType = "application/json";
      config.router.ignoreTrailingSlashes = true;
      config.jsonMapper(new JavalinJackson(Json.MAPPER, true));
      config.jetty.host = host;
      config.jetty.port = port;
      config.jetty.modifyServer(server -> {
        server.setStopTimeout(STOP_TIMEOUT_MILLIS);
        server.setErrorHandler(new JsonErrorHandler());
      });
      config.jetty.modifyServletContextHandler(context -> {
        // First, so that it stands in front of every room's servlets and filters too.
        context.addFilter(new FilterHolder(guard), "/*", EnumSet.of(DispatcherType.REQUEST));
        rooms.forEach(room -> room.addServlets(context));
      });
      config.routes.before(ctx -> ctx.attribute(Requests.RESOLVER, identity));
      ErrorMapping.register(config.routes);
      rooms.forEach(room -> room.addTo(config.routes));
    });
  }

  /** Starts listening; throws with the port named when it is taken. */
  public WebServer start() {
    try {
      app.start();
    } catch (RuntimeException e) {
      throw new dev.mason.store.StartupException("Cannot listen on port " + requestedPort
          + ": " + Causes.rootMessage(e) + ". Set PORT to a free port, or stop what is using it.", e);
    }
    return this;
  }

  public int port() {
    return app.port();
  }

  @Override
  public void close() {
    log.info("Stopping the web server");
    app.stop();
  }

}
