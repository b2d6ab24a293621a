package dev.mason.databricks;

/**
 * A Databricks REST call that failed: the HTTP status, the API's error code and its message, as
 * the workspace sent them. The message never contains a credential (the SDK puts none there, and
 * Mason adds none).
 *
 * @see ErrorText for how it is told to a model
 */
final class WorkspaceException extends RuntimeException {
  /** The status for failures that never got an HTTP answer (connection refused, timeouts). */
  static final int NO_RESPONSE = 0;

  private final int status;
  private final String errorCode;

  WorkspaceException(int status, String errorCode, String message, Throwable cause) {
    super(message == null || message.isBlank() ? "no message" : message, cause);
    this.status = status;
    this.errorCode = errorCode == null || errorCode.isBlank() ? "HTTP_" + status : errorCode;
  }

  int status() {
    return status;
  }

  String errorCode() {
    return errorCode;
  }

  boolean notFound() {
    return status == 404 || errorCode.endsWith("DOES_NOT_EXIST") || errorCode.endsWith("NOT_FOUND");
  }

  boolean permissionDenied() {
    return status == 403 || errorCode.equals("PERMISSION_DENIED");
  }
}
