package dev.mason.deploy;

/** The package or the deploy cannot go on; the message is the line the user reads, and says what to do. */
public final class PackageException extends RuntimeException {
  public PackageException(String message) {
    super(message);
  }

  public PackageException(String message, Throwable cause) {
    super(message, cause);
  }
}
