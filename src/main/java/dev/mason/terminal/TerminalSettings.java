package dev.mason.terminal;

import dev.mason.env.ConfigException;
import dev.mason.env.Env;
import dev.mason.env.ShellEnvironment;
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
    Env vars = Env.of(env);
    String homeValue = vars.text("HOME");
    Path home = Path.of(homeValue == null || homeValue.equals("/") ? System.getProperty("user.home") : homeValue);
    String cwd = vars.text("TERMINAL_CWD");
    return new TerminalSettings(
        vars.integer("MAX_CONCURRENT_SESSIONS", DEFAULT_MAX_SESSIONS),
        Duration.ofSeconds(vars.integer("TERMINAL_IDLE_TIMEOUT_SECONDS", (int) DEFAULT_IDLE_TIMEOUT.toSeconds())),
        vars.integer("TERMINAL_RING_BYTES", DEFAULT_RING_BYTES),
        home,
        cwd == null ? home.resolve("projects") : Path.of(cwd),
        vars.text("APP_OWNER"),
        origins(env),
        Duration.ofSeconds(vars.integer("TERMINAL_READER_LEASE_SECONDS", (int) DEFAULT_READER_LEASE.toSeconds())),
        ShellEnvironment.scrub(env),
        vars.integer("TERMINAL_FLOOD_NICE", DEFAULT_FLOOD_NICE));
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
    String value = Env.of(env).text("TERMINAL_ALLOWED_ORIGINS");
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


}
