package dev.mason.store;

/**
 * PostgreSQL cannot be reached right now, after the retries a transient failure deserves. The
 * message names the server and the cause, never a password; the web room answers it with 503.
 */
public final class DatabaseUnavailableException extends RuntimeException {
  public DatabaseUnavailableException(String message, Throwable cause) {
    super(message, cause);
  }
}
