package dev.mason.store;

/**
 * A resolved place to connect: the host and port are kept apart so that a failure can name them.
 */
public record DatabaseEndpoint(String host, int port, String database, String user, PasswordSource password, String sslMode) {
  @Override
  public String toString() {
    return user + "@" + host + ":" + port + "/" + database + " (sslmode=" + sslMode + ")";
  }
}
