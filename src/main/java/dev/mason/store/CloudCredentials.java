package dev.mason.store;

/**
 * What the store needs from the workspace when PostgreSQL is Lakebase: implemented by the
 * databricks room, so the store never sees a workspace client.
 */
public interface CloudCredentials {
  /** Host, user and a refreshing credential for a Lakebase instance's database. */
  DatabaseEndpoint lakebase(String instanceName, String database);

  /** The app's own OAuth token, refreshed, as a database password (Databricks Apps database resource). */
  PasswordSource workspaceToken();
}
