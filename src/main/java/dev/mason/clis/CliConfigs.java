package dev.mason.clis;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mason.common.AtomicFile;
import dev.mason.web.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Each CLI's configuration, in the Mason-owned folders under {@code $MASON_HOME/clis} that the
 * gateway's config-dir variables select ({@code CLAUDE_CONFIG_DIR}, {@code CODEX_HOME},
 * {@code GEMINI_CLI_HOME}, {@code OPENCODE_CONFIG_DIR}): the model provider pointed at Mason's
 * gateway, Mason's MCP server, onboarding, update checks and telemetry off, the projects folder
 * trusted, the enabled skills and the instruction files.
 *
 * <p>No file holds a credential: every key is a reference to the shell's
 * {@code MASON_SESSION_SECRET} (or the protocol's key variable the gateway sets), which each CLI
 * expands itself. Written when a shell opens, only where the content changed; a file a CLI keeps
 * state in ({@code .claude.json}) is merged, not replaced.
 */
public final class CliConfigs {
  private static final Logger log = LoggerFactory.getLogger(CliConfigs.class);
  static final String OPUS = "databricks-claude-opus-4-6";
  static final String SONNET = "databricks-claude-sonnet-4-6";
  static final String HAIKU = "databricks-claude-haiku-4-5";

  /** Writes the enabled skills, one folder each, into a CLI's skills folder. */
  @FunctionalInterface
  public interface SkillExport {
    void into(Path folder) throws IOException;
  }

  private final CliSettings settings;
  private final Path home;
  private final IntSupplier port;
  private final Path projects;
  private final Path shellHome;
  private final SkillExport skills;
  private final java.util.function.Supplier<String> owner;

  /**
   * @param home {@code $MASON_HOME/clis}
   * @param port Mason's port, known once the server has started
   * @param projects the shells' projects folder, trusted by every CLI
   * @param shellHome the shells' HOME, trusted too (a CLI started there asks no question)
   */
  public CliConfigs(CliSettings settings, Path home, IntSupplier port, Path projects, Path shellHome, SkillExport skills,
      java.util.function.Supplier<String> owner) {
    this.owner = owner;
    this.settings = settings;
    this.home = home;
    this.port = port;
    this.projects = projects;
    this.shellHome = shellHome;
    this.skills = skills;
  }

  /** Writes every CLI's configuration; returns the variables that go with it. Failures are logged, never thrown. */
  Map<String, String> write() {
    String base = "http://127.0.0.1:" + port.getAsInt();
    try {
      claude(base);
      codex(base);
      gemini(base);
      opencode(base);
      if (hermesInstalled()) {
        hermes(base);
      }
      git();
    } catch (IOException | RuntimeException e) {
      log.warn("Cannot write the terminal CLIs' configuration under {}: {}", home, e.toString());
    }
    Map<String, String> env = new LinkedHashMap<>();
    env.put("MASON_URL", base);
    env.put("MASON_MCP_URL", base + "/mcp");
    // Claude Code would otherwise hide MCP tools behind a tool-search step the endpoints may not serve.
    env.put("ENABLE_TOOL_SEARCH", "false");
    env.put("GIT_CONFIG_GLOBAL", home.resolve("git").resolve("config").toString());
    env.put("MASON_PROJECTS_DIR", projects.toString());
    if (hermesInstalled()) {
      env.put("HERMES_HOME", home.resolve("hermes").toString());
    }
    return env;
  }

  /**
   * Hermes is on no registry Mason can install from; it is wired only when its own installer has
   * put it on the shells' PATH (it links itself into {@code ~/.local/bin}) or on Mason's.
   */
  boolean hermesInstalled() {
    List<Path> folders = new java.util.ArrayList<>(List.of(shellHome.resolve(".local").resolve("bin")));
    String path = System.getenv("PATH");
    if (path != null) {
      java.util.Arrays.stream(path.split(java.io.File.pathSeparator)).filter(p -> !p.isBlank()).map(Path::of).forEach(folders::add);
    }
    return folders.stream().map(folder -> folder.resolve("hermes")).anyMatch(Files::isExecutable);
  }

  /**
   * Hermes reads {@code $HERMES_HOME/config.yaml}: Mason's gateway as its OpenAI-compatible
   * "custom" provider (the key comes from {@code OPENAI_API_KEY}, the session secret, so the file
   * holds none), and Mason's MCP server with the secret expanded from the environment.
   */
  private void hermes(String base) throws IOException {
    Path dir = home.resolve("hermes");
    String yaml = """
        # Written by Mason each time a terminal opens: edits here are replaced.
        model:
          default: %s
          provider: custom
          base_url: %s
        mcp_servers:
          mason:
            url: %s
            headers:
              Authorization: "Bearer ${MASON_SESSION_SECRET}"
        """.formatted(quote(settings.claudeModel()), quote(base + "/gateway/openai/v1"), quote(base + "/mcp"));
    StringBuilder config = new StringBuilder(yaml);
    publicServers().forEach((name, url) -> config.append("  ").append(name).append(":\n    url: ").append(quote(url)).append('\n'));
    write(dir.resolve("config.yaml"), config.toString());
    write(dir.resolve("HERMES.md"), instructions("Hermes"));
    skills.into(dir.resolve("skills"));
  }

  private void claude(String base) throws IOException {
    Path dir = home.resolve("claude");
    ObjectNode settingsJson = Json.MAPPER.createObjectNode();
    ObjectNode env = settingsJson.putObject("env");
    env.put("ANTHROPIC_MODEL", settings.claudeModel());
    env.put("ANTHROPIC_DEFAULT_OPUS_MODEL", OPUS);
    env.put("ANTHROPIC_DEFAULT_SONNET_MODEL", SONNET);
    env.put("ANTHROPIC_DEFAULT_HAIKU_MODEL", HAIKU);
    env.put("CLAUDE_CODE_DISABLE_EXPERIMENTAL_BETAS", "1");
    env.put("CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC", "1");
    env.put("DISABLE_AUTOUPDATER", "1");
    env.put("DISABLE_TELEMETRY", "1");
    env.put("DISABLE_ERROR_REPORTING", "1");
    env.put("ENABLE_TOOL_SEARCH", "false");
    settingsJson.put("includeCoAuthoredBy", false);
    write(dir.resolve("settings.json"), settingsJson.toPrettyString());

    // Claude Code keeps its own state here (startups, per-project history): Mason's keys are merged in.
    Path state = dir.resolve(".claude.json");
    ObjectNode merged = Files.isRegularFile(state) ? readObject(state) : Json.MAPPER.createObjectNode();
    merged.put("hasCompletedOnboarding", true);
    merged.put("autoUpdates", false);
    ObjectNode servers = Json.MAPPER.createObjectNode();
    servers.putObject("mason").put("type", "http").put("url", base + "/mcp")
        .putObject("headers").put("Authorization", "Bearer ${MASON_SESSION_SECRET}");
    publicServers().forEach((name, url) -> servers.putObject(name).put("type", "http").put("url", url));
    merged.set("mcpServers", servers);
    ObjectNode projectsNode = merged.withObject("projects");
    for (Path trusted : List.of(projects, shellHome)) {
      // Not withObject(path): Jackson reads a name starting with "/" as a JSON Pointer.
      JsonNode entry = projectsNode.get(trusted.toString());
      ObjectNode project = entry instanceof ObjectNode object ? object : projectsNode.putObject(trusted.toString());
      project.put("hasTrustDialogAccepted", true).put("hasCompletedProjectOnboarding", true);
    }
    write(state, merged.toPrettyString());
    write(dir.resolve("CLAUDE.md"), instructions("Claude Code"));
    skills.into(dir.resolve("skills"));
  }

  private void codex(String base) throws IOException {
    Path dir = home.resolve("codex");
    StringBuilder toml = new StringBuilder();
    toml.append("# Written by Mason each time a terminal opens: edits here are replaced.\n");
    toml.append("model = ").append(quote(settings.codexModel())).append('\n');
    toml.append("model_provider = \"mason\"\n");
    toml.append("web_search = \"disabled\"\n");
    toml.append("check_for_update_on_startup = false\n\n");
    toml.append("[model_providers.mason]\n");
    toml.append("name = \"Databricks through Mason\"\n");
    toml.append("base_url = ").append(quote(base + "/gateway/openai/v1")).append('\n');
    toml.append("env_key = \"OPENAI_API_KEY\"\n");
    toml.append("wire_api = \"responses\"\n\n");
    toml.append("[analytics]\nenabled = false\n\n");
    for (Path trusted : List.of(projects, shellHome)) {
      toml.append("[projects.").append(quote(trusted.toString())).append("]\ntrust_level = \"trusted\"\n\n");
    }
    toml.append("[mcp_servers.mason]\n");
    toml.append("url = ").append(quote(base + "/mcp")).append('\n');
    toml.append("bearer_token_env_var = \"MASON_SESSION_SECRET\"\n");
    for (var server : publicServers().entrySet()) {
      toml.append("\n[mcp_servers.").append(server.getKey()).append("]\nurl = ").append(quote(server.getValue())).append('\n');
    }
    write(dir.resolve("config.toml"), toml.toString());
    write(dir.resolve("AGENTS.md"), instructions("Codex"));
    skills.into(dir.resolve("skills"));
  }

  private void gemini(String base) throws IOException {
    Path dir = home.resolve("gemini").resolve(".gemini");
    ObjectNode root = Json.MAPPER.createObjectNode();
    root.withObject("security").withObject("auth").put("selectedType", "gemini-api-key");
    root.withObject("model").put("name", settings.geminiModel());
    root.withObject("general").put("disableAutoUpdate", true).put("disableUpdateNag", true);
    root.withObject("privacy").put("usageStatisticsEnabled", false);
    root.withObject("telemetry").put("enabled", false);
    ObjectNode servers = root.withObject("mcpServers");
    servers.putObject("mason").put("httpUrl", base + "/mcp").putObject("headers").put("Authorization", "Bearer $MASON_SESSION_SECRET");
    publicServers().forEach((name, url) -> servers.putObject(name).put("httpUrl", url));
    write(dir.resolve("settings.json"), root.toPrettyString());
    ObjectNode trusted = Json.MAPPER.createObjectNode();
    trusted.put(projects.toString(), "TRUST_FOLDER");
    trusted.put(shellHome.toString(), "TRUST_FOLDER");
    write(dir.resolve("trustedFolders.json"), trusted.toPrettyString());
    write(dir.resolve("GEMINI.md"), instructions("Gemini CLI"));
    skills.into(dir.resolve("skills"));
  }

  private void opencode(String base) throws IOException {
    Path dir = home.resolve("opencode");
    ObjectNode root = Json.MAPPER.createObjectNode();
    root.put("$schema", "https://opencode.ai/config.json");
    root.put("autoupdate", false);
    root.put("share", "disabled");
    root.put("model", "mason-anthropic/" + settings.claudeModel());
    ObjectNode providers = root.putObject("provider");
    provider(providers, "mason-anthropic", "Databricks Claude (through Mason)", "@ai-sdk/anthropic", base + "/gateway/anthropic/v1",
        List.of(settings.claudeModel(), OPUS, SONNET, HAIKU));
    provider(providers, "mason-openai", "Databricks GPT (through Mason)", "@ai-sdk/openai", base + "/gateway/openai/v1",
        List.of(settings.codexModel(), "databricks-gpt-5-1-codex-max"));
    provider(providers, "mason-gemini", "Databricks Gemini (through Mason)", "@ai-sdk/google", base + "/gateway/gemini/v1beta",
        List.of(settings.geminiModel(), "databricks-gemini-2-5-flash"));
    ObjectNode mcp = root.putObject("mcp");
    ObjectNode mason = mcp.putObject("mason").put("type", "remote").put("url", base + "/mcp").put("enabled", true);
    mason.putObject("headers").put("Authorization", "Bearer {env:MASON_SESSION_SECRET}");
    publicServers().forEach((name, url) -> mcp.putObject(name).put("type", "remote").put("url", url).put("enabled", true));
    root.putArray("instructions").add(dir.resolve("AGENTS.md").toString());
    write(dir.resolve("opencode.json"), root.toPrettyString());
    write(dir.resolve("AGENTS.md"), instructions("OpenCode"));
    skills.into(dir.resolve("skills"));
  }

  /**
   * Mason's git config, selected by {@code GIT_CONFIG_GLOBAL}: the owner's own {@code ~/.gitconfig}
   * included (aliases and the like still work, the file is never written), then the owner's
   * workspace identity and Mason's hooks folder, which win. The post-commit hook asks Mason to sync
   * a repository under the projects folder and returns at once; a repository's own post-commit
   * hook still runs after it.
   */
  private void git() throws IOException {
    Path dir = home.resolve("git");
    String user = ownerName();
    StringBuilder config = new StringBuilder("# Written by Mason each time a terminal opens: edits here are replaced.\n");
    Path own = shellHome.resolve(".gitconfig");
    if (Files.isRegularFile(own)) {
      config.append("[include]\n\tpath = ").append(own).append('\n');
    }
    if (user != null) {
      String name = user.contains("@") ? user.substring(0, user.indexOf('@')) : user;
      config.append("[user]\n\tname = ").append(name).append("\n\temail = ").append(user).append('\n');
    }
    config.append("[core]\n\thooksPath = ").append(dir.resolve("hooks")).append('\n');
    config.append("[init]\n\tdefaultBranch = main\n");
    write(dir.resolve("config"), config.toString());
    Path hook = dir.resolve("hooks").resolve("post-commit");
    write(hook, POST_COMMIT);
    hook.toFile().setExecutable(true, true);
  }

  /** Never waits for Mason: curl runs in the background, its output nowhere, with a short limit. */
  static final String POST_COMMIT = """
      #!/bin/sh
      # Written by Mason: asks Mason to sync this repository to the workspace. The commit never waits.
      top=$(git rev-parse --show-toplevel 2>/dev/null)
      case "$top/" in
        "$MASON_PROJECTS_DIR"/?*/)
          if [ -n "$MASON_URL" ] && [ -n "$MASON_SESSION_SECRET" ] && command -v curl >/dev/null 2>&1; then
            path=$(printf '%s' "$top" | sed 's/\\\\/\\\\\\\\/g; s/"/\\\\"/g')
            curl -s -m 10 -o /dev/null -X POST -H "Authorization: Bearer $MASON_SESSION_SECRET" \\
              -H 'Content-Type: application/json' --data-binary "{\\"path\\": \\"$path\\"}" \\
              "$MASON_URL/api/workspace-sync/commit" >/dev/null 2>&1 </dev/null &
          fi
          ;;
      esac
      own="$(git rev-parse --git-dir 2>/dev/null)/hooks/post-commit"
      if [ -x "$own" ]; then
        exec "$own" "$@"
      fi
      exit 0
      """;

  private String ownerName() {
    try {
      return owner.get();
    } catch (RuntimeException e) {
      return null;
    }
  }

  private static void provider(ObjectNode providers, String id, String name, String npm, String baseUrl, List<String> models) {
    ObjectNode provider = providers.putObject(id).put("npm", npm).put("name", name);
    provider.putObject("options").put("baseURL", baseUrl).put("apiKey", "{env:MASON_SESSION_SECRET}");
    ObjectNode list = provider.putObject("models");
    models.stream().distinct().forEach(m -> list.putObject(m).put("name", m));
  }

  private Map<String, String> publicServers() {
    Map<String, String> servers = new LinkedHashMap<>();
    settings.publicMcpServers().forEach(name -> servers.put(name, CliSettings.PUBLIC_MCP_SERVERS.get(name)));
    return servers;
  }

  /** {@code CLAUDE.md}, {@code AGENTS.md}, {@code GEMINI.md} and {@code HERMES.md}: the same guide, named for its reader. */
  String instructions(String cli) {
    return """
        # Working in a Mason terminal (%s)

        This terminal belongs to a Databricks workspace user. Mason, the server that runs it, is your
        model gateway and your way to the workspace.

        ## The workspace
        - Mason's MCP server (`mason`) gives you the same Databricks tools as Mason's chat: SQL on
          warehouses (`execute_sql`), compute, jobs, pipelines, workspace files, volumes, Unity
          Catalog, Genie, model serving and more. They act as the terminal's owner, so Unity Catalog
          decides what you may see and change. Prefer them to hand-written REST calls.
        - The Databricks CLI and SDKs in this shell are already signed in as the owner
          (`DATABRICKS_AUTH_TYPE=metadata-service`): `databricks current-user me` works as it is.
          Never write a token into a file or a command line.
        - Heavy work belongs on Databricks compute (SQL warehouses, serverless jobs, clusters), not on
          this machine.

        ## Folders
        - Projects live in `%s`, one folder per project, each its own git repository.
        - A commit in a project is synced by Mason to the workspace at
          `/Workspace/Users/<owner>/projects/<project>`; the terminal page shows each sync and retries it.
        - Skills (task guides for Databricks work) are in this CLI's skills folder; read the one that
          fits the task before you start it.
        """.formatted(cli, projects);
  }

  private static ObjectNode readObject(Path file) {
    try {
      JsonNode node = Json.MAPPER.readTree(Files.readString(file));
      return node instanceof ObjectNode object ? object : Json.MAPPER.createObjectNode();
    } catch (IOException e) {
      return Json.MAPPER.createObjectNode();
    }
  }

  /** Writes {@code content} atomically, private to the user, unless the file already holds exactly it. */
  static void write(Path file, String content) throws IOException {
    byte[] bytes = content.getBytes(StandardCharsets.UTF_8);
    if (Files.isRegularFile(file) && Arrays.equals(Files.readAllBytes(file), bytes)) {
      return;
    }
    Files.createDirectories(file.getParent());
    AtomicFile.writePrivate(file, content);
  }

  private static String quote(String value) {
    return "\"" + value.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
  }
}
