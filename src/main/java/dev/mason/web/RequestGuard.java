package dev.mason.web;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * What every request passes before any room sees it (Javalin's routes, the WebSocket upgrade and
 * the MCP servlet alike), against pages in the user's browser that try to use Mason:
 *
 * <ul>
 *   <li><b>DNS rebinding.</b> A page at {@code http://evil.example:8000} whose name the attacker
 *       points at 127.0.0.1 talks to Mason as its own origin. Its requests still say
 *       {@code Host: evil.example:8000}, so a request is answered only when {@code Host} names
 *       Mason: localhost, the bind address, an IP literal (a rebinding needs a name), the host of
 *       the public URL or {@code MASON_ALLOWED_HOSTS}; on Databricks Apps, the host its proxy
 *       forwards (nowhere else: a page on a rebound name can send {@code X-Forwarded-Host} itself).
 *   <li><b>Cross-site requests.</b> A state-changing request ({@code POST}, {@code PUT},
 *       {@code PATCH}, {@code DELETE}) whose {@code Origin} is another site's is refused. So is one
 *       whose body is of a type an HTML form can send without the browser asking Mason first
 *       ({@code text/plain}, {@code application/x-www-form-urlencoded}, {@code multipart/form-data}),
 *       except multipart on a room's upload route from Mason's own page.
 *   <li><b>Headers on every response:</b> {@code nosniff}, {@code Referrer-Policy} and
 *       {@code X-Frame-Options: DENY} (pages add {@code frame-ancestors 'none'} to their CSP).
 * </ul>
 *
 * <p>Immutable and thread-safe.
 */
final class RequestGuard extends HttpFilter {
  private static final Set<String> STATE_CHANGING = Set.of("POST", "PUT", "PATCH", "DELETE");
  private static final Set<String> FORM_TYPES = Set.of("text/plain", "application/x-www-form-urlencoded", "multipart/form-data");
  private static final Set<String> LOCAL_NAMES = Set.of("localhost", "localhost.localdomain", "ip6-localhost");

  /**
   * @param bindAddress the address Mason listens on
   * @param allowedHosts further host names, lower case
   * @param origins the pages allowed to change anything; whether a proxy's {@code X-Forwarded-Host}
   *     is believed (on Databricks Apps only) for host names too
   * @param multipartPaths routes that take {@code multipart/form-data} from Mason's own pages
   */
  record Rules(String bindAddress, List<String> allowedHosts, PageOrigins origins, Set<String> multipartPaths) {
    Rules {
      allowedHosts = List.copyOf(allowedHosts);
      multipartPaths = Set.copyOf(multipartPaths);
    }
  }

  private final Rules rules;

  RequestGuard(Rules rules) {
    this.rules = rules;
  }

  @Override
  protected void doFilter(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
      throws IOException, ServletException {
    response.setHeader("X-Content-Type-Options", "nosniff");
    response.setHeader("Referrer-Policy", "strict-origin-when-cross-origin");
    response.setHeader("X-Frame-Options", "DENY");
    String refusal = refusal(request);
    if (refusal != null) {
      Map<String, Object> body = new LinkedHashMap<>();
      body.put("error", refusal);
      body.put("field", null);
      byte[] bytes = Json.write(body).getBytes(StandardCharsets.UTF_8);
      response.setStatus(403);
      response.setContentType("application/json");
      response.setContentLength(bytes.length);
      response.getOutputStream().write(bytes);
      return;
    }
    chain.doFilter(request, response);
  }

  /** Why the request is refused, or null when it may go on. */
  private String refusal(HttpServletRequest request) {
    String host = request.getHeader("Host");
    if (host != null && !hostAllowed(hostName(host), request)) {
      return "requests for the host '" + host.trim() + "' are refused: Mason answers only its own names "
          + "(localhost, its address, MASON_PUBLIC_URL's host); add the name to MASON_ALLOWED_HOSTS if it is Mason's";
    }
    if (!STATE_CHANGING.contains(request.getMethod())) {
      return null;
    }
    String origin = request.getHeader("Origin");
    boolean ownOrigin = origin != null
        && rules.origins().allows(origin, request.getHeader("Host"), request.getHeader("X-Forwarded-Host"));
    if (origin != null && !ownOrigin) {
      return "a " + request.getMethod() + " from the page at " + origin.trim() + " is refused: only Mason's own pages may "
          + "change anything (add the origin to TERMINAL_ALLOWED_ORIGINS if it is yours)";
    }
    String type = mediaType(request.getContentType());
    if (FORM_TYPES.contains(type)) {
      if (type.equals("multipart/form-data") && rules.multipartPaths().contains(request.getRequestURI())) {
        return ownOrigin ? null : "an upload is accepted only from Mason's own page (its Origin header)";
      }
      return "a " + type + " body is refused: any web page can send one to Mason through the user's browser; send application/json";
    }
    return null;
  }

  private boolean hostAllowed(String name, HttpServletRequest request) {
    if (name.isEmpty() || isIpLiteral(name) || LOCAL_NAMES.contains(name) || name.equals(rules.bindAddress())
        || rules.allowedHosts().contains(name)) {
      return true;
    }
    // Behind the Apps proxy the browser reached the proxy's name, which it forwards; a page cannot
    // talk to Mason except through that proxy.
    return rules.origins().trustForwardedHost() && request.getHeader("X-Forwarded-Host") != null;
  }


  /** The name part of a Host header, lower case, without port, brackets or a final dot. */
  static String hostName(String host) {
    String value = host.trim().toLowerCase(Locale.ROOT);
    if (value.startsWith("[")) {
      int end = value.indexOf(']');
      return end < 0 ? value : value.substring(0, end + 1);
    }
    int colon = value.lastIndexOf(':');
    String name = colon >= 0 ? value.substring(0, colon) : value;
    return name.endsWith(".") ? name.substring(0, name.length() - 1) : name;
  }

  /** An IPv4 or bracketed IPv6 literal: a name of digits and dots only cannot be registered (no top-level domain is numeric). */
  private static boolean isIpLiteral(String name) {
    return name.startsWith("[") || name.matches("[0-9.]+");
  }


  private static String mediaType(String contentType) {
    if (contentType == null) {
      return "";
    }
    int semicolon = contentType.indexOf(';');
    return (semicolon < 0 ? contentType : contentType.substring(0, semicolon)).trim().toLowerCase(Locale.ROOT);
  }

}
