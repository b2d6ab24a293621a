package dev.mason.agent.tool;

import dev.mason.config.SecretVariables;
import java.util.Map;

/**
 * The environment a Bash command runs with: the server's own without Mason's secrets
 * ({@link SecretVariables}), plus a usable PATH, HOME and LANG when the server has none.
 */
final class ShellEnvironment {
  static final String DEFAULT_PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

  private ShellEnvironment() {}

  static Map<String, String> scrub(Map<String, String> source) {
    Map<String, String> kept = SecretVariables.withoutSecrets(source);
    kept.putIfAbsent("PATH", DEFAULT_PATH);
    kept.putIfAbsent("HOME", System.getProperty("user.home"));
    kept.putIfAbsent("LANG", "C.UTF-8");
    // No terminal is attached: git must fail at once instead of waiting for a password.
    kept.put("GIT_TERMINAL_PROMPT", "0");
    return kept;
  }
}
