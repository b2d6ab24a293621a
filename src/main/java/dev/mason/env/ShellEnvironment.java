package dev.mason.env;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The one rule for what a process Mason starts for a user (a Bash tool call, a terminal's shell)
 * inherits: Mason's own environment minus every credential Mason holds for itself
 * ({@link SecretVariables}) and minus the variables that would make a Claude Code started there
 * believe it runs nested inside another one. Each kind of process then adds what it needs to run
 * ({@link #forCommand}, {@link #forShell}), never a secret.
 */
public final class ShellEnvironment {
  /** The search path a process gets when Mason itself has none. */
  public static final String DEFAULT_PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

  /** Not secrets, but wrong in a child: a Claude Code started there would believe it runs nested. */
  private static final Set<String> NOT_INHERITED = Set.of("CLAUDECODE", "CLAUDE_CODE_SESSION");

  private ShellEnvironment() {}

  /** What a child may inherit of {@code env}: a new, mutable map. */
  public static Map<String, String> scrub(Map<String, String> env) {
    Map<String, String> kept = SecretVariables.withoutSecrets(env);
    NOT_INHERITED.forEach(kept::remove);
    return kept;
  }

  /** For a command run without a terminal (the agent's Bash): a usable PATH, HOME and LANG, and git never prompting. */
  public static Map<String, String> forCommand(Map<String, String> env) {
    Map<String, String> kept = scrub(env);
    kept.putIfAbsent("PATH", DEFAULT_PATH);
    kept.putIfAbsent("HOME", System.getProperty("user.home"));
    kept.putIfAbsent("LANG", "C.UTF-8");
    // No terminal is attached: git must fail at once instead of waiting for a password.
    kept.put("GIT_TERMINAL_PROMPT", "0");
    return kept;
  }

  /**
   * For a terminal's login shell, from an already scrubbed environment: terminal type, home, the
   * session's id, and {@code ~/.local/bin} first on the path.
   */
  public static Map<String, String> forShell(Map<String, String> scrubbed, Path home, String sessionId) {
    Map<String, String> env = scrub(scrubbed);
    env.put("TERM", "xterm-256color");
    env.put("COLORTERM", "truecolor");
    env.put("HOME", home.toString());
    env.put("MASON_TERMINAL_SESSION", sessionId);
    String localBin = home.resolve(".local").resolve("bin").toString();
    String path = env.getOrDefault("PATH", DEFAULT_PATH);
    if (!List.of(path.split(":")).contains(localBin)) {
      env.put("PATH", localBin + ":" + path);
    }
    return env;
  }
}
