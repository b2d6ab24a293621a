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

  /**
   * What went wrong with a file, without the file's path: the server's folders are nobody's
   * business but the server's, and the client knows which file it asked for.
   */
  public static String ioReason(java.io.IOException e) {
    return switch (e) {
      case java.nio.file.NoSuchFileException missing -> "no such file";
      case java.nio.file.AccessDeniedException denied -> "permission denied";
      case java.nio.file.FileSystemException fs when fs.getReason() != null -> fs.getReason();
      default -> "an I/O error";
    };
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
