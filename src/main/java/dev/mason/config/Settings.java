package dev.mason.config;

import dev.mason.agent.AgentLimits;
import dev.mason.agent.llm.ModelSettings;
import dev.mason.databricks.ToolSettings;
import dev.mason.mcp.McpSettings;
import dev.mason.skill.SkillSettings;
import dev.mason.terminal.TerminalSettings;
import dev.mason.tracing.TracingSettings;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * Everything Mason reads from its environment, validated once before anything starts.
 *
 * <p>Built by {@link SettingsLoader}; immutable afterwards. {@link #toString()} of every part masks
 * secrets, so the whole record can be logged.
 */
public record Settings(
    Server server,
    Storage storage,
    DatabaseSettings database,
    Workspace workspace,
    Backup backup,
    SkillSettings skills,
    ModelSettings models,
    AgentLimits agent,
    ToolSettings tools,
    TerminalSettings terminal,
    McpSettings mcp,
    TracingSettings tracing) {

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
    Objects.requireNonNull(tracing, "tracing");
  }

  /**
   * @param bindAddress interface to listen on: all interfaces on Databricks Apps, loopback locally
   *     (a local Mason is full access to its user's machine)
   * @param trustForwardedHeaders whether {@code X-Forwarded-*} identity headers are believed
   */
  public record Server(String bindAddress, int port, boolean trustForwardedHeaders) {
    public Server {
      if (port < 0 || port > 65_535) {
        throw new ConfigException("PORT", "must be between 0 and 65535, was " + port);
      }
    }
  }

  /** Where Mason keeps its files: the embedded database, project folders. */
  public record Storage(Path home, Path projectsDir) {
    public Storage {
      home = home.toAbsolutePath().normalize();
      projectsDir = projectsDir.toAbsolutePath().normalize();
    }
  }

  /**
   * @param host workspace URL without a trailing slash, or null when no workspace is configured
   * @param token personal access token from {@code DATABRICKS_TOKEN}, or null (the SDK's other
   *     credential sources may still apply)
   */
  public record Workspace(String host, String token) {
    public boolean configured() {
      return host != null;
    }

    @Override
    public String toString() {
      return "Workspace[host=" + host + ", token=" + (token == null ? "none" : "****") + "]";
    }
  }

  /** How often changed project folders are zipped into the database. */
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
