package dev.mason.mcp;

import dev.mason.common.Loopback;
import dev.mason.common.Refusal;
import dev.mason.identity.Caller;
import dev.mason.identity.IdentityResolver;
import dev.mason.identity.RunCredentials;
import dev.mason.web.Json;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpServletResponseWrapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * Stands in front of the MCP SDK's servlet: establishes the caller of every {@code /mcp} request
 * through the same {@link IdentityResolver} as the rest of Mason, and keeps MCP sessions to the
 * user who opened them.
 *
 * <p>Accepted: a bearer workspace token (checked with the workspace, cached), the Databricks
 * Apps proxy's headers when they are trusted, or the MCP secret of a process Mason runs for a user
 * (the Claude Code runtime), which acts as that user with their latest token. Not accepted: a request without either, which
 * elsewhere in Mason means the local user — an MCP client must say who it is. Refusals are
 * 401 with {@code WWW-Authenticate: Bearer}; a session id opened by another user, or unknown, is
 * 404. Bodies are Mason's JSON error shape {@code {"error", "field"}}.
 *
 * <p>Passes the caller and the URL the client reached Mason at to the SDK as request attributes
 * ({@link #CALLER}, {@link #BASE_URL}), from which the transport context is built.
 */
final class McpAuthFilter extends HttpFilter {
  static final String CALLER = "mason.mcp.caller";
  static final String BASE_URL = "mason.mcp.base_url";
  static final String SESSION_HEADER = "Mcp-Session-Id";
  /** How a terminal's session secret begins (the gateway's secrets). */
  static final String SHELL_SECRET_PREFIX = "mason-session-";
  private static final String CHALLENGE = "Bearer realm=\"mason\"";

  private final IdentityResolver identity;
  private final RunCredentials runs;
  private final SessionOwners sessions;
  private final PresentedCredentials credentials;
  private final McpSettings settings;
  private final boolean trustForwardedHeaders;
  private final boolean workspaceConfigured;
  private final Function<String, Optional<Caller>> shellCallers;

  /**
   * @param runs the secrets of processes Mason runs for users (the Claude Code runtime)
   * @param shellCallers the caller a terminal's session secret stands for (the terminal owner, with
   *     the current rotated token), for CLIs in Mason's own shells; empty for any other bearer
   */
  McpAuthFilter(IdentityResolver identity, RunCredentials runs, SessionOwners sessions, PresentedCredentials credentials,
      McpSettings settings, boolean trustForwardedHeaders, boolean workspaceConfigured,
      Function<String, Optional<Caller>> shellCallers) {
    this.shellCallers = shellCallers;
    this.identity = identity;
    this.runs = runs;
    this.sessions = sessions;
    this.credentials = credentials;
    this.settings = settings;
    this.trustForwardedHeaders = trustForwardedHeaders;
    this.workspaceConfigured = workspaceConfigured;
  }

  @Override
  protected void doFilter(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
      throws IOException, ServletException {
    response.setHeader("X-Content-Type-Options", "nosniff");
    Caller caller;
    try {
      caller = runCaller(request.getHeader("Authorization"));
      if (caller == null) {
        caller = shellCaller(request).orElseGet(() -> identity.resolve(request::getHeader));
      }
    } catch (Refusal e) {
      refuse(response, e.status(), e.getMessage(), e.status() == 401 && request.getHeader("Authorization") != null);
      return;
    }
    if (caller.source() == Caller.Source.LOCAL) {
      refuse(response, 401, workspaceConfigured
          ? "MCP clients must identify themselves: send Authorization: Bearer <your Databricks workspace token>"
          : "MCP clients must identify themselves, but no Databricks workspace is configured to check a bearer token: "
              + "set DATABRICKS_HOST", false);
      return;
    }
    String session = request.getHeader(SESSION_HEADER);
    if (session != null && !session.isBlank() && !caller.user().equals(sessions.use(session))) {
      write(response, 404, "MCP session not found; send initialize to open a new one");
      return;
    }
    credentials.remember(caller);
    request.setAttribute(CALLER, caller);
    request.setAttribute(BASE_URL, baseUrl(request));
    chain.doFilter(request, new OpeningResponse(response, caller.user()));
    if (session != null && "DELETE".equals(request.getMethod()) && response.getStatus() == 200) {
      sessions.forget(session);
    }
  }

  /** The user a run's MCP secret acts as; null when the header holds no such secret; 401 when it is one no longer live. */
  private Caller runCaller(String authorization) {
    if (authorization == null || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
      return null;
    }
    String token = authorization.substring(7).trim();
    if (!token.startsWith(RunCredentials.PREFIX)) {
      return null;
    }
    return runs.find(token, RunCredentials.Scope.MCP)
        .orElseThrow(() -> Refusal.unauthorized("this run's MCP secret has expired: its process has ended"));
  }

  /**
   * Records who opened a session the moment the SDK names it in a response header: before the
   * answer reaches the client, which may use the session at once.
   */
  private final class OpeningResponse extends HttpServletResponseWrapper {
    private final String user;

    OpeningResponse(HttpServletResponse response, String user) {
      super(response);
      this.user = user;
    }

    @Override
    public void setHeader(String name, String value) {
      claim(name, value);
      super.setHeader(name, value);
    }

    @Override
    public void addHeader(String name, String value) {
      claim(name, value);
      super.addHeader(name, value);
    }

    private void claim(String name, String value) {
      if (SESSION_HEADER.equalsIgnoreCase(name) && value != null && !value.isBlank()) {
        sessions.claim(value, user);
      }
    }
  }

  /**
   * A CLI in one of Mason's terminals presents its session secret as a bearer token: from loopback
   * only, it stands for the terminal owner acting with the current rotated token. A secret that
   * opens nothing (ended session, no credential yet) is refused here rather than sent to the
   * workspace as if it were a token.
   */
  private Optional<Caller> shellCaller(HttpServletRequest request) {
    String authorization = request.getHeader("Authorization");
    if (authorization == null || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
      return Optional.empty();
    }
    String secret = authorization.substring(7).trim();
    if (!secret.startsWith(SHELL_SECRET_PREFIX)) {
      return Optional.empty();
    }
    Optional<Caller> caller = Loopback.is(request.getRemoteAddr()) ? shellCallers.apply(secret) : Optional.empty();
    if (caller.isEmpty()) {
      throw Refusal.unauthorized("unknown or expired terminal session secret, or no workspace credential yet: "
          + "a terminal's secret opens /mcp only for the CLIs of a live Mason terminal, once the owner's token is configured");
    }
    return caller;
  }

  /** Mason's URL as this client reaches it: the configured one, else the proxy's forwarded host, else Host. */
  private String baseUrl(HttpServletRequest request) {
    if (settings.publicUrl() != null) {
      return settings.publicUrl();
    }
    String forwardedHost = trustForwardedHeaders ? first(request.getHeader("X-Forwarded-Host")) : null;
    if (forwardedHost != null) {
      String proto = first(request.getHeader("X-Forwarded-Proto"));
      return (proto == null ? "https" : proto) + "://" + forwardedHost;
    }
    String host = request.getHeader("Host");
    return request.getScheme() + "://" + (host == null || host.isBlank() ? request.getServerName() + ":" + request.getServerPort() : host);
  }

  private static String first(String header) {
    if (header == null || header.isBlank()) {
      return null;
    }
    return header.split(",")[0].trim();
  }

  private static void refuse(HttpServletResponse response, int status, String message, boolean tokenRejected) throws IOException {
    if (status == 401) {
      response.setHeader("WWW-Authenticate", tokenRejected ? CHALLENGE + ", error=\"invalid_token\"" : CHALLENGE);
    }
    write(response, status, message);
  }

  private static void write(HttpServletResponse response, int status, String message) throws IOException {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("error", message);
    body.put("field", null);
    byte[] bytes = Json.write(body).getBytes(StandardCharsets.UTF_8);
    response.setStatus(status);
    response.setContentType("application/json");
    response.setContentLength(bytes.length);
    response.getOutputStream().write(bytes);
  }
}
