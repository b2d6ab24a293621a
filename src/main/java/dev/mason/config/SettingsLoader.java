package dev.mason.config;

import dev.mason.agent.AgentLimits;
import dev.mason.agent.llm.ModelSettings;
import dev.mason.agent.tool.BashMode;
import dev.mason.clis.CliSettings;
import dev.mason.credentials.CredentialSettings;
import dev.mason.databricks.ToolSettings;
import dev.mason.databricks.WorkspaceSettings;
import dev.mason.env.ConfigException;
import dev.mason.env.Env;
import dev.mason.gateway.GatewaySettings;
import dev.mason.mcp.McpSettings;
import dev.mason.skill.SkillSettings;
import dev.mason.store.DatabaseSettings;
import dev.mason.terminal.TerminalSettings;
import dev.mason.tracing.TracingSettings;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Reads {@link Settings} from the environment, an optional env file and command-line flags.
 *
 * <p>Precedence: flags over the process environment over the env file ({@code --env-file} or
 * {@code MASON_ENV_FILE}). The names are those of the systems Mason replaces, so their users'
 * scripts keep working.
 */
public final class SettingsLoader {
  static final int DEFAULT_PORT = 8000;
  static final int DEFAULT_POOL_SIZE = 10;
  static final Duration DEFAULT_BACKUP_INTERVAL = Duration.ofSeconds(600);
  static final long DEFAULT_MAX_BACKUP_BYTES = 1024L * 1024 * 1024;

  /** The secrets Mason reads itself, each of which may come from a file named by {@code <NAME>_FILE}. */
  static final List<String> FILE_SECRETS = List.of("DATABRICKS_TOKEN", "DATABRICKS_CLIENT_SECRET", "ANTHROPIC_API_KEY",
      "ANTHROPIC_AUTH_TOKEN", "OPENAI_API_KEY", "MASON_DATABASE_URL", "LAKEBASE_PG_URL", "PGPASSWORD");

  private final Map<String, String> env;
  /** The one reader of {@link #env}. */
  private final Env vars;

  private SettingsLoader(Map<String, String> env) {
    this.env = env;
    this.vars = Env.of(env);
  }

  /** Settings from the process environment and {@code args} ({@code --port N}, {@code --home DIR}, {@code --env-file F}). */
  public static Settings load(Map<String, String> processEnv, List<String> args) {
    Map<String, String> flags = parseFlags(args);
    Map<String, String> merged = new HashMap<>();
    String envFile = flags.getOrDefault("env-file", processEnv.get("MASON_ENV_FILE"));
    if (envFile != null && !envFile.isBlank()) {
      merged.putAll(readEnvFile(Path.of(envFile)));
    }
    merged.putAll(processEnv);
    if (flags.containsKey("port")) {
      merged.put("PORT", flags.get("port"));
      merged.remove("DATABRICKS_APP_PORT");
    }
    if (flags.containsKey("home")) {
      merged.put("MASON_HOME", flags.get("home"));
    }
    readSecretFiles(merged);
    return new SettingsLoader(merged).read();
  }

  /**
   * {@code NAME_FILE=/path} for each of Mason's own secrets NAME ({@link #FILE_SECRETS}) sets NAME
   * to the file's content without its trailing line break. The secret then never sits in Mason's
   * process environment, where every process of the same user can read it ({@code /proc/<pid>/environ}).
   */
  private static void readSecretFiles(Map<String, String> env) {
    for (String secret : FILE_SECRETS) {
      String name = secret + "_FILE";
      if (env.get(name) == null || env.get(name).isBlank()) {
        continue;
      }
      if (env.get(secret) != null && !env.get(secret).isBlank()) {
        throw new ConfigException(name, "is set together with " + secret + "; set one of them");
      }
      Path file = Path.of(env.get(name).trim());
      try {
        env.put(secret, Files.readString(file, StandardCharsets.UTF_8).replaceFirst("\\r?\\n$", ""));
      } catch (IOException e) {
        throw new ConfigException(name, "names a file that cannot be read: " + file + " (" + e.getClass().getSimpleName() + ")");
      }
    }
  }

