package dev.mason.terminal;

import dev.mason.identity.AppOwner;
import dev.mason.identity.Caller;
import dev.mason.web.ApiError;
import dev.mason.web.PageOrigins;
import io.javalin.http.Context;

/**
 * Who may use terminals: the app's owner alone, since a shell is full access to the machine Mason
 * runs on. Checked on every terminal request and on the WebSocket upgrade. Browsers are also held
 * to Mason's own pages on every method, reads included (the request guard holds them only on
 * changes), so another site cannot drive or read the owner's shell through the owner's browser.
 */
final class TerminalAccess {
  private final AppOwner owner;
  private final PageOrigins origins;

  /** @param owner the app's owner; while it is unknown everyone is refused */
  TerminalAccess(AppOwner owner, PageOrigins origins) {
    this.owner = owner;
    this.origins = origins;
  }

  /** @throws ApiError 403 for anyone but the owner or a foreign origin, and for everyone while the owner is unknown */
  void check(Context ctx, Caller caller) {
    checkOrigin(ctx);
    owner.check(caller, "Terminals");
  }

  /** A request without {@code Origin} comes from a program, not a page, and passes. */
  private void checkOrigin(Context ctx) {
    String origin = ctx.header("Origin");
    if (origin == null || origin.isBlank() || origins.allows(origin, ctx.header("Host"), ctx.header("X-Forwarded-Host"))) {
      return;
    }
    throw ApiError.forbidden("requests from the page at " + origin.trim()
        + " are refused; a terminal only answers its own origin (add it to TERMINAL_ALLOWED_ORIGINS to allow it)");
  }
}
