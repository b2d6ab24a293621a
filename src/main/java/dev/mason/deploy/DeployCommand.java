package dev.mason.deploy;

import com.databricks.sdk.WorkspaceClient;
import com.databricks.sdk.core.DatabricksConfig;
import com.databricks.sdk.core.DatabricksError;
import com.databricks.sdk.core.DatabricksException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * {@code mason deploy APP_NAME [--skip-build] [--profile P] [--database INSTANCE] [--package DIR]}:
 * packages Mason, creates the app when it does not exist, uploads the changed files to
 * {@code /Workspace/Users/<me>/apps/<APP_NAME>}, starts a deployment and follows it to the end.
 *
 * <p>It acts with the caller's own credentials, resolved the SDK's usual way: {@code --profile},
 * else {@code DATABRICKS_HOST} and {@code DATABRICKS_TOKEN} (and the SDK's other variables), else
 * the {@code DEFAULT} profile of {@code ~/.databrickscfg}. No Databricks CLI is needed.
 */
public final class DeployCommand {
  static final String USAGE = "Usage: mason deploy APP_NAME [--skip-build] [--profile NAME] [--database INSTANCE] [--package DIR]";

  /** What the command line asked for. {@code skipBuild} is the script's: it did not rebuild the jar. */
  record Options(String app, String profile, String database, Path packageFolder, boolean skipBuild) {}

  private DeployCommand() {}

  public static int run(List<String> args, Map<String, String> env, PrintStream out, PrintStream err) {
    Options options;
    try {
      options = parse(args);
    } catch (IllegalArgumentException e) {
      err.println(e.getMessage() + "\n" + USAGE);
      return 2;
    }
    try {
      AppPackage.Sources sources = AppPackage.ofThisBuild();
      Path folder = options.packageFolder() != null ? options.packageFolder() : PackageCommand.defaultFolder(sources);
      if (options.skipBuild() && options.packageFolder() != null && Files.isRegularFile(folder.resolve("app.yaml"))) {
        out.println("Deploying the package in " + AppPackage.check(folder).describe());
      } else {
        out.println("Packaged Mason in " + AppPackage.build(folder, sources).describe());
      }
      WorkspaceClient client = client(options, env);
      new AppDeployer(client, out).deploy(options, folder);
      return 0;
    } catch (PackageException e) {
      err.println("Cannot deploy: " + e.getMessage());
      return 1;
    } catch (UncheckedIOException e) {
      err.println("Cannot deploy: " + e.getMessage() + " (" + e.getCause().getMessage() + ")");
      return 1;
    } catch (java.io.IOException e) {
      err.println("Cannot deploy: " + e.getMessage());
      return 1;
    }
  }

  static Options parse(List<String> args) {
    String app = null;
    String profile = null;
    String database = null;
    Path folder = null;
    boolean skipBuild = false;
    for (int i = 0; i < args.size(); i++) {
      String arg = args.get(i);
      switch (arg) {
        case "--skip-build" -> skipBuild = true;
        case "--profile", "--database", "--package" -> {
          if (i + 1 >= args.size()) {
            throw new IllegalArgumentException(arg + " needs a value");
          }
          String value = args.get(++i);
          switch (arg) {
            case "--profile" -> profile = value;
            case "--database" -> database = value;
            default -> folder = Path.of(value).toAbsolutePath();
          }
        }
        default -> {
          if (arg.startsWith("-") || app != null) {
            throw new IllegalArgumentException("'" + arg + "' is not an argument mason deploy takes");
          }
          app = arg;
        }
      }
    }
    if (app == null) {
      throw new IllegalArgumentException("the app's name is missing");
    }
    if (!app.matches("[a-z0-9][a-z0-9-]{1,29}")) {
      throw new IllegalArgumentException("app name '" + app + "' must be 2 to 30 lowercase letters, digits and hyphens");
    }
    return new Options(app, profile, database, folder, skipBuild);
  }

  /**
   * A client with the caller's credentials. The SDK reads its environment variables itself; the
   * ones Mason was given are passed on explicitly so the same resolution holds for an embedded call.
   */
  private static WorkspaceClient client(Options options, Map<String, String> env) {
    DatabricksConfig config = new DatabricksConfig().setHttpTimeoutSeconds(60);
    if (options.profile() != null) {
      config.setProfile(options.profile());
    } else {
      if (env.get("DATABRICKS_HOST") != null) {
        config.setHost(env.get("DATABRICKS_HOST"));
      }
      if (env.get("DATABRICKS_TOKEN") != null) {
        config.setToken(env.get("DATABRICKS_TOKEN"));
      }
    }
    if (env.get("DATABRICKS_CONFIG_FILE") != null) {
      config.setConfigFile(env.get("DATABRICKS_CONFIG_FILE"));
    }
    try {
      return new WorkspaceClient(config);
    } catch (DatabricksException e) {
      throw new PackageException(AppDeployer.notLoggedIn(options.profile(), e.getMessage()));
    }
  }

  /** Lines the user reads for a workspace error, saying what to do. */
  static String explain(DatabricksError e, String doing) {
    return switch (e.getStatusCode()) {
      case 401 -> AppDeployer.notLoggedIn(null, "the workspace refused the credentials while " + doing);
      case 403 -> "no permission to " + doing + " (" + e.getMessage() + ")";
      default -> doing + " failed: HTTP " + e.getStatusCode() + " " + e.getErrorCode() + ": " + e.getMessage();
    };
  }
}
