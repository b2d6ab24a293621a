package dev.mason.mcp;

import io.modelcontextprotocol.common.McpTransportContext;
import io.modelcontextprotocol.json.jackson2.JacksonMcpJsonMapper;
import io.modelcontextprotocol.server.McpServer;
import io.modelcontextprotocol.server.McpSyncServer;
import io.modelcontextprotocol.server.transport.HttpServletStreamableServerTransportProvider;
import io.modelcontextprotocol.spec.McpSchema;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.http.HttpServletRequest;
import java.time.Duration;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The MCP server at {@code /mcp}: the official SDK's streamable HTTP transport (a servlet) with
 * Mason's tools, behind {@link McpAuthFilter}. The SDK negotiates the protocol version: a client
 * asking for one it supports (2025-06-18, 2025-11-25, and the earlier ones) gets it.
 *
 * <p>Sessions live in the SDK's memory; one unused for {@link #SESSION_SWEEP} to twice that is
 * closed, and its client gets 404 and opens a new one, as the protocol provides.
 */
final class McpEndpoint {
  static final String PATH = "/mcp";
  static final Duration SESSION_SWEEP = Duration.ofHours(1);
  /** Above the web server's 1 MiB: a tool call may carry a file's content. */
  static final int MAX_REQUEST_BYTES = 4 * 1024 * 1024;
  private static final Duration CLOSE_LIMIT = Duration.ofSeconds(1);
  private static final Logger log = LoggerFactory.getLogger(McpEndpoint.class);
  static final String INSTRUCTIONS = """
      Mason runs Databricks tools as you (your workspace identity and permissions) and takes whole tasks off your \
      hands. Delegate long work with mason_run and carry on: it returns at once with a task_id and a viewer_url a \
      person can open to watch. Check mason_inbox or mason_get_result later, not in a tight loop.""";

  private final HttpServletStreamableServerTransportProvider transport;
  /** Kept so the server lives as long as its transport. */
  private final McpSyncServer server;
  private final McpAuthFilter filter;

  McpEndpoint(McpTools tools, McpAuthFilter filter, String version) {
    this.filter = filter;
    this.transport = HttpServletStreamableServerTransportProvider.builder()
        .jsonMapper(new JacksonMcpJsonMapper(McpTools.WIRE))
        .mcpEndpoint(PATH)
        .contextExtractor(McpEndpoint::context)
        .maxRequestSize(MAX_REQUEST_BYTES)
        .sessionSweepInterval(SESSION_SWEEP)
        .build();
    this.server = McpServer.sync(transport)
        .serverInfo("mason", version)
        .instructions(INSTRUCTIONS)
        .capabilities(McpSchema.ServerCapabilities.builder().tools(false).build())
        // Handlers run on the request's own (virtual) thread; they block on workspace calls.
        .immediateExecution(true)
        // Mason's own check (the agent's) runs in the dispatcher and phrases problems the same way.
        .validateToolInputs(false)
        .tools(tools.specifications())
        .build();
  }

  /** Closes every session, bounded by {@link #CLOSE_LIMIT}. */
  void close() {
    try {
      transport.closeGracefully().block(CLOSE_LIMIT);
    } catch (RuntimeException e) {
      log.warn("MCP sessions were not all closed within {} s: {}", CLOSE_LIMIT.toSeconds(), e.toString());
    }
  }

  /** The protocol versions the transport negotiates. */
  List<String> protocolVersions() {
    return transport.protocolVersions();
  }

  /** Mounts the filter and the SDK's servlet at exactly {@link #PATH}; Javalin keeps every other path. */
  void mount(ServletContextHandler context) {
    FilterHolder auth = new FilterHolder(filter);
    auth.setAsyncSupported(true);
    context.addFilter(auth, PATH, EnumSet.of(DispatcherType.REQUEST));
    FilterHolder envelope = new FilterHolder(new McpRequestCheck(MAX_REQUEST_BYTES));
    envelope.setAsyncSupported(true);
    context.addFilter(envelope, PATH, EnumSet.of(DispatcherType.REQUEST));
    ServletHolder servlet = new ServletHolder("mcp", transport);
    servlet.setAsyncSupported(true);
    context.addServlet(servlet, PATH);
  }

  private static McpTransportContext context(HttpServletRequest request) {
    Map<String, Object> values = new HashMap<>();
    Object caller = request.getAttribute(McpAuthFilter.CALLER);
    Object baseUrl = request.getAttribute(McpAuthFilter.BASE_URL);
    if (caller != null) {
      values.put(McpAuthFilter.CALLER, caller);
    }
    if (baseUrl != null) {
      values.put(McpAuthFilter.BASE_URL, baseUrl);
    }
    return McpTransportContext.create(values);
  }
}
