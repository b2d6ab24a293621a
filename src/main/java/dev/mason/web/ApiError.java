package dev.mason.web;

/**
 * A failure that answers the request with {@code status} and {@code {"error": message, "field": field}}.
 * Handlers throw it; {@link ErrorMapping} writes it. The message is shown to users: it names what
 * was wrong and never contains a secret.
 *
 * @param field the request field at fault, or null
 */
public final class ApiError extends RuntimeException {
  private final int status;
  private final String field;

  public ApiError(int status, String message, String field) {
    super(message);
    this.status = status;
    this.field = field;
  }

  public static ApiError badRequest(String field, String message) {
    return new ApiError(400, message, field);
  }

  public static ApiError notFound(String what) {
    return new ApiError(404, what + " not found", null);
  }

  public static ApiError unauthorized(String message) {
    return new ApiError(401, message, null);
  }

  public static ApiError forbidden(String message) {
    return new ApiError(403, message, null);
  }

  public static ApiError conflict(String message) {
    return new ApiError(409, message, null);
  }

  public int status() {
    return status;
  }

  public String field() {
    return field;
  }
}
