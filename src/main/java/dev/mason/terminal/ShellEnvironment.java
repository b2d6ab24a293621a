package dev.mason.terminal;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The environment a terminal's shell starts with: Mason's own, minus every credential Mason holds
 * for itself. A shell is the owner's, but Mason's workspace token, service-principal secret, model
 * keys and database password are not theirs to read from {@code env}.
 */
final class ShellEnvironment {
  /**
   * Removed by exact name. The service principal's id goes with its secret: without the secret it
   * would only steer the Databricks CLI towards an authentication that cannot succeed.
   * {@code CLAUDECODE} and {@code CLAUDE_CODE_SESSION} would make a Claude Code started in the
   * shell believe it runs nested inside another one.
   */
  private static final Set<String> NAMES = Set.of(
      "DATABRICKS_TOKEN", "DATABRICKS_CLIENT_SECRET", "DATABRICKS_CLIENT_ID",
      "MASON_DATABASE_URL", "LAKEBASE_PG_URL", "NPM_TOKEN", "CLAUDECODE", "CLAUDE_CODE_SESSION");
  private static final List<String> SUFFIXES = List.of("_API_KEY", "_AUTH_TOKEN", "_SECRET", "_ACCESS_TOKEN");
  private static final List<String> PREFIXES = List.of("PG");
  private static final List<String> FRAGMENTS = List.of("PASSWORD");

  private ShellEnvironment() {}

  /** {@code env} without the variables that hold Mason's secrets. */
  static Map<String, String> scrub(Map<String, String> env) {
    Map<String, String> kept = new HashMap<>();
    env.forEach((name, value) -> {
      if (!isSecret(name)) {
        kept.put(name, value);
      }
    });
    return kept;
  }

  static boolean isSecret(String name) {
    String upper = name.toUpperCase(Locale.ROOT);
    return NAMES.contains(upper)
        || SUFFIXES.stream().anyMatch(upper::endsWith)
        || PREFIXES.stream().anyMatch(upper::startsWith)
        || FRAGMENTS.stream().anyMatch(upper::contains);
  }

  /** The scrubbed environment made ready for a login shell: terminal type, home, and {@code ~/.local/bin} first on the path. */
  static Map<String, String> forShell(Map<String, String> scrubbed, Path home, String sessionId) {
    Map<String, String> env = new HashMap<>(scrubbed);
    env.put("TERM", "xterm-256color");
    env.put("COLORTERM", "truecolor");
    env.put("HOME", home.toString());
    env.put("MASON_TERMINAL_SESSION", sessionId);
    String localBin = home.resolve(".local").resolve("bin").toString();
    String path = env.getOrDefault("PATH", "/usr/local/bin:/usr/bin:/bin");
    if (!List.of(path.split(":")).contains(localBin)) {
      env.put("PATH", localBin + ":" + path);
    }
    return env;
  }
}
