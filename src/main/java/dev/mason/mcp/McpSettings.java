package dev.mason.mcp;

import dev.mason.env.ConfigException;
import dev.mason.env.Env;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Map;

/**
 * How the MCP room behaves, read from the environment and validated once.
 *
 * @param maxTasksPerUser delegated tasks of one user that run at once; more wait in a queue
 *     ({@code MASON_MAX_TASKS}, default 5)
 * @param publicUrl the URL people open Mason at, for the {@code viewer_url} of tasks
 *     ({@code MASON_PUBLIC_URL}, else {@code DATABRICKS_APP_URL}, which Databricks Apps sets);
 *     null to use the scheme and host through which the MCP client reached Mason. No trailing slash.
 */
public record McpSettings(int maxTasksPerUser, String publicUrl) {
  static final int DEFAULT_MAX_TASKS = 5;
  static final int MAX_MAX_TASKS = 100;

  public McpSettings {
    if (maxTasksPerUser < 1 || maxTasksPerUser > MAX_MAX_TASKS) {
      throw new ConfigException("MASON_MAX_TASKS", "must be between 1 and " + MAX_MAX_TASKS + ", was " + maxTasksPerUser);
    }
    if (publicUrl != null) {
      publicUrl = publicUrl.trim().replaceAll("/+$", "");
      try {
        URI uri = new URI(publicUrl);
        if (!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme()) || uri.getHost() == null) {
          throw new ConfigException("MASON_PUBLIC_URL", "must be an http:// or https:// URL, was '" + publicUrl + "'");
        }
      } catch (URISyntaxException e) {
        throw new ConfigException("MASON_PUBLIC_URL", "is not a URL: '" + publicUrl + "'");
      }
    }
  }

  public static McpSettings fromEnv(Map<String, String> env) {
    Env vars = Env.of(env);
    int max = vars.integer("MASON_MAX_TASKS", DEFAULT_MAX_TASKS);
    String url = vars.present("MASON_PUBLIC_URL") ? env.get("MASON_PUBLIC_URL")
        : vars.present("DATABRICKS_APP_URL") ? withScheme(vars.text("DATABRICKS_APP_URL")) : null;
    return new McpSettings(max, url);
  }

  /** Databricks Apps has been seen to set DATABRICKS_APP_URL without a scheme. */
  private static String withScheme(String url) {
    return url.startsWith("http://") || url.startsWith("https://") ? url : "https://" + url;
  }

}
