package dev.mason.store;

/** Mason cannot start; the message is the one line the operator reads, and says what to do. */
public final class StartupException extends RuntimeException {
  public StartupException(String message) {
    super(message);
  }

  public StartupException(String message, Throwable cause) {
    super(message, cause);
  }
}
