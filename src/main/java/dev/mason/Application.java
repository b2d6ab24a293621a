package dev.mason;

import dev.mason.config.ConfigException;
import dev.mason.config.DatabaseSettings;
import dev.mason.config.Settings;
import dev.mason.databricks.DatabricksRoutes;
import dev.mason.databricks.DatabricksTools;
import dev.mason.databricks.ToolSettings;
import dev.mason.databricks.WorkspaceAccess;
import dev.mason.identity.IdentityResolver;
import dev.mason.project.ProjectRoutes;
import dev.mason.project.ProjectService;
import dev.mason.store.Database;
import dev.mason.store.HomeLock;
import dev.mason.store.StartupException;
import dev.mason.web.SystemRoutes;
import dev.mason.web.WebServer;
import java.io.IOException;
import java.io.InputStream;
import java.time.Clock;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Properties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running Mason: every part built and wired here, in start-up order, and stopped in reverse.
 */
public final class Application implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Application.class);

  private final Settings settings;
  private final Deque<AutoCloseable> stopOrder = new ArrayDeque<>();
  private final WebServer web;
  private final DatabricksTools databricksTools;

  private Application(Settings settings) {
    this.settings = settings;
    try {
      if (settings.database().target() instanceof DatabaseSettings.Embedded) {
        stopOrder.push(HomeLock.acquire(settings.storage().home()));
      }
      var workspace = new WorkspaceAccess(settings.workspace());
      databricksTools = new DatabricksTools(workspace, toolSettings());
      Database database = Database.start(settings.database(), workspace);
      stopOrder.push(database);

      var projects = new ProjectService(database, settings.storage().projectsDir(), settings.storage().home().resolve("tmp"));
      projects.startBackups(settings.backup().interval());
      stopOrder.push(projects);

      var localUser = new Memoized<>(workspace::localUserName);
      var identity = new IdentityResolver(settings.server().trustForwardedHeaders(),
          settings.workspace().configured() ? workspace : null, localUser, Clock.systemUTC());
      web = new WebServer(settings.server().bindAddress(), settings.server().port(), identity, List.of(
          new SystemRoutes(version(), database::health, settings.workspace().host()),
          new ProjectRoutes(projects),
          new DatabricksRoutes(workspace)));
      web.start();
      stopOrder.push(web);
    } catch (RuntimeException e) {
      close();
      throw e;
    }
  }

  public static Application start(Settings settings) {
    return new Application(settings);
  }

  public int port() {
    return web.port();
  }

  public Settings settings() {
    return settings;
  }

  /** The Databricks tools, for the agent engine and the MCP server (none are offered without a workspace). */
  public DatabricksTools databricksTools() {
    return databricksTools;
  }

  /** MASON_TOOL_ASYNC_AFTER_SECONDS, read from the process environment until Settings carries it. */
  private static ToolSettings toolSettings() {
    try {
      return ToolSettings.fromEnvironment(System.getenv());
    } catch (ConfigException e) {
      throw new StartupException("Configuration error: " + e.getMessage(), e);
    }
  }

  /** The URL people open: loopback names read better than 0.0.0.0. */
  public String url() {
    String host = settings.server().bindAddress();
    return "http://" + (host.equals("0.0.0.0") || host.equals("127.0.0.1") ? "localhost" : host) + ":" + port();
  }

  public static String version() {
    try (InputStream in = Application.class.getResourceAsStream("/mason-version.properties")) {
      Properties properties = new Properties();
      if (in != null) {
        properties.load(in);
      }
      return properties.getProperty("version", "dev");
    } catch (IOException e) {
      return "dev";
    }
  }

  /** Stops every started part in reverse order; each part bounds its own wait. */
  @Override
  public synchronized void close() {
    while (!stopOrder.isEmpty()) {
      AutoCloseable part = stopOrder.pop();
      try {
        part.close();
      } catch (Exception e) {
        log.warn("Stopping {} failed: {}", part.getClass().getSimpleName(), e.toString());
      }
    }
  }
}
