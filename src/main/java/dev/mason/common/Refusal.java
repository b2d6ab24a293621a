package dev.mason.common;

/**
 * Something a room refuses for a reason its caller can act on: a missing or foreign id, a rule
 * broken, a part not ready. Every room throws it (never the web room's {@code ApiError}), and each
 * surface turns it into its own answer: {@code ErrorMapping} into an HTTP error with
 * {@link #status}, the MCP tools and the terminal socket into an error message.
 *
 * <p>{@code status} uses HTTP's numbers as the common vocabulary of what kind of refusal it is (404:
 * not found or not the caller's; 409: conflicts with current state; 503: not now). The message is
 * shown to users: it names what was wrong and never contains a secret.
 *
 * @see #field()
 */
public class Refusal extends RuntimeException {
  private final int status;
  private final String field;

  public Refusal(int status, String message, String field) {
    super(message);
    this.status = status;
    this.field = field;
  }

  public static Refusal badRequest(String field, String message) {
    return new Refusal(400, message, field);
  }

  /** {@code what} does not exist, or is not the caller's: the two answer the same. */
  public static Refusal notFound(String what) {
    return new Refusal(404, what + " not found", null);
  }

  public static Refusal unauthorized(String message) {
    return new Refusal(401, message, null);
  }

  public static Refusal forbidden(String message) {
    return new Refusal(403, message, null);
  }

  public static Refusal conflict(String message) {
    return new Refusal(409, message, null);
  }

  /** Not now: Mason is shutting down, or a part it needs is not ready. */
  public static Refusal unavailable(String message) {
    return new Refusal(503, message, null);
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

  public final int status() {
    return status;
  }

  /** The request field at fault, or null. */
  public final String field() {
    return field;
  }
}
