package dev.mason.identity;

/** Resolves a workspace token to its user's name (the SCIM Me endpoint), implemented by the databricks room. */
public interface UserDirectory {
  /**
   * @return the user name the token belongs to
   * @throws InvalidTokenException when the workspace rejects the token
   * @throws UnavailableException when the workspace cannot answer (unreachable, server error)
   */
  String userNameFor(String token);

  /** The workspace rejected a token; the message never contains it. */
  final class InvalidTokenException extends RuntimeException {
    public InvalidTokenException(String message) {
      super(message);
    }
  }

  /** The workspace could not say who a token belongs to; the message never contains the token. */
  final class UnavailableException extends RuntimeException {
    public UnavailableException(String message, Throwable cause) {
      super(message, cause);
    }
  }
}
