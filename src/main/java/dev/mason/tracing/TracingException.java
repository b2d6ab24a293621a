package dev.mason.tracing;

/** Tracing could not reach or use MLflow; the message says what it was doing and what came back. */
final class TracingException extends RuntimeException {
  TracingException(String message) {
    super(message);
  }

  TracingException(String message, Throwable cause) {
    super(message, cause);
  }
}
