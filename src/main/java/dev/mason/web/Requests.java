package dev.mason.web;

import dev.mason.identity.Caller;
import dev.mason.identity.IdentityResolver;
import io.javalin.http.Context;
import java.util.UUID;

/** What handlers need from a request beyond Javalin's own: the caller, ids, bounded text. */
public final class Requests {
  private static final String CALLER = "mason.caller";
  static final String RESOLVER = "mason.identity";

  private Requests() {}

  /** The caller, established once per request (a bearer token costs a workspace call when not cached). */
  public static Caller caller(Context ctx) {
    Caller caller = ctx.attribute(CALLER);
    if (caller == null) {
      IdentityResolver resolver = ctx.attribute(RESOLVER);
      caller = resolver.resolve(ctx::header);
      ctx.attribute(CALLER, caller);
    }
    return caller;
  }

  /**
   * A path parameter that must be a UUID. A malformed id is answered like a missing one (404),
   * so ids cannot be probed.
   */
  public static UUID uuidParam(Context ctx, String name, String what) {
    try {
      return UUID.fromString(ctx.pathParam(name));
    } catch (IllegalArgumentException e) {
      throw ApiError.notFound(what);
    }
  }
}
