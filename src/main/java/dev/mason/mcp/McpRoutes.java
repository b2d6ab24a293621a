package dev.mason.mcp;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.mason.databricks.DatabricksTools;
import dev.mason.identity.Caller;
import dev.mason.identity.IdentityResolver;
import dev.mason.identity.RunCredentials;
import dev.mason.web.Routes;
import io.javalin.config.RoutesConfig;
import java.nio.file.Path;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;

/**
 * The MCP room's HTTP surface: the MCP server itself at {@code /mcp} (a servlet beside Javalin's),
 * and two pages for people, {@code GET /mcp/health} and {@code GET /mcp/tools} (the tools exactly
 * as tools/list describes them).
 */
public final class McpRoutes implements Routes, AutoCloseable {
  /** The names of the tools only the MCP server offers: delegating whole tasks to Mason. */
  public static final List<String> DELEGATION_TOOLS =
      List.of(DelegationTools.RUN, DelegationTools.INBOX, DelegationTools.GET_RESULT, DelegationTools.CANCEL);

  private final McpTools tools;
  private final McpEndpoint endpoint;
  private final TaskService tasks;
  private final boolean databricksTools;
  private final String version;

  /**
   * @param trustForwardedHeaders whether the Apps proxy's headers identify callers (as everywhere in Mason)
   * @param home MASON_HOME: tool calls made over MCP keep their local files under {@code home/mcp/users}
   * @param shellCallers whom a terminal's session secret stands for (see {@link McpAuthFilter})
   */
  public McpRoutes(IdentityResolver identity, RunCredentials runs, DatabricksTools databricks, TaskService tasks,
      boolean trustForwardedHeaders, Path home, String version, Function<String, Optional<Caller>> shellCallers) {
    this.tasks = tasks;
    this.databricksTools = databricks.available();
    this.version = version;
    this.tools = new McpTools(databricks, new DelegationTools(tasks), home.resolve("mcp").resolve("users"));
    var filter = new McpAuthFilter(identity, runs, new SessionOwners(Clock.systemUTC()), tasks.credentials(), tasks.settings(),
        trustForwardedHeaders, databricks.available(), shellCallers);
    this.endpoint = new McpEndpoint(tools, filter, version);
  }

  @Override
  public void addTo(RoutesConfig routes) {
    routes.get("/mcp/health", ctx -> {
      Map<String, Object> body = new LinkedHashMap<>();
      body.put("status", "ok");
      body.put("server", "mason");
      body.put("version", version);
      body.put("endpoint", McpEndpoint.PATH);
      body.put("transport", "streamable-http");
      body.put("protocol_versions", endpoint.protocolVersions());
      body.put("tools", tools.descriptors().size());
      body.put("databricks_tools", databricksTools);
      body.put("max_tasks_per_user", tasks.settings().maxTasksPerUser());
      ctx.json(body);
    });
    routes.get("/mcp/tools", ctx -> ctx.contentType("application/json").result(toolsJson()));
  }

  @Override
  public void addServlets(ServletContextHandler context) {
    endpoint.mount(context);
  }

  /**
   * Ends every MCP session, completing the streams clients hold open, so that the web server
   * that stops next has no request left to wait for. Clients open new sessions after a restart.
   */
  @Override
  public void close() {
    endpoint.close();
  }

  /** {@code {"tools": [...]}} in tools/list's own shape (camelCase, as MCP clients read it). */
  private String toolsJson() throws JsonProcessingException {
    return McpTools.WIRE.writeValueAsString(Map.of("tools", tools.descriptors()));
  }
}
