package dev.mason;

import dev.mason.config.Settings;
import dev.mason.config.SettingsLoader;
import dev.mason.clis.SyncCommand;
import dev.mason.clis.ToolsCommand;
import dev.mason.deploy.DeployCommand;
import dev.mason.deploy.PackageCommand;
import dev.mason.env.ConfigException;
import dev.mason.mcp.McpBridge;
import dev.mason.skill.SkillsCommand;
import dev.mason.store.StartupException;
import java.util.Arrays;
import java.util.List;

/**
 * The entry point: {@code mason [serve] [--port N] [--home DIR] [--env-file F]}, and
 * {@code mason bridge --url URL} (a stdio MCP client's way to Mason's {@code /mcp}), and
 * {@code mason skills check DIR} (a folder of skills checked by the rules the shipped ones pass), and
 * {@code mason package [DIR]} and {@code mason deploy APP} (Databricks Apps).
 */
public final class Mason {
  private Mason() {}

  public static void main(String[] args) {
    List<String> arguments = Arrays.asList(args);
    String command = arguments.isEmpty() || arguments.getFirst().startsWith("--") ? "serve" : arguments.getFirst();
    List<String> rest = arguments.isEmpty() || arguments.getFirst().startsWith("--") ? arguments : arguments.subList(1, arguments.size());
    int exit = switch (command) {
      case "serve" -> serve(rest);
      case "bridge" -> McpBridge.run(rest, System.getenv(), System.in, System.out, System.err);
      case "skills" -> SkillsCommand.run(rest, Application.toolNames(), System.out, System.err);
      case "tools" -> tools(rest);
      case "sync" -> SyncCommand.run(rest, System.getenv(), System.out, System.err);
      case "package" -> PackageCommand.run(rest, System.out, System.err);
      case "deploy" -> DeployCommand.run(rest, System.getenv(), System.out, System.err);
      case "version", "--version" -> {
        System.out.println("Mason " + Application.version());
        yield 0;
      }
      case "help", "--help", "-h" -> {
        System.out.println(USAGE);
        yield 0;
      }
      default -> {
        System.err.println("Unknown command '" + command + "'.\n" + USAGE);
        yield 2;
      }
    };
    if (exit != 0) {
      System.exit(exit);
    }
  }

  private static int serve(List<String> args) {
    Settings settings;
    try {
      settings = SettingsLoader.load(System.getenv(), args);
    } catch (ConfigException e) {
      System.err.println("Configuration error: " + e.getMessage());
      return 2;
    }
    Application app;
    try {
      app = Application.start(settings);
    } catch (StartupException e) {
      System.err.println("Mason cannot start: " + e.getMessage());
      return 1;
    }
    Runtime.getRuntime().addShutdownHook(Thread.ofPlatform().name("mason-shutdown").unstarted(app::close));
    System.out.println("Mason " + Application.version() + " is ready at " + app.url());
    return 0;
  }

  /** {@code mason tools [status | install | upgrade [--shipped]]} with the settings {@code serve} would use. */
  private static int tools(List<String> args) {
    Settings settings;
    try {
      settings = SettingsLoader.load(System.getenv(), List.of());
    } catch (ConfigException e) {
      System.err.println("Configuration error: " + e.getMessage());
      return 2;
    }
    return ToolsCommand.run(args, settings.clis(), settings.storage().home().resolve("clis"), settings.terminal().shellEnvironment(),
        System.out, System.err);
  }

  private static final String USAGE = """
      Usage: mason [command] [flags]
        serve      start the server (the default)
        bridge     connect a stdio MCP client to Mason: mason bridge --url https://<mason>/mcp [--profile NAME]
        skills     check a folder of skills before using it as SKILLS_DIR: mason skills check DIR
        sync       in a Mason terminal, sync this git repository to the workspace again: mason sync [FOLDER]
        tools      the terminals' coding-agent CLIs: mason tools [status | install | upgrade [--shipped]]
        package    build the Databricks Apps package: mason package [DIR] (default target/app)
        deploy     package and deploy to Databricks Apps: mason deploy APP_NAME [--skip-build] [--profile P] [--database INSTANCE]
        version    print the version
      Flags for serve: --port N, --home DIR, --env-file FILE
      Configuration is read from the environment; see the README.""";
}
