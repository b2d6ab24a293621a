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
}
