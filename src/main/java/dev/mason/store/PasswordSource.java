package dev.mason.store;

/**
 * Supplies the database password for each new connection.
 *
 * <p>Static for a URL with a password; short-lived for Lakebase and for a Databricks Apps database
 * resource, where the password is an OAuth token that the implementation refreshes before it
 * expires. Called from pool threads; implementations are thread-safe.
 */
@FunctionalInterface
public interface PasswordSource {
  String password();
}
