package dev.mason.clis;

import dev.mason.env.ConfigException;
import dev.mason.env.Env;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * How the terminal CLIs are installed and wired, read from the environment once.
 *
 * @param install whether Mason installs missing CLIs at start ({@code MASON_CLIS_INSTALL}, default
 *     true); false leaves what is there and installs nothing
 * @param preinstalled a folder whose {@code node_modules/.bin} already holds the CLIs, from which
 *     they are used as they are and nothing is installed: {@code MASON_CLIS_DIR}, else Mason's
 *     working directory when the CLIs are there (a Databricks App, whose platform ran
 *     {@code npm install} on the shipped {@code package.json}); null for Mason's own install
 * @param npmRegistry the registry npm installs from ({@code npm_config_registry} or
 *     {@code NPM_CONFIG_REGISTRY}, npm's own variables); null for npm's configured one
 * @param claudeModel Claude Code's default model ({@code ANTHROPIC_MODEL})
 * @param codexModel Codex's model ({@code CODEX_MODEL})
 * @param geminiModel Gemini CLI's model ({@code GEMINI_MODEL})
 * @param publicMcpServers the public MCP servers registered beside Mason's, by name, from
 *     {@link #PUBLIC_MCP_SERVERS} ({@code TERMINAL_MCP_SERVERS}, comma-separated; none by default)
 */
public record CliSettings(boolean install, Path preinstalled, String npmRegistry, String claudeModel, String codexModel,
    String geminiModel, List<String> publicMcpServers) {
  public static final String DEFAULT_CLAUDE_MODEL = "databricks-claude-opus-4-6";
  public static final String DEFAULT_CODEX_MODEL = "databricks-gpt-5-3-codex";
  public static final String DEFAULT_GEMINI_MODEL = "databricks-gemini-2-5-pro";
  /** The reference's two public MCP servers, now opt-in. */
  public static final Map<String, String> PUBLIC_MCP_SERVERS = Map.of(
      "deepwiki", "https://mcp.deepwiki.com/mcp",
      "exa", "https://mcp.exa.ai/mcp");

  public CliSettings {
    publicMcpServers = List.copyOf(publicMcpServers);
    for (String name : publicMcpServers) {
      if (!PUBLIC_MCP_SERVERS.containsKey(name)) {
        throw new ConfigException("TERMINAL_MCP_SERVERS", "knows " + String.join(", ", PUBLIC_MCP_SERVERS.keySet().stream().sorted().toList())
            + ", not '" + name + "'");
      }
    }
  }

  /** @param workingDirectory Mason's working directory, where a Databricks App's {@code node_modules} is */
  public static CliSettings fromEnv(Map<String, String> env, Path workingDirectory) {
    Env vars = Env.of(env);
    String dir = vars.text("MASON_CLIS_DIR");
    Path preinstalled = dir != null ? Path.of(dir).toAbsolutePath().normalize()
        : Files.exists(workingDirectory.resolve("node_modules/.bin").resolve(Cli.CLAUDE.command())) ? workingDirectory.toAbsolutePath().normalize()
        : null;
    String servers = vars.text("TERMINAL_MCP_SERVERS");
    return new CliSettings(vars.bool("MASON_CLIS_INSTALL", true), preinstalled,
        vars.text("npm_config_registry", vars.text("NPM_CONFIG_REGISTRY")),
        vars.text("ANTHROPIC_MODEL", DEFAULT_CLAUDE_MODEL), vars.text("CODEX_MODEL", DEFAULT_CODEX_MODEL),
        vars.text("GEMINI_MODEL", DEFAULT_GEMINI_MODEL),
        servers == null ? List.of() : Arrays.stream(servers.split(",")).map(String::trim).filter(s -> !s.isEmpty())
            .map(s -> s.toLowerCase(Locale.ROOT)).toList());
  }
}
