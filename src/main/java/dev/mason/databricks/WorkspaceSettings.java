package dev.mason.databricks;

/**
 * The workspace Mason works with, read by {@code SettingsLoader}.
 *
 * @param host workspace URL without a trailing slash, or null when no workspace is configured
 * @param token personal access token from {@code DATABRICKS_TOKEN}, or null (the SDK's other
 *     credential sources may still apply)
 */
public record WorkspaceSettings(String host, String token, String clientId, String clientSecret) {
  /**
   * @param clientId the app's service principal ({@code DATABRICKS_CLIENT_ID}), or null
   * @param clientSecret its OAuth secret ({@code DATABRICKS_CLIENT_SECRET}), or null
   */
  public WorkspaceSettings {}

  /** A workspace reached with a token or the SDK's standard chain, without a service principal of its own. */
  public WorkspaceSettings(String host, String token) {
    this(host, token, null, null);
  }

  public boolean configured() {
    return host != null;
  }

  /** Whether Mason holds a service principal's OAuth credentials (Databricks Apps injects them). */
  public boolean hasServicePrincipal() {
    return clientId != null && clientSecret != null;
  }

  @Override
  public String toString() {
    return "WorkspaceSettings[host=" + host + ", token=" + (token == null ? "none" : "****")
        + ", clientId=" + (clientId == null ? "none" : clientId) + ", clientSecret=" + (clientSecret == null ? "none" : "****") + "]";
  }
}
