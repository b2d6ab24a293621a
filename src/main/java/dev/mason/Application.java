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
import dev.mason.databricks.WorkspaceAccess;
import dev.mason.identity.IdentityResolver;
import dev.mason.mcp.McpRoutes;
import dev.mason.mcp.TaskService;
import dev.mason.project.ProjectRoutes;
import dev.mason.project.ProjectService;
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
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running Mason: every part built and wired here, in start-up order, and stopped in reverse.
 */
public final class Application implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Application.class);

  private final Settings settings;
  // The parts, in start-up order; each is null until started. close() stops them in reverse.
  private HomeLock lock;
  private Database database;
  private ProjectService projects;
  private ExecutionService executions;
  private TaskService tasks;
  private WebServer web;
  private McpRoutes mcp;
  private TerminalService terminals;
  private final SkillCatalog skills;
  private final DatabricksTools databricksTools;

  private Application(Settings settings) {
    this.settings = settings;
    try {
      if (settings.database().target() instanceof DatabaseSettings.Embedded) {
        lock = HomeLock.acquire(settings.storage().home());
      }
      var workspace = new WorkspaceAccess(settings.workspace());
      databricksTools = new DatabricksTools(workspace, settings.tools());
      database = Database.start(settings.database(), workspace);

      projects = new ProjectService(database, settings.storage().projectsDir(), settings.storage().home().resolve("tmp"));
      projects.startBackups(settings.backup().interval());

      skills = SkillCatalog.load(settings.skills(), projects::enabledSkills);

      var router = new ModelRouter(settings.models(), ModelRouter.newHttpClient());
      var skillTool = new SkillTool(skills);
      ExecutionService.RunTools runTools = (caller, projectId) -> {
        List<Tool> tools = new ArrayList<>(BuiltinTools.all());
        tools.add(skillTool);
        tools.addAll(databricksTools.forCaller(caller));
        return tools;
      };
      executions = new ExecutionService(database, projects, settings.models(), router, runTools,
          (caller, projectId) -> skills.enabledFor(caller, projectId).stream()
              .map(s -> new SystemPrompt.SkillLine(s.name(), s.description())).toList(),
          settings.workspace().host(), settings.agent());
      projects.stopRunsWith(executions::stopAndWait);
      tasks = new TaskService(database, projects, executions, settings.mcp());
      tasks.start();

      var localUser = new Memoized<>(workspace::localUserName);
      var identity = new IdentityResolver(settings.server().trustForwardedHeaders(),
          settings.workspace().configured() ? workspace : null, localUser, Clock.systemUTC());
      // Terminals are the owner's: APP_OWNER when set, else the owner of DATABRICKS_TOKEN, else the
      // local user. Resolving the Databricks app's creator is one more Supplier in this chain.
      Supplier<String> terminalOwner = settings.terminal().appOwner() != null ? settings.terminal()::appOwner : localUser;
      terminals = new TerminalService(settings.terminal());
      mcp = new McpRoutes(identity, databricksTools, tasks, settings.server().trustForwardedHeaders(),
          settings.storage().home(), version());
      web = new WebServer(settings.server().bindAddress(), settings.server().port(), identity, List.of(
          new SystemRoutes(version(), database::health, settings.workspace().host(), settings.models().summary()),
          new ProjectRoutes(projects),
          new SkillRoutes(skills, projects),
          new ExecutionRoutes(executions),
          new DatabricksRoutes(workspace),
          new TerminalRoutes(terminals, terminalOwner, identity),
          mcp,
          new UiRoutes())); // last: its catch-all serves the browser app for what no room matched
      web.start();
      terminals.start();
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

  /**
   * Stops every started part, within one deadline ({@link ShutdownSequence}), in this order:
   * the terminals (clients hear shutting_down while the server still runs, and no shell outlives
   * Mason); the MCP sessions (their open streams end, so the server has none to wait for); the
   * task queue (no queued task starts while runs are being interrupted); the runs (each ends
   * interrupted, and readers following it live receive that end); only then the web server; the
   * backups' last pass; the database last.
   */
  @Override
  public synchronized void close() {
    var sequence = new ShutdownSequence();
    if (executions != null) {
      executions.refuseNewRuns();
    }
    sequence.stop("terminals", terminals);
    terminals = null;
    sequence.stop("MCP sessions", mcp);
    mcp = null;
    sequence.stop("task queue", tasks);
    tasks = null;
    ExecutionService runs = executions;
    sequence.stop("agent runs", runs == null ? null : () -> runs.close(sequence.remainingBeforeDatabase()));
    executions = null;
    sequence.stop("web server", web);
    web = null;
    sequence.stop("backups", projects);
    projects = null;
    sequence.stopLast("database", database);
    database = null;
    sequence.stopLast("home lock", lock);
    lock = null;
    sequence.finished();
  }
}
