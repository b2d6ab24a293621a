package dev.mason.gateway;

/**
 * Where the model gateway forwards terminal CLIs' requests.
 *
 * @param aiGatewayHost the workspace's AI Gateway ({@code DATABRICKS_GATEWAY_HOST}), {@code https://}
 *     added and trailing slashes dropped; null when unset
 * @param workspaceId the workspace id ({@code DATABRICKS_WORKSPACE_ID}), from which the AI Gateway's
 *     address is guessed and probed once when no host is given; null when unset
 */
public record GatewaySettings(String aiGatewayHost, String workspaceId) {
  public GatewaySettings {
    aiGatewayHost = aiGatewayHost == null || aiGatewayHost.isBlank() ? null : https(aiGatewayHost.trim());
    workspaceId = workspaceId == null || workspaceId.isBlank() ? null : workspaceId.trim();
  }

  private static String https(String host) {
    String h = host.replaceAll("/+$", "");
    return h.startsWith("http://") || h.startsWith("https://") ? h : "https://" + h;
  }
}
