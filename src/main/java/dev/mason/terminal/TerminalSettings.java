package dev.mason.terminal;

import dev.mason.config.ConfigException;
import dev.mason.config.ShellEnvironment;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * How the terminal room behaves, read from the environment and validated once.
 *
 * @param maxSessions running shells allowed at once ({@code MAX_CONCURRENT_SESSIONS})
 * @param idleTimeout a session nobody has typed into, heartbeated or attached to for this long is
 *     closed; it is warned at 80 % of it ({@code TERMINAL_IDLE_TIMEOUT_SECONDS})
 * @param ringBytes output kept per session for replay and slow readers ({@code TERMINAL_RING_BYTES})
 * @param home the shells' {@code HOME}; uploads go to {@code home/uploads}
 * @param workingDirectory where shells start, created when missing ({@code TERMINAL_CWD}, default
 *     {@code $HOME/projects})
 * @param appOwner the one user allowed to use terminals when set ({@code APP_OWNER}), lower case;
 *     null leaves the decision to the application's owner policy
 * @param allowedOrigins browser origins accepted besides the server's own host
 *     ({@code TERMINAL_ALLOWED_ORIGINS}, comma-separated, e.g. {@code https://a.example.com})
 * @param readerLease how long a poller that stopped fetching, or a WebSocket that dropped, still
 *     counts as attached and holds the shell's output back ({@code TERMINAL_READER_LEASE_SECONDS})
 * @param shellEnvironment the environment shells start from, already scrubbed of Mason's secrets
 * @param floodNice the niceness a terminal runs at while it floods output, 0 to 19; 0 never
 *     changes it ({@code TERMINAL_FLOOD_NICE}, see {@link FloodPriority})
 */
public record TerminalSettings(
    int maxSessions,
    Duration idleTimeout,
    int ringBytes,
    Path home,
    Path workingDirectory,
    String appOwner,
    List<String> allowedOrigins,
    Duration readerLease,
    Map<String, String> shellEnvironment,
    int floodNice) {

  static final int DEFAULT_MAX_SESSIONS = 10;
  static final Duration DEFAULT_IDLE_TIMEOUT = Duration.ofHours(24);
  static final int DEFAULT_RING_BYTES = 1024 * 1024;
  static final int MIN_RING_BYTES = 64 * 1024;
  static final int MAX_RING_BYTES = 256 * 1024 * 1024;
  static final Duration DEFAULT_READER_LEASE = Duration.ofSeconds(60);
  static final int DEFAULT_FLOOD_NICE = 19;

  public TerminalSettings {
    Objects.requireNonNull(idleTimeout, "idleTimeout");
    Objects.requireNonNull(readerLease, "readerLease");
    Objects.requireNonNull(home, "home");
    Objects.requireNonNull(workingDirectory, "workingDirectory");
    Objects.requireNonNull(allowedOrigins, "allowedOrigins");
    Objects.requireNonNull(shellEnvironment, "shellEnvironment");
    if (maxSessions < 1 || maxSessions > 1_000) {
      throw new ConfigException("MAX_CONCURRENT_SESSIONS", "must be between 1 and 1000, was " + maxSessions);
    }
    if (idleTimeout.compareTo(Duration.ofSeconds(1)) < 0) {
      throw new ConfigException("TERMINAL_IDLE_TIMEOUT_SECONDS", "must be at least 1 second");
    }
    if (ringBytes < MIN_RING_BYTES || ringBytes > MAX_RING_BYTES) {
      throw new ConfigException("TERMINAL_RING_BYTES", "must be between " + MIN_RING_BYTES + " and " + MAX_RING_BYTES
          + " bytes, was " + ringBytes);
    }
    if (readerLease.compareTo(Duration.ofSeconds(1)) < 0) {
      throw new ConfigException("TERMINAL_READER_LEASE_SECONDS", "must be at least 1 second");
    }
    if (floodNice < 0 || floodNice > 19) {
      throw new ConfigException("TERMINAL_FLOOD_NICE", "must be between 0 and 19, was " + floodNice);
    }
    home = home.toAbsolutePath().normalize();
    workingDirectory = workingDirectory.toAbsolutePath().normalize();
    appOwner = appOwner == null || appOwner.isBlank() ? null : appOwner.trim().toLowerCase(Locale.ROOT);
    allowedOrigins = List.copyOf(allowedOrigins);
    shellEnvironment = Map.copyOf(shellEnvironment);
  }

  /** Settings from environment variables; the shells' environment is {@code env} without Mason's secrets. */
  public static TerminalSettings fromEnv(Map<String, String> env) {
    String homeValue = text(env, "HOME");
    Path home = Path.of(homeValue == null || homeValue.equals("/") ? System.getProperty("user.home") : homeValue);
    String cwd = text(env, "TERMINAL_CWD");
    return new TerminalSettings(
        integer(env, "MAX_CONCURRENT_SESSIONS", DEFAULT_MAX_SESSIONS),
        Duration.ofSeconds(integer(env, "TERMINAL_IDLE_TIMEOUT_SECONDS", (int) DEFAULT_IDLE_TIMEOUT.toSeconds())),
        integer(env, "TERMINAL_RING_BYTES", DEFAULT_RING_BYTES),
        home,
        cwd == null ? home.resolve("projects") : Path.of(cwd),
        text(env, "APP_OWNER"),
        origins(env),
        Duration.ofSeconds(integer(env, "TERMINAL_READER_LEASE_SECONDS", (int) DEFAULT_READER_LEASE.toSeconds())),
        withAppClis(ShellEnvironment.scrub(env)),
        integer(env, "TERMINAL_FLOOD_NICE", DEFAULT_FLOOD_NICE));
  }

  /**
   * On Databricks Apps the platform's {@code npm install} of the package's {@code package.json}
   * puts the coding CLIs in {@code node_modules/.bin} of the app's folder (Mason's working
   * directory); shells find them there first, and nothing is installed at boot.
   */
  private static Map<String, String> withAppClis(Map<String, String> shellEnvironment) {
    boolean onApps = text(shellEnvironment, "DATABRICKS_APP_PORT") != null || text(shellEnvironment, "DATABRICKS_APP_NAME") != null;
    Path clis = Path.of(System.getProperty("user.dir")).toAbsolutePath().resolve("node_modules").resolve(".bin");
    if (!onApps || !java.nio.file.Files.isDirectory(clis)) {
      return shellEnvironment;
    }
    Map<String, String> env = new java.util.HashMap<>(shellEnvironment);
    // A login shell's /etc/profile sets PATH anew; Mason's login profile puts this back (LoginProfile).
    env.put("MASON_CLIS_BIN", clis.toString());
    String path = env.get("PATH");
    env.put("PATH", path == null || path.isBlank() ? clis + ":/usr/local/bin:/usr/bin:/bin" : clis + ":" + path);
    return env;
  }

  Path uploadDirectory() {
    return home.resolve("uploads");
  }

  /** The environment is left out: it is large, and a variable with an unusual name may still hold a secret. */
  @Override
  public String toString() {
    return "TerminalSettings[maxSessions=" + maxSessions + ", idleTimeout=" + idleTimeout + ", ringBytes=" + ringBytes
        + ", home=" + home + ", workingDirectory=" + workingDirectory + ", appOwner=" + appOwner
        + ", allowedOrigins=" + allowedOrigins + ", readerLease=" + readerLease
        + ", floodNice=" + floodNice + ", shellEnvironment=" + shellEnvironment.size() + " variables]";
  }

  private static List<String> origins(Map<String, String> env) {
    String value = text(env, "TERMINAL_ALLOWED_ORIGINS");
    if (value == null) {
      return List.of();
    }
    List<String> origins = Arrays.stream(value.split(","))
        .map(String::trim)
        .filter(s -> !s.isEmpty())
        .map(s -> s.replaceAll("/+$", "").toLowerCase(Locale.ROOT))
        .toList();
    for (String origin : origins) {
      if (!origin.startsWith("http://") && !origin.startsWith("https://")) {
        throw new ConfigException("TERMINAL_ALLOWED_ORIGINS", "must list origins such as https://host.example.com, got '" + origin + "'");
      }
    }
    return origins;
  }

  private static String text(Map<String, String> env, String name) {
    String value = env.get(name);
    return value == null || value.isBlank() ? null : value.trim();
  }

  private static int integer(Map<String, String> env, String name, int fallback) {
    String value = text(env, name);
    if (value == null) {
      return fallback;
    }
    try {
      return Integer.parseInt(value);
    } catch (NumberFormatException e) {
      throw new ConfigException(name, "must be a whole number, was '" + value + "'");
    }
  }
}