  private Settings read() {
    boolean onDatabricksApps = vars.present("DATABRICKS_APP_PORT") || vars.present("DATABRICKS_APP_NAME");
    String portVariable = vars.present("DATABRICKS_APP_PORT") ? "DATABRICKS_APP_PORT" : "PORT";
    int port = vars.integer(portVariable, DEFAULT_PORT);
    if (port < 0 || port > 65_535) {
      // Checked here as well as in Server so that the error names the variable actually set.
      throw new ConfigException(portVariable, "must be between 0 and 65535, was " + port);
    }
    McpSettings mcp = McpSettings.fromEnv(env);
    var server = new Settings.Server(
        vars.text("MASON_BIND_ADDRESS", onDatabricksApps ? "0.0.0.0" : "127.0.0.1"),
        port,
        vars.bool("MASON_TRUST_FORWARDED_HEADERS", onDatabricksApps),
        vars.bool("MASON_REQUIRE_FORWARDED_TOKEN", onDatabricksApps),
        onDatabricksApps ? new Settings.Apps(vars.text("DATABRICKS_APP_NAME", null)) : null,
        allowedHosts(mcp.publicUrl()));

    Path home = Path.of(vars.text("MASON_HOME", Path.of(System.getProperty("user.home"), ".mason").toString()));
    Path projects = vars.present("PROJECTS_BASE_DIR") ? Path.of(env.get("PROJECTS_BASE_DIR")) : home.resolve("projects");
    var storage = new Settings.Storage(home, projects);

    var database = new DatabaseSettings(
        databaseTarget(storage.home()),
        vars.text("MASON_DATABASE_SCHEMA", vars.text("LAKEBASE_SCHEMA_NAME", "mason")),
        vars.integer("DB_POOL_SIZE", DEFAULT_POOL_SIZE),
        !vars.present("MASON_DATABASE_URL") && (vars.present("LAKEBASE_PG_URL") || vars.present("LAKEBASE_INSTANCE_NAME") || vars.present("PGHOST")),
        Duration.ofSeconds(vars.integer("MASON_LEFTOVER_SWEEP_SECONDS", (int) DatabaseSettings.DEFAULT_LEFTOVER_SWEEP.toSeconds())));

    String host = vars.present("DATABRICKS_HOST") ? normalizeHost(env.get("DATABRICKS_HOST")) : null;
    var workspace = new WorkspaceSettings(host, vars.text("DATABRICKS_TOKEN", null),
        vars.text("DATABRICKS_CLIENT_ID", null), vars.text("DATABRICKS_CLIENT_SECRET", null));

    long backupSeconds = vars.integer("BACKUP_INTERVAL_SECONDS", (int) DEFAULT_BACKUP_INTERVAL.toSeconds());
    return new Settings(server, storage, database, workspace, new Settings.Backup(Duration.ofSeconds(backupSeconds), vars.wholeNumber("MASON_MAX_BACKUP_BYTES", DEFAULT_MAX_BACKUP_BYTES)),
        SkillSettings.fromEnv(env), ModelSettings.fromEnv(env), AgentLimits.fromEnv(env),
        ToolSettings.fromEnvironment(env), TerminalSettings.fromEnv(env), mcp, bashMode(server),
        new CredentialSettings(
            vars.seconds("PAT_TOKEN_LIFETIME", CredentialSettings.DEFAULT_TOKEN_LIFETIME),
            vars.seconds("PAT_ROTATION_INTERVAL", CredentialSettings.DEFAULT_ROTATION_INTERVAL),
            env.get("DATABRICKS_CONFIG_PROFILE"), env.get("DATABRICKS_APP_NAME")),
        new GatewaySettings(env.get("DATABRICKS_GATEWAY_HOST"), env.get("DATABRICKS_WORKSPACE_ID"),
            env.get("MASON_AI_GATEWAY_TEMPLATE")), tracing(workspace),
        CliSettings.fromEnv(env, Path.of("").toAbsolutePath()));
  }

