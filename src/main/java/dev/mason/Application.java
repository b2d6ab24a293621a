package dev.mason;

import dev.mason.agent.ExecutionRoutes;
import dev.mason.agent.ExecutionService;
import dev.mason.agent.SystemPrompt;
import dev.mason.agent.llm.ModelRouter;
import dev.mason.agent.tool.BuiltinTools;
import dev.mason.agent.tool.Tool;
import dev.mason.config.DatabaseSettings;
import dev.mason.config.Settings;
import dev.mason.databricks.DatabricksRoutes;
import dev.mason.databricks.DatabricksTools;
import dev.mason.databricks.ToolSettings;
import dev.mason.databricks.WorkspaceAccess;
import dev.mason.identity.IdentityResolver;
import dev.mason.mcp.McpRoutes;
import dev.mason.mcp.TaskService;
import dev.mason.project.ProjectRoutes;
import dev.mason.project.ProjectService;
import dev.mason.skill.PendingTools;
import dev.mason.skill.SkillCatalog;
import dev.mason.skill.SkillRoutes;
import dev.mason.skill.SkillTool;
import dev.mason.store.Database;
import dev.mason.store.HomeLock;
import dev.mason.terminal.TerminalRoutes;
import dev.mason.terminal.TerminalService;
import dev.mason.web.SystemRoutes;
import dev.mason.web.UiRoutes;
import dev.mason.web.WebServer;
import java.io.IOException;
import java.io.InputStream;
import java.time.Clock;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running Mason: every part built and wired here, in start-up order, and stopped in reverse.
 */
public final class Application implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Application.class);

  private final Settings settings;
  private final Deque<AutoCloseable> stopOrder = new ArrayDeque<>();
  private final WebServer web;
  private final SkillCatalog skills;
  private final DatabricksTools databricksTools;

  private Application(Settings settings) {
    this.settings = settings;
    try {
      if (settings.database().target() instanceof DatabaseSettings.Embedded) {
        stopOrder.push(HomeLock.acquire(settings.storage().home()));
      }
      var workspace = new WorkspaceAccess(settings.workspace());
      databricksTools = new DatabricksTools(workspace, settings.tools());
      Database database = Database.start(settings.database(), workspace);
      stopOrder.push(database);

      var projects = new ProjectService(database, settings.storage().projectsDir(), settings.storage().home().resolve("tmp"));
      projects.startBackups(settings.backup().interval());
      stopOrder.push(projects);

      skills = SkillCatalog.load(settings.skills(), projects::enabledSkills);

      var router = new ModelRouter(settings.models(), ModelRouter.newHttpClient());
      var skillTool = new SkillTool(skills);
      // A Databricks tool claimed only by skills the project disabled is left out (issue 20's tool gating).
      ExecutionService.RunTools runTools = (caller, projectId) -> {
        List<Tool> tools = new ArrayList<>(BuiltinTools.all());
        tools.add(skillTool);
        Set<String> hidden = skills.hiddenTools(caller, projectId);
        databricksTools.forCaller(caller).stream().filter(t -> !hidden.contains(t.name())).forEach(tools::add);
        return tools;
      };
      var executions = new ExecutionService(database, projects, settings.models(), router, runTools,
          (caller, projectId) -> skills.enabledFor(caller, projectId).stream()
              .map(s -> new SystemPrompt.SkillLine(s.name(), s.description())).toList(),
          settings.workspace().host(), settings.agent());
      stopOrder.push(executions);
      // Stopped before the agent engine: no queued task starts while runs are being interrupted.
      var tasks = new TaskService(database, projects, executions, settings.mcp());
      tasks.start();
      stopOrder.push(tasks);

      var localUser = new Memoized<>(workspace::localUserName);
      var identity = new IdentityResolver(settings.server().trustForwardedHeaders(),
          settings.workspace().configured() ? workspace : null, localUser, Clock.systemUTC());
      // Terminals are the owner's: APP_OWNER when set, else the owner of DATABRICKS_TOKEN, else the
      // local user. Resolving the Databricks app's creator is one more Supplier in this chain.
      Supplier<String> terminalOwner = settings.terminal().appOwner() != null ? settings.terminal()::appOwner : localUser;
      var terminals = new TerminalService(settings.terminal());
      var mcp = new McpRoutes(identity, databricksTools, tasks, settings.server().trustForwardedHeaders(),
          settings.storage().home(), version());
      web = new WebServer(settings.server().bindAddress(), settings.server().port(), identity, List.of(
          new SystemRoutes(version(), database::health, settings.workspace().host()),
          new ProjectRoutes(projects),
          new SkillRoutes(skills, projects),
          new ExecutionRoutes(executions),
          new DatabricksRoutes(workspace),
          new TerminalRoutes(terminals, terminalOwner, identity),
          mcp,
          new UiRoutes())); // last: its catch-all serves the browser app for what no room matched
      web.start();
      stopOrder.push(web);
      // Stopped before the web server: MCP clients' open streams end, so the server has none to wait for.
      stopOrder.push(mcp);
      // Stopped first: clients hear shutting_down while the server still runs, and no shell outlives Mason.
      terminals.start();
      stopOrder.push(terminals);
    } catch (RuntimeException e) {
      close();
      throw e;
    }
  }

  public static Application start(Settings settings) {
    return new Application(settings);
  }

  public int port() {
    return web.port();
  }

  public Settings settings() {
    return settings;
  }

  /** The skill catalog, for the agent engine's system prompt and Skill tool. */
  public SkillCatalog skills() {
    return skills;
  }

  /** The Databricks tools, for the agent engine and the MCP server (none are offered without a workspace). */
  public DatabricksTools databricksTools() {
    return databricksTools;
  }

  /**
   * The name of every tool Mason has, whether or not a workspace is configured: the built-in
   * tools, the Skill tool, the Databricks tools and the MCP server's delegation tools. What
   * {@code mason skills check} accepts as a tool a skill names.
   */
  public static Set<String> toolNames() {
    Set<String> names = new TreeSet<>();
    BuiltinTools.all().forEach(t -> names.add(t.name()));
    names.add(SkillTool.NAME);
    new DatabricksTools(new WorkspaceAccess(new Settings.Workspace(null, null)), ToolSettings.defaults()).all()
        .forEach(t -> names.add(t.name()));
    names.addAll(McpRoutes.DELEGATION_TOOLS);
    names.addAll(PendingTools.NAMES);
    return names;
  }

  /** The URL people open: loopback names read better than 0.0.0.0. */
  public String url() {
    String host = settings.server().bindAddress();
    return "http://" + (host.equals("0.0.0.0") || host.equals("127.0.0.1") ? "localhost" : host) + ":" + port();
  }

  public static String version() {
    try (InputStream in = Application.class.getResourceAsStream("/mason-version.properties")) {
      Properties properties = new Properties();
      if (in != null) {
        properties.load(in);
      }
      return properties.getProperty("version", "dev");
    } catch (IOException e) {
      return "dev";
    }
  }

  /** Stops every started part in reverse order; each part bounds its own wait. */
  @Override
  public synchronized void close() {
    while (!stopOrder.isEmpty()) {
      AutoCloseable part = stopOrder.pop();
      try {
        part.close();
      } catch (Exception e) {
        log.warn("Stopping {} failed: {}", part.getClass().getSimpleName(), e.toString());
      }
    }
  }
}
