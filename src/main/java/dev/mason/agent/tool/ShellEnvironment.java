package dev.mason.agent.tool;

import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * The environment a Bash command runs with: the server's own, minus every variable that could
 * hold one of Mason's secrets (the workspace token, model API keys, database URLs and
 * passwords), plus a usable PATH, HOME and LANG when the server has none.
 *
 * <p>Names are compared in upper case. Removed: DATABRICKS_TOKEN, DATABRICKS_CLIENT_SECRET,
 * MASON_DATABASE_URL, LAKEBASE_PG_URL, anything starting with PG (the Apps database resource),
 * anything ending in _TOKEN, _API_KEY, _ACCESS_KEY, _PRIVATE_KEY or DATABASE_URL, and anything
 * containing SECRET, PASSWORD or PASSWD.
 */
final class ShellEnvironment {
  static final String DEFAULT_PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

  private ShellEnvironment() {}

  static Map<String, String> scrub(Map<String, String> source) {
    Map<String, String> kept = new TreeMap<>();
    source.forEach((name, value) -> {
      if (!isSecret(name)) {
        kept.put(name, value);
      }
    });
    kept.putIfAbsent("PATH", DEFAULT_PATH);
    kept.putIfAbsent("HOME", System.getProperty("user.home"));
    kept.putIfAbsent("LANG", "C.UTF-8");
    // No terminal is attached: git must fail at once instead of waiting for a password.
    kept.put("GIT_TERMINAL_PROMPT", "0");
    return kept;
  }

  static boolean isSecret(String name) {
    String upper = name.toUpperCase(Locale.ROOT);
    return upper.equals("DATABRICKS_TOKEN")
        || upper.equals("DATABRICKS_CLIENT_SECRET")
        || upper.equals("MASON_DATABASE_URL")
        || upper.equals("LAKEBASE_PG_URL")
        || upper.startsWith("PG")
        || upper.endsWith("_TOKEN")
        || upper.endsWith("_API_KEY")
        || upper.endsWith("_ACCESS_KEY")
        || upper.endsWith("_PRIVATE_KEY")
        || upper.endsWith("DATABASE_URL")
        || upper.contains("SECRET")
        || upper.contains("PASSWORD")
        || upper.contains("PASSWD");
  }
}