  /**
   * {@code MASON_BASH}; by default the sandbox for a Mason that others reach, else the host for its
   * local user and the sandbox for anyone else.
   */
  private BashMode bashMode(Settings.Server server) {
    if (!vars.present("MASON_BASH")) {
      return server.shared() ? BashMode.SANDBOX : BashMode.AUTO;
    }
    return switch (env.get("MASON_BASH").trim().toLowerCase(Locale.ROOT)) {
      case "host" -> BashMode.HOST;
      case "sandbox" -> BashMode.SANDBOX;
      case "off" -> BashMode.OFF;
      default -> throw new ConfigException("MASON_BASH", "must be host, sandbox or off, was '" + env.get("MASON_BASH").trim() + "'");
    };
  }

  private List<String> allowedHosts(String publicUrl) {
    List<String> hosts = new ArrayList<>();
    if (publicUrl != null) {
      hosts.add(URI.create(publicUrl).getHost().toLowerCase(Locale.ROOT));
    }
    if (vars.present("MASON_ALLOWED_HOSTS")) {
      for (String host : env.get("MASON_ALLOWED_HOSTS").split(",")) {
        String name = host.trim().toLowerCase(Locale.ROOT);
        if (name.isEmpty()) {
          continue;
        }
        if (!name.matches("[a-z0-9.-]+")) {
          throw new ConfigException("MASON_ALLOWED_HOSTS", "must list host names such as mason.example.com, got '" + name + "'");
        }
        hosts.add(name);
      }
    }
    return hosts;

  }

  /** MLflow tracing: the names MLflow's own clients read, plus Mason's queue size. */
  private TracingSettings tracing(WorkspaceSettings workspace) {
    var tracing = new TracingSettings(
        vars.bool("MLFLOW_TRACING_ENABLED", true),
        vars.present("MLFLOW_TRACKING_URI") ? env.get("MLFLOW_TRACKING_URI") : null,
        vars.present("MLFLOW_EXPERIMENT_NAME") ? env.get("MLFLOW_EXPERIMENT_NAME").strip() : null,
        vars.text("DATABRICKS_APP_NAME", "mason"),
        vars.present("MLFLOW_TRACKING_TOKEN") ? env.get("MLFLOW_TRACKING_TOKEN").strip() : null,
        vars.present("MLFLOW_TRACING_UC_TABLE") ? env.get("MLFLOW_TRACING_UC_TABLE") : null,
        vars.integer("MASON_TRACE_QUEUE_SIZE", TracingSettings.DEFAULT_QUEUE_SIZE),
        vars.integer("MASON_TRACE_TURN_GAP", TracingSettings.DEFAULT_TURN_GAP_SECONDS));
    if (tracing.active() && TracingSettings.DATABRICKS.equals(tracing.trackingUri()) && !workspace.configured()) {
      throw new ConfigException("MLFLOW_TRACKING_URI", "is databricks, which needs DATABRICKS_HOST (the workspace)");
    }
    return tracing;
  }

  private DatabaseSettings.Target databaseTarget(Path home) {
    for (String name : List.of("MASON_DATABASE_URL", "LAKEBASE_PG_URL")) {
      if (vars.present(name)) {
        return parseUrl(name, env.get(name).trim());
      }
    }
    if (vars.present("LAKEBASE_INSTANCE_NAME")) {
      if (!vars.present("LAKEBASE_DATABASE_NAME")) {
        throw new ConfigException("LAKEBASE_DATABASE_NAME", "must be set with LAKEBASE_INSTANCE_NAME");
      }
      return new DatabaseSettings.Lakebase(env.get("LAKEBASE_INSTANCE_NAME").trim(), env.get("LAKEBASE_DATABASE_NAME").trim());
    }
    if (vars.present("PGHOST")) {
      // The variables a Databricks Apps database resource sets; it sets no password because the
      // app's own OAuth token is the password.
      return new DatabaseSettings.External(
          env.get("PGHOST").trim(),
          vars.integer("PGPORT", 5432),
          vars.text("PGDATABASE", "databricks_postgres"),
          vars.text("PGUSER", System.getProperty("user.name")),
          env.get("PGPASSWORD"),
          vars.text("PGSSLMODE", "require"));
    }
    return new DatabaseSettings.Embedded(home.resolve("pg"));
  }

