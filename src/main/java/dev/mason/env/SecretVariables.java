package dev.mason.env;

import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Which environment variables hold Mason's own secrets — the workspace token and client
 * secret, model keys, database URLs and passwords — so that no process Mason starts for a user
 * (a Bash tool call, a terminal's shell) can read them.
 *
 * <p>Names are compared in upper case. Secret: DATABRICKS_TOKEN, DATABRICKS_CLIENT_SECRET,
 * DATABRICKS_CLIENT_ID (useless without its secret, and it would steer the CLI to a login that
 * cannot succeed), MASON_DATABASE_URL, LAKEBASE_PG_URL, anything starting with PG (the Apps
 * database resource), anything ending in _TOKEN, _API_KEY, _ACCESS_KEY, _PRIVATE_KEY or
 * DATABASE_URL, anything containing SECRET, PASSWORD or PASSWD, and the name of a file holding any
 * of these ({@code DATABRICKS_TOKEN_FILE}).
 */
public final class SecretVariables {
  private SecretVariables() {}

  public static boolean isSecret(String name) {
    String upper = name.toUpperCase(Locale.ROOT);
    if (upper.endsWith("_FILE") && upper.length() > "_FILE".length() && isSecret(upper.substring(0, upper.length() - "_FILE".length()))) {
      return true;
    }
    return upper.equals("DATABRICKS_TOKEN")
        || upper.equals("DATABRICKS_CLIENT_SECRET")
        || upper.equals("DATABRICKS_CLIENT_ID")
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

  /** {@code env} without its secret variables, sorted by name. */
  public static Map<String, String> withoutSecrets(Map<String, String> env) {
    Map<String, String> kept = new TreeMap<>();
    env.forEach((name, value) -> {
      if (!isSecret(name)) {
        kept.put(name, value);
      }
    });
    return kept;
  }
}
