package dev.mason.gateway;

/**
 * Where the model gateway forwards terminal CLIs' requests.
 *
 * @param aiGatewayHost the workspace's AI Gateway ({@code DATABRICKS_GATEWAY_HOST}), {@code https://}
 *     added and trailing slashes dropped; null when unset
 * @param workspaceId the workspace id ({@code DATABRICKS_WORKSPACE_ID}), from which the AI Gateway's
 *     address is guessed and probed once when no host is given; null when unset
 * @param discoveryTemplate {@code MASON_AI_GATEWAY_TEMPLATE}: the address a workspace id gives, with
 *     {@code {workspace_id}} in it; by default {@value #DEFAULT_DISCOVERY}. For a cloud whose AI
 *     Gateway lives under another domain, and for tests
 */
public record GatewaySettings(String aiGatewayHost, String workspaceId, String discoveryTemplate) {
  public static final String DEFAULT_DISCOVERY = "https://{workspace_id}.ai-gateway.cloud.databricks.com";

  public GatewaySettings {
    aiGatewayHost = aiGatewayHost == null || aiGatewayHost.isBlank() ? null : https(aiGatewayHost.trim());
    workspaceId = workspaceId == null || workspaceId.isBlank() ? null : workspaceId.trim();
    discoveryTemplate = discoveryTemplate == null || discoveryTemplate.isBlank() ? DEFAULT_DISCOVERY : discoveryTemplate.trim();
    if (!discoveryTemplate.contains("{workspace_id}") || !discoveryTemplate.matches("https?://.+")) {
      throw new dev.mason.env.ConfigException("MASON_AI_GATEWAY_TEMPLATE",
          "must be an http(s) URL with {workspace_id} in it, was '" + discoveryTemplate + "'");
    }
  }

  public GatewaySettings(String aiGatewayHost, String workspaceId) {
    this(aiGatewayHost, workspaceId, null);
  }

  /** The AI Gateway address {@link #workspaceId} gives, without a trailing slash. */
  String discovered() {
    return discoveryTemplate.replace("{workspace_id}", workspaceId).replaceAll("/+$", "");
  }

  private static String https(String host) {
    String h = host.replaceAll("/+$", "");
    return h.startsWith("http://") || h.startsWith("https://") ? h : "https://" + h;
  }
}
