package dev.mason.web;

import dev.mason.common.Refusal;

/**
 * A {@link Refusal} thrown by the web room's own handlers (a request body, a route's parameters):
 * it answers the request with {@code status} and {@code {"error": message, "field": field}}, written
 * by {@link ErrorMapping} like every refusal. The other rooms throw {@link Refusal} itself.
 */
public final class ApiError extends Refusal {
  public ApiError(int status, String message, String field) {
    super(status, message, field);
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
}
