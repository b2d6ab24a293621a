package dev.mason;

import dev.mason.agent.ExecutionRoutes;
import dev.mason.agent.ExecutionService;
import dev.mason.bus.BusRoutes;
import dev.mason.bus.ChangeBus;
import dev.mason.agent.SystemPrompt;
import dev.mason.agent.claudecode.ClaudeBinary;
import dev.mason.agent.claudecode.ClaudeCodeRuntime;
import dev.mason.agent.llm.ModelRouter;
import dev.mason.agent.tool.BashShell;
import dev.mason.agent.tool.BuiltinTools;
import dev.mason.agent.tool.Tool;
import dev.mason.clis.Cli;
import dev.mason.clis.CliConfigs;
import dev.mason.clis.CliRoutes;
import dev.mason.clis.CliService;
import dev.mason.clis.WorkspaceSync;
import dev.mason.config.Settings;
import dev.mason.credentials.CredentialRoutes;
import dev.mason.credentials.CredentialService;
import dev.mason.databricks.DatabricksRoutes;
import dev.mason.databricks.DatabricksTools;
import dev.mason.databricks.ToolSettings;
import dev.mason.databricks.WorkspaceAccess;
import dev.mason.databricks.WorkspaceSettings;
import dev.mason.gateway.GatewayRoutes;
import dev.mason.gateway.GatewayService;
import dev.mason.identity.AppOwner;
import dev.mason.identity.Caller;
import dev.mason.identity.IdentityResolver;
import dev.mason.identity.RunCredentials;
import dev.mason.mcp.McpRoutes;
import dev.mason.mcp.TaskService;
import dev.mason.project.ProjectRoutes;
import dev.mason.project.ProjectService;
import dev.mason.skill.SkillCatalog;
import dev.mason.skill.SkillRoutes;
import dev.mason.skill.SkillTool;
import dev.mason.store.Database;
import dev.mason.store.DatabaseSettings;
import dev.mason.store.HomeLock;
import dev.mason.terminal.ShellWiring;
import dev.mason.store.StartupException;
import dev.mason.terminal.TerminalRoutes;
import dev.mason.terminal.TerminalService;
import dev.mason.tracing.TracingRoutes;
import dev.mason.tracing.TracingService;
import dev.mason.web.PageOrigins;
import dev.mason.web.SystemRoutes;
import dev.mason.web.UiRoutes;
import dev.mason.web.WebServer;
import java.io.IOException;
import java.io.InputStream;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running Mason: every part built and wired here, in start-up order, and stopped in reverse.
 */
