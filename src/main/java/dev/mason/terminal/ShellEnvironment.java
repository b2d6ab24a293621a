package dev.mason.terminal;

import dev.mason.config.SecretVariables;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The environment a terminal's shell starts with: Mason's own, minus every credential Mason holds
 * for itself ({@link SecretVariables}). A shell is the owner's, but Mason's workspace token,
 * service-principal secret, model keys and database password are not theirs to read from
 * {@code env}.
 */
final class ShellEnvironment {
  /**
   * Not secrets, but wrong in a shell: they would make a Claude Code started there believe it
   * runs nested inside another one.
   */
  private static final Set<String> NOT_FOR_SHELLS = Set.of("CLAUDECODE", "CLAUDE_CODE_SESSION");

  private ShellEnvironment() {}

  /** {@code env} without the variables that hold Mason's secrets. */
  static Map<String, String> scrub(Map<String, String> env) {
    Map<String, String> kept = new HashMap<>(SecretVariables.withoutSecrets(env));
    NOT_FOR_SHELLS.forEach(kept::remove);
    return kept;
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
