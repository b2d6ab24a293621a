package dev.mason.terminal;

import dev.mason.identity.AppOwner;
import dev.mason.identity.Caller;
import dev.mason.web.ApiError;
import io.javalin.http.Context;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.List;
import java.util.Locale;

/**
 * Who may use terminals: the app's owner alone, since a shell is full access to the machine Mason
 * runs on. Checked on every terminal request and on the WebSocket upgrade. Browsers are also held
 * to Mason's own origin (or a configured one), so another site cannot drive the owner's shell
 * through the owner's browser.
 */
final class TerminalAccess {
  private final AppOwner owner;
  private final List<String> allowedOrigins;

  /** @param owner the app's owner; while it is unknown everyone is refused */
  TerminalAccess(AppOwner owner, List<String> allowedOrigins) {
    this.owner = owner;
    this.allowedOrigins = allowedOrigins;
  }

  /** @throws ApiError 403 for anyone but the owner or a foreign origin, and for everyone while the owner is unknown */
  void check(Context ctx, Caller caller) {
    checkOrigin(ctx);
    owner.check(caller, "Terminals");
  }

  /**
   * A request without {@code Origin} comes from a program, not a page, and passes. A page must come
   * from the host it talks to ({@code Host}, or {@code X-Forwarded-Host} behind a proxy; neither can
   * be set by a page) or from a configured origin.
   */
  private void checkOrigin(Context ctx) {
    String origin = ctx.header("Origin");
    if (origin == null || origin.isBlank()) {
      return;
    }
    String normalized = origin.trim().replaceAll("/+$", "").toLowerCase(Locale.ROOT);
    if (allowedOrigins.contains(normalized)) {
      return;
    }
    String authority = authorityOf(normalized);
    if (authority != null && (authority.equals(lower(ctx.header("Host"))) || authority.equals(firstForwardedHost(ctx)))) {
      return;
    }
    throw ApiError.forbidden("requests from the page at " + origin.trim()
        + " are refused; a terminal only answers its own origin (add it to TERMINAL_ALLOWED_ORIGINS to allow it)");
  }

  private static String authorityOf(String origin) {
    try {
      URI uri = new URI(origin);
      return uri.getScheme() == null || uri.getRawAuthority() == null ? null : uri.getRawAuthority();
    } catch (URISyntaxException e) {
      return null;
    }
  }

  private static String firstForwardedHost(Context ctx) {
    String forwarded = ctx.header("X-Forwarded-Host");
    return forwarded == null ? null : lower(forwarded.split(",")[0]);
  }

  private static String lower(String value) {
    return value == null ? null : value.trim().toLowerCase(Locale.ROOT);
  }
}