public final class Application implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Application.class);

  /** Retries of the app's creator lookup while the workspace cannot answer: 1 s, doubling up to a minute. */
  private static final Duration OWNER_FIRST_RETRY = Duration.ofSeconds(1);
  private static final Duration OWNER_MAX_RETRY = Duration.ofMinutes(1);

  private final Settings settings;
  // The parts, in start-up order; each is null until started. close() stops them in reverse.
  private HomeLock lock;
  private Database database;
  private ProjectService projects;
  private TracingService tracing;
  private ExecutionService executions;
  private TaskService tasks;
  private ChangeBus changes;
  private WebServer web;
  private McpRoutes mcp;
  private volatile AppOwner owner;
  private CredentialService credentials;
  private TerminalService terminals;
  private CliService clis;
  private WorkspaceSync sync;
  private final SkillCatalog skills;
  private final DatabricksTools databricksTools;

  private Application(Settings settings) {
    this.settings = settings;
    // Once, before anything starts: what this process runs with. Every part's toString masks its secrets.
    log.info("Effective settings: {}", settings);
    requireDatabaseOnApps(settings);
    if (settings.server().onDatabricksApps()) {
      // Before anything starts a process: the platform's secrets in Mason's environment stay Mason's.
      ProcessPrivacy.forbidInspection();
    }
    try {
      if (settings.database().target() instanceof DatabaseSettings.Embedded) {
        lock = HomeLock.acquire(settings.storage().home());
      }
      var workspace = new WorkspaceAccess(settings.workspace(), this::followed);
      databricksTools = new DatabricksTools(workspace, settings.tools());
      database = Database.start(settings.database(), workspace);
      changes = ChangeBus.start(database);

      projects = new ProjectService(database, settings.storage().projectsDir(), settings.storage().home().resolve("tmp"),
          settings.backup().maxBytes(), changes);
      projects.startBackups(settings.backup().interval());

      skills = SkillCatalog.load(settings.skills(), projects::enabledSkills);

      List<String> secrets = new ArrayList<>(settings.models().secrets());
      secrets.add(settings.workspace().token());
      secrets.add(settings.tracing().trackingToken());
      secrets.removeIf(java.util.Objects::isNull);
      tracing = TracingService.start(settings.tracing(), settings.workspace().host(), settings.workspace().token(),
          secrets, version(), this::followed);

      var modelHttp = ModelRouter.newHttpClient();
      var router = new ModelRouter(settings.models(), modelHttp, settings.models().workspaceOAuth() ? workspace.appBearer() : null);
      Function<Caller, ModelRouter> routers = caller -> modelCredential(caller) == ModelCredential.USER
          ? router.asUser(() -> followed(caller.accessToken())) : router;
      var skillTool = new SkillTool(skills);
      var localUser = new Memoized<>(workspace::localUserName);
      // The sandbox hides Mason's home, every project folder and the terminals' home, even where
      // one of them lies inside a system folder it shows.
      BashShell bash = BashShell.forMode(settings.bash(),
          List.of(settings.storage().home(), settings.storage().projectsDir(), settings.terminal().home()),
          caller -> isLocalUser(caller, localUser));
      log.info("The agent's Bash: {}", settings.bash().name().toLowerCase(Locale.ROOT));
      // A Databricks tool claimed only by skills the project disabled is left out (issue 20's tool gating).
      ExecutionService.RunTools runTools = (caller, projectId) -> {
        List<Tool> tools = new ArrayList<>(BuiltinTools.all(bash));
        tools.add(skillTool);
        Set<String> hidden = skills.hiddenTools(caller, projectId);
        databricksTools.forCaller(caller).stream().filter(t -> !hidden.contains(t.name())).forEach(tools::add);
        return tools;
      };
      // Secrets of the processes Mason runs for users (Claude Code): checked by the gateway and /mcp.
      var runCredentials = new RunCredentials();
      // The gateway is built later (it needs the terminal owner); the runtime asks for it only when a message runs.
      GatewayService[] gatewayRef = new GatewayService[1];
      var claudeCode = new ClaudeCodeRuntime(
          // Asked before each process: the CLIs are installed in the background, after this point.
          () -> clis == null ? new ClaudeBinary(null, "Mason is still starting")
              : ClaudeBinary.find(clis.executable(Cli.CLAUDE), clis.notReady(Cli.CLAUDE), System.getenv("PATH")),
          settings.storage().home().resolve("claude-code"), new ClaudeCodeRuntime.Wiring() {
            @Override
            public java.util.Map<String, String> models(String key, Caller caller) {
              return gatewayRef[0].openRun(key, caller);
            }

            @Override
            public ClaudeCodeRuntime.Mcp mcp(String key, Caller caller) {
              return new ClaudeCodeRuntime.Mcp("http://127.0.0.1:" + port() + "/mcp",
                  runCredentials.issue(key, RunCredentials.Scope.MCP, caller));
            }

            @Override
            public void refresh(String key, Caller caller) {
              runCredentials.update(key, caller);
            }

            @Override
            public void release(String key) {
              runCredentials.revoke(key);
            }

            @Override
            public void writeSkills(Caller caller, java.util.UUID projectId, java.nio.file.Path skillsFolder) {
              try {
                skills.writeEnabled(caller, projectId, skillsFolder);
              } catch (IOException e) {
                log.warn("The project's skills could not be written for Claude Code: {}", e.toString());
              }
            }

            @Override
            public ClaudeCodeRuntime.Confinement confinement(Caller caller) {
              return switch (bash.forCaller(caller)) {
                case BashShell.Host host -> ClaudeCodeRuntime.Confinement.NONE;
                case BashShell.Sandboxed sandboxed -> new ClaudeCodeRuntime.Confinement(false, sandboxed.sandbox());
                default -> new ClaudeCodeRuntime.Confinement(false, null);
              };
            }

            @Override
            public String miniModel() {
              return settings.models().miniModel();
            }
          }, settings.agent().claudeCodeIdle());
      executions = new ExecutionService(database, projects, settings.models(), routers, runTools,
          (caller, projectId) -> skills.enabledFor(caller, projectId).stream()
              .map(s -> new SystemPrompt.SkillLine(s.name(), s.description())).toList(),
          settings.workspace().host(), settings.agent(), tracing.runs(), changes, List.of(claudeCode));
      projects.stopRunsWith(executions::stopAndWait);
      tasks = new TaskService(database, projects, executions, settings.mcp(), changes);
      tasks.start();

      var server = settings.server();
      var identity = new IdentityResolver(
          new IdentityResolver.Rules(server.trustForwardedHeaders(), server.requireForwardedToken(), server.onDatabricksApps()),
          settings.workspace().configured() ? workspace : null, localUser, Clock.systemUTC());
      owner = owner(settings, workspace, localUser);
      AppOwner appOwner = owner;
      Supplier<String> terminalOwner = appOwner::current;
      // The owner's workspace credential for terminals: pasted, else DATABRICKS_TOKEN, else a CLI profile.
      CredentialService.EnvironmentCredential ownerCredential = settings.workspace().token() != null
          ? new CredentialService.EnvironmentCredential("environment", settings.workspace()::token)
          : settings.credentials().profile() != null && workspace.configured()
              ? new CredentialService.EnvironmentCredential("profile", workspace.profileBearer(settings.credentials().profile()))
              : null;
      credentials = new CredentialService(settings.credentials(), settings.workspace().host(), terminalOwner, ownerCredential,
          modelHttp, Clock.systemUTC());
      credentials.start();
      var cliHome = settings.storage().home().resolve("clis");
      var gateway = new GatewayService(settings.gateway(), credentials, modelHttp, cliHome, this::port, terminalOwner,
          caller -> routers.apply(caller).anthropicUpstream(), runCredentials,
          tracing.gateway());
      gatewayRef[0] = gateway;
      clis = new CliService(settings.clis(), cliHome, settings.terminal().shellEnvironment(),
          new CliConfigs(settings.clis(), cliHome, this::port, settings.terminal().workingDirectory(), settings.terminal().home(),
              skills::exportTo, terminalOwner));
      CredentialService syncTokens = credentials;
      Supplier<Caller> ownerCaller = () -> new Caller(appOwner.current(), syncTokens.current()
          .orElseThrow(() -> new IllegalStateException("no workspace credential yet: paste a token in the terminal page")).value(),
          Caller.Source.BEARER_TOKEN);
      sync = new WorkspaceSync(settings.terminal().workingDirectory(), cliHome.resolve("sync").resolve("state.json"),
          new WorkspaceSync.WorkspaceFiles() {
            @Override
            public String owner() {
              try {
                return appOwner.current();
              } catch (RuntimeException e) {
                return null;
              }
            }

            @Override
            public void put(String path, byte[] content) {
              workspace.putWorkspaceFile(ownerCaller.get(), path, content);
            }

            @Override
            public void delete(String path) {
              workspace.deleteWorkspaceFile(ownerCaller.get(), path);
            }
          });
      terminals = new TerminalService(settings.terminal(), ShellWiring.all(gateway, clis), clis);
      List<String> origins = new ArrayList<>(settings.terminal().allowedOrigins());
      if (settings.mcp().publicUrl() != null) {
        origins.add(settings.mcp().publicUrl().toLowerCase(Locale.ROOT));
      }
      // The proxy's forwarded host names Mason only on Databricks Apps: elsewhere a page on a
      // rebound name could send that header itself.
      var exposure = new WebServer.Exposure(server.allowedHosts(),
          new PageOrigins(origins, server.onDatabricksApps() && server.trustForwardedHeaders()));
      var terminalRoutes = new TerminalRoutes(terminals, owner, identity, exposure.origins());
      CredentialService ownerTokens = credentials;
      // A terminal CLI's session secret opens /mcp as the owner, acting with the current rotated token.
      mcp = new McpRoutes(identity, runCredentials, databricksTools, tasks, settings.server().trustForwardedHeaders(),
          settings.storage().home(), version(), secret -> gateway.sessionUser(secret)
              .flatMap(user -> ownerTokens.current().map(token -> new Caller(user, token.value(), Caller.Source.BEARER_TOKEN))));
      web = new WebServer(server.bindAddress(), server.port(), exposure, identity, List.of(
          new SystemRoutes(version(), database::health, settings.workspace().host(), settings.database().lakebase(),
              settings.models().summary(), caller -> modelCredential(caller).label, clis::summary),
          new CliRoutes(clis, sync, gateway::sessionUser, terminalRoutes::owned),
          new ProjectRoutes(projects),
          new SkillRoutes(skills, projects, owner),
          new ExecutionRoutes(executions),
          new BusRoutes(changes),
          new TracingRoutes(tracing),
          new DatabricksRoutes(workspace),
          terminalRoutes,
          new CredentialRoutes(credentials, terminalRoutes::owned),
          new GatewayRoutes(gateway, terminalRoutes::owned),
          mcp,
          new UiRoutes())); // last: its catch-all serves the browser app for what no room matched
      web.start();
      terminals.start();
      // In the background: neither Mason's start, nor the chat, nor a plain shell waits for it.
      clis.start();
    } catch (RuntimeException e) {
      close();
      throw e;
    }
  }

  /**
   * On Databricks Apps the container's disk does not survive a restart, so an embedded database
   * there would lose everything: Mason refuses to start without the app's database resource
   * ({@code PG*}) or a Lakebase instance ({@code LAKEBASE_*}), and never touches the embedded
   * PostgreSQL binaries, which the Apps package leaves out.
   */
  private static void requireDatabaseOnApps(Settings settings) {
    Settings.Apps apps = settings.server().apps();
    if (apps != null && settings.database().target() instanceof DatabaseSettings.Embedded) {
      String app = apps.name() == null ? "<app>" : apps.name();
      throw new StartupException("on Databricks Apps Mason needs a database, and app '" + app + "' has none: add a Lakebase"
          + " database resource (mason deploy " + app + " --database INSTANCE, or the app's Edit > App resources > Database),"
          + " or set LAKEBASE_INSTANCE_NAME and LAKEBASE_DATABASE_NAME in app.yaml; see docs/deploy.md");
    }
  }

  /**
   * The app's owner: APP_OWNER when set; on Databricks Apps the app's creator, read through the
   * Apps API in the background; elsewhere the local user (the owner of DATABRICKS_TOKEN, or local).
   */
  private static AppOwner owner(Settings settings, WorkspaceAccess workspace, Supplier<String> localUser) {
    Settings.Apps apps = settings.server().apps();
    if (settings.terminal().appOwner() != null) {
      // On Apps the app is still read, for the scopes its users grant it (the model's credential).
      return apps != null && apps.name() != null && workspace.configured()
          ? AppOwner.namedOnApps(settings.terminal().appOwner(), apps.name(), workspace, OWNER_FIRST_RETRY, OWNER_MAX_RETRY)
          : AppOwner.named(settings.terminal().appOwner());
    }
    if (apps == null) {
      return AppOwner.localUser(localUser);
    }
    if (apps.name() == null) {
      return AppOwner.unknown("DATABRICKS_APP_NAME is not set, so the app's creator cannot be read");
    }
    if (!workspace.configured()) {
      return AppOwner.unknown("DATABRICKS_HOST is not set, so the creator of app '" + apps.name() + "' cannot be read");
    }
    return AppOwner.creatorOf(apps.name(), workspace, OWNER_FIRST_RETRY, OWNER_MAX_RETRY);
  }

  /** Which credential the chat's model calls carry for a caller ({@code model_credential} in {@code /api/config/me}). */
  enum ModelCredential {
    /** A key or token from the environment (ANTHROPIC_*, OPENAI_API_KEY, DATABRICKS_TOKEN), or no model at all. */
    CONFIGURED("configured"),
    /** The user's own forwarded token: their permissions and rate limits apply. */
    USER("user"),
    /** The app's service principal, through the SDK's OAuth machine-to-machine credentials. */
    APP("app_service_principal");

    final String label;

    ModelCredential(String label) {
      this.label = label;
    }
  }

  /**
   * The token that stands now for {@code token}: a terminal owner's minted token is rotated under
   * long work. The one succession the workspace clients, the model routers and the trace export
   * follow; it reads the credential service at each call, since that starts after them.
   */
  private String followed(String token) {
    CredentialService tokens = credentials;
    return tokens == null ? token : tokens.current(token);
  }

  /**
   * With no model secret configured, the workspace's serving endpoints are called with the user's
   * forwarded token when the app's users grant it the serving scope, else with the app's service
   * principal.
   */
  private ModelCredential modelCredential(Caller caller) {
    if (!settings.models().workspaceOAuth()) {
      return ModelCredential.CONFIGURED;
    }
    AppOwner known = owner;
    boolean userMay = caller.accessToken() != null && known != null && known.grantsUserScope(SERVING_SCOPE);
    return userMay ? ModelCredential.USER : ModelCredential.APP;
  }

  /** The Databricks Apps user authorization scope that lets an app call serving endpoints as the user. */
  static final String SERVING_SCOPE = "serving.serving-endpoints";

  /** Whether {@code caller} is the person a local Mason runs for; when that cannot be known, they are not. */
  private static boolean isLocalUser(Caller caller, Supplier<String> localUser) {
    if (caller.source() == Caller.Source.LOCAL) {
      return true;
    }
    try {
      return caller.user().equalsIgnoreCase(localUser.get());
    } catch (RuntimeException e) {
      return false;
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
    new DatabricksTools(new WorkspaceAccess(new WorkspaceSettings(null, null)), ToolSettings.defaults()).all()
        .forEach(t -> names.add(t.name()));
    names.addAll(McpRoutes.DELEGATION_TOOLS);
    return names;
  }

  /** Tracing, for the model gateway's calls ({@link TracingService#gateway()}). */
  public TracingService tracing() {
    return tracing;
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
   * interrupted, and readers following it live receive that end); the traces still queued (the
   * runs' last spans have ended); only then the web server; the
   * backups' last pass; the database last.
   */
  @Override
  public synchronized void close() {
    var sequence = new ShutdownSequence();
    if (executions != null) {
      executions.refuseNewRuns();
    }
    sequence.stop("CLI installs", clis);
    clis = null;
    sequence.stop("workspace sync", sync);
    sync = null;
    sequence.stop("terminals", terminals);
    terminals = null;
    sequence.stop("app owner lookup", owner);
    owner = null;
    sequence.stop("MCP sessions", mcp);
    mcp = null;
    sequence.stop("task queue", tasks);
    tasks = null;
    ExecutionService runs = executions;
    sequence.stop("agent runs", runs == null ? null : () -> runs.close(sequence.remainingBeforeDatabase()));
    executions = null;
    sequence.stop("trace export", tracing);
    tracing = null;
    // Before the web server: the live streams end, so it has none to wait for.
    sequence.stop("change bus", changes);
    changes = null;
    sequence.stop("web server", web);
    web = null;
    // After the terminals and the web server: nothing calls the workspace for a shell any more.
    sequence.stop("terminal credentials", credentials);
    credentials = null;
    sequence.stop("backups", projects);
    projects = null;
    sequence.stopLast("database", database);
    database = null;
    sequence.stopLast("home lock", lock);
    lock = null;
    sequence.finished();
  }
}
