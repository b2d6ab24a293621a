package dev.mason.web;

import dev.mason.common.Refusal;
import dev.mason.store.DatabaseUnavailableException;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns every failure into a JSON error body {@code {"error": message, "field": name or null}};
 * no handler formats its own errors.
 *
 * <p>Unexpected exceptions are logged with a reference id that the response carries, and the
 * response says nothing else about them: no stack trace or message can leak a secret.
 */
public final class ErrorMapping {
  private static final Logger log = LoggerFactory.getLogger(ErrorMapping.class);

  private ErrorMapping() {}

  static void register(RoutesConfig routes) {
    routes.exception(Refusal.class, (e, ctx) -> write(ctx, e.status(), e.getMessage(), e.field()));
    routes.exception(HttpResponseException.class, (e, ctx) -> write(ctx, e.getStatus(), describe(e), null));
    routes.exception(DatabaseUnavailableException.class, (e, ctx) -> {
      log.warn("{} {} answered 503: {}", ctx.method(), ctx.path(), e.getMessage());
      write(ctx, 503, e.getMessage(), null);
    });
    routes.exception(Exception.class, (e, ctx) -> {
      String reference = UUID.randomUUID().toString().substring(0, 8);
      log.error("Unhandled error on {} {} (ref {})", ctx.method(), ctx.path(), reference, e);
      write(ctx, 500, "internal error (ref " + reference + "); the server log has the details", null);
    });
    routes.error(404, ctx -> {
      if (ctx.result() == null || ctx.result().isEmpty() || !isJson(ctx)) {
        write(ctx, 404, "no route for " + ctx.method() + " " + ctx.path(), null);
      }
    });
  }

  /** A library's message may name one of Mason's classes (a record it could not build): say "the request" instead. */
  static String withoutClassNames(String message) {
    return message == null ? null : INTERNAL_CLASS.matcher(message).replaceAll("the request");
  }

  private static final java.util.regex.Pattern INTERNAL_CLASS = java.util.regex.Pattern.compile("`?dev\\.mason\\.[\\w.$]+`?");

  private static boolean isJson(Context ctx) {
    String type = ctx.res().getContentType();
    return type != null && type.startsWith("application/json");
  }

  private static String describe(HttpResponseException e) {
    return switch (e.getStatus()) {
      case 413 -> "request body too large (the limit is " + WebServer.MAX_REQUEST_BYTES / 1024 + " KiB)";
      case 405 -> "method not allowed";
      default -> e.getMessage() == null || e.getMessage().isBlank() ? "request failed" : e.getMessage();
    };
  }

  public static void write(Context ctx, int status, String message, String field) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("error", withoutClassNames(message));
    // Always present, null when no single field is at fault: clients read one shape.
    body.put("field", field);
    ctx.status(status).contentType("application/json").result(Json.write(body));
  }
}
