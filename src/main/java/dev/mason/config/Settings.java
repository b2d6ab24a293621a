package dev.mason.config;

import dev.mason.agent.AgentLimits;
import dev.mason.agent.llm.ModelSettings;
import dev.mason.agent.tool.BashMode;
import dev.mason.clis.CliSettings;
import dev.mason.credentials.CredentialSettings;
import dev.mason.databricks.ToolSettings;
import dev.mason.databricks.WorkspaceSettings;
import dev.mason.env.ConfigException;
import dev.mason.gateway.GatewaySettings;
import dev.mason.mcp.McpSettings;
import dev.mason.skill.SkillSettings;
import dev.mason.store.DatabaseSettings;
import dev.mason.terminal.TerminalSettings;
import dev.mason.tracing.TracingSettings;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * Everything Mason reads from its environment, validated once before anything starts.
 *
 * <p>Built by {@link SettingsLoader}; immutable afterwards. {@link #toString()} of every part masks
 * secrets, so the whole record can be logged. {@code bash} is where the agent's Bash runs
 * ({@code MASON_BASH}; on the host unless {@link Server#shared()}, then in the sandbox).
 */
public record Settings(
    Server server,
    Storage storage,
    DatabaseSettings database,
    WorkspaceSettings workspace,
    Backup backup,
    SkillSettings skills,
    ModelSettings models,
    AgentLimits agent,
    ToolSettings tools,
    TerminalSettings terminal,
    McpSettings mcp,
    BashMode bash,
    CredentialSettings credentials,
    GatewaySettings gateway,
    TracingSettings tracing,
    CliSettings clis) {

  public Settings {
    Objects.requireNonNull(server, "server");
    Objects.requireNonNull(storage, "storage");
    Objects.requireNonNull(database, "database");
    Objects.requireNonNull(workspace, "workspace");
    Objects.requireNonNull(backup, "backup");
    Objects.requireNonNull(skills, "skills");
    Objects.requireNonNull(models, "models");
    Objects.requireNonNull(agent, "agent");
    Objects.requireNonNull(tools, "tools");
    Objects.requireNonNull(terminal, "terminal");
    Objects.requireNonNull(mcp, "mcp");
    Objects.requireNonNull(bash, "bash");
    Objects.requireNonNull(credentials, "credentials");
    Objects.requireNonNull(gateway, "gateway");
    Objects.requireNonNull(tracing, "tracing");
    Objects.requireNonNull(clis, "clis");
  }

  /**
   * @param bindAddress interface to listen on: all interfaces on Databricks Apps, loopback locally
   *     (a local Mason is full access to its user's machine)
   * @param trustForwardedHeaders whether {@code X-Forwarded-*} identity headers are believed
   * @param requireForwardedToken whether a forwarded identity is believed only with a forwarded
   *     access token of the same user ({@code MASON_REQUIRE_FORWARDED_TOKEN}, default: on Databricks
   *     Apps); without it any process that reaches the port could name any user
   * @param apps the Databricks App Mason runs as, or null when it does not run on Databricks Apps
   * @param allowedHosts host names, lower case, besides localhost, the bind address and IP literals,
   *     that requests may name in {@code Host} ({@code MASON_ALLOWED_HOSTS}, comma-separated, and
   *     the host of {@code MASON_PUBLIC_URL} or {@code DATABRICKS_APP_URL})
   */
  public record Server(String bindAddress, int port, boolean trustForwardedHeaders, boolean requireForwardedToken,
      Apps apps, List<String> allowedHosts) {
    public Server {
      if (port < 0 || port > 65_535) {
        throw new ConfigException("PORT", "must be between 0 and 65535, was " + port);
      }
      allowedHosts = List.copyOf(allowedHosts);
    }

    public boolean onDatabricksApps() {
      return apps != null;
    }

    /**
     * Whether other people can reach this Mason: behind the Apps proxy (or another that forwards
     * identities), or listening beyond loopback where others' bearer tokens can reach it.
     */
    public boolean shared() {
      return trustForwardedHeaders || onDatabricksApps() || !isLoopback(bindAddress);
    }

    private static boolean isLoopback(String address) {
      return address.equals("localhost") || address.startsWith("127.") || address.equals("::1");
    }
  }

  /**
   * What the Databricks Apps platform says about the app Mason runs as (detected from
   * {@code DATABRICKS_APP_PORT} or {@code DATABRICKS_APP_NAME}).
   *
   * @param name the app's name ({@code DATABRICKS_APP_NAME}), whose creator owns the terminals;
   *     null when the platform did not say
   */
  public record Apps(String name) {}

  /** Where Mason keeps its files: the embedded database, project folders. */
  public record Storage(Path home, Path projectsDir) {
    public Storage {
      home = home.toAbsolutePath().normalize();
      projectsDir = projectsDir.toAbsolutePath().normalize();
    }
  }

  /**
   * @param interval how often changed project folders are backed up
   * @param maxBytes the largest backup (the zip stored in the database) a project may have; a
   *     larger one is reported and not written, and the previous backup is kept
   */
  public record Backup(Duration interval, long maxBytes) {
    public Backup {
      if (interval.isNegative() || interval.isZero()) {
        throw new ConfigException("BACKUP_INTERVAL_SECONDS", "must be a positive number of seconds");
      }
      if (maxBytes <= 0) {
        throw new ConfigException("MASON_MAX_BACKUP_BYTES", "must be a positive number of bytes, was " + maxBytes);
      }
    }
  }
}
