package dev.mason.databricks;

/** Thrown by a fake handler: answered as the workspace answers errors, {@code {"error_code", "message"}}. */
final class FakeError extends RuntimeException {
  final int status;
  final String code;

  FakeError(int status, String code, String message) {
    super(message);
    this.status = status;
    this.code = code;
  }

  static FakeError notFound(String message) {
    return new FakeError(404, "RESOURCE_DOES_NOT_EXIST", message);
  }

  static FakeError invalid(String message) {
    return new FakeError(400, "INVALID_PARAMETER_VALUE", message);
  }

  static FakeError exists(String message) {
    return new FakeError(409, "RESOURCE_ALREADY_EXISTS", message);
  }
}