  /** Parses {@code postgresql://user:pass@host:port/db?sslmode=…}; the error never echoes the URL (it may hold a password). */
  static DatabaseSettings.External parseUrl(String variable, String url) {
    URI uri;
    try {
      uri = new URI(url.startsWith("jdbc:") ? url.substring(5) : url);
    } catch (URISyntaxException e) {
      throw new ConfigException(variable, "is not a URL of the form postgresql://user:password@host:port/database");
    }
    if (!"postgresql".equals(uri.getScheme()) && !"postgres".equals(uri.getScheme())) {
      throw new ConfigException(variable, "must start with postgresql://");
    }
    if (uri.getHost() == null) {
      throw new ConfigException(variable, "has no host");
    }
    String path = uri.getPath() == null ? "" : uri.getPath().replaceFirst("^/", "");
    if (path.isEmpty()) {
      throw new ConfigException(variable, "has no database name after the host");
    }
    String user = null;
    String password = null;
    if (uri.getRawUserInfo() != null) {
      String[] parts = uri.getRawUserInfo().split(":", 2);
      user = decode(parts[0]);
      password = parts.length > 1 ? decode(parts[1]) : null;
    }
    String sslMode = "prefer";
    if (uri.getRawQuery() != null) {
      for (String pair : uri.getRawQuery().split("&")) {
        String[] kv = pair.split("=", 2);
        if (kv[0].equals("sslmode") && kv.length == 2) {
          sslMode = decode(kv[1]);
        } else if (kv[0].equals("user") && kv.length == 2) {
          user = decode(kv[1]);
        } else if (kv[0].equals("password") && kv.length == 2) {
          password = decode(kv[1]);
        }
      }
    }
    return new DatabaseSettings.External(
        uri.getHost(), uri.getPort() < 0 ? 5432 : uri.getPort(), path,
        user == null ? System.getProperty("user.name") : user, password == null ? "" : password, sslMode);
  }

  private static String decode(String s) {
    return URLDecoder.decode(s, StandardCharsets.UTF_8);
  }

  private static String normalizeHost(String host) {
    String h = host.trim().replaceAll("/+$", "");
    return h.startsWith("http://") || h.startsWith("https://") ? h : "https://" + h;
  }

  private static Map<String, String> parseFlags(List<String> args) {
    Map<String, String> flags = new HashMap<>();
    for (int i = 0; i < args.size(); i++) {
      String arg = args.get(i);
      if (!arg.startsWith("--")) {
        throw new ConfigException(arg, "is not a flag Mason knows (try --port, --home, --env-file)");
      }
      String name = arg.substring(2);
      String value;
      int eq = name.indexOf('=');
      if (eq >= 0) {
        value = name.substring(eq + 1);
        name = name.substring(0, eq);
      } else if (i + 1 < args.size()) {
        value = args.get(++i);
      } else {
        throw new ConfigException(arg, "needs a value");
      }
      if (!List.of("port", "home", "env-file").contains(name)) {
        throw new ConfigException("--" + name, "is not a flag Mason knows (try --port, --home, --env-file)");
      }
      flags.put(name, value);
    }
    return flags;
  }

  /** KEY=VALUE lines; blank lines and # comments ignored; optional quotes around the value. */
  private static Map<String, String> readEnvFile(Path file) {
    Map<String, String> values = new HashMap<>();
    List<String> lines;
    try {
      lines = Files.readAllLines(file);
    } catch (IOException e) {
      throw new ConfigException("MASON_ENV_FILE", "cannot be read: " + file + " (" + e.getMessage() + ")");
    }
    for (String raw : lines) {
      String line = raw.strip();
      if (line.isEmpty() || line.startsWith("#")) {
        continue;
      }
      if (line.startsWith("export ")) {
        line = line.substring(7).strip();
      }
      int eq = line.indexOf('=');
      if (eq <= 0) {
        continue;
      }
      String value = line.substring(eq + 1).strip();
      if (value.length() >= 2 && (value.startsWith("\"") && value.endsWith("\"") || value.startsWith("'") && value.endsWith("'"))) {
        value = value.substring(1, value.length() - 1);
      }
      values.put(line.substring(0, eq).strip(), value);
    }
    return values;
  }
}
