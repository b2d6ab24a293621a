package dev.mason.agent.tool;

import dev.mason.env.ShellEnvironment;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A shell started in a process group of its own, so that it and everything it started can be
 * stopped together.
 *
 * <p>The shell is started through {@code setsid}, which makes it the leader of a new session and
 * process group whose id is its pid. {@link #kill()} sends SIGKILL to that group, then to every
 * descendant seen just before (which also reaches processes that moved to a group of their own,
 * as long as they had not been orphaned yet). On a machine without {@code setsid} (macOS), only
 * the descendants are killed.
 *
 * <p>Thread-safe: {@link #kill()} may be called from the cancelling thread and the waiting thread
 * at once; signals are idempotent.
 */
public final class ProcessTree {
  private static final Logger log = LoggerFactory.getLogger(ProcessTree.class);
  static final Path SETSID = onPath("setsid");
  static final Path BASH = onPath("bash");
  private static final long GROUP_KILL_WAIT_MS = 2_000;

  private final Process process;
  private final boolean ownGroup;

  private ProcessTree(Process process, boolean ownGroup) {
    this.process = process;
    this.ownGroup = ownGroup;
  }

  /**
   * Starts {@code bash -c command} as described above; the builder's other settings are kept.
   *
   * @param prefix what runs bash, such as the sandbox's command line, or empty
   */
  static ProcessTree startShell(ProcessBuilder builder, List<String> prefix, String command) throws IOException {
    List<String> full = new ArrayList<>();
    if (SETSID != null) {
      full.add(SETSID.toString());
    }
    full.addAll(prefix);
    full.addAll(List.of(BASH == null ? "bash" : BASH.toString(), "-c", command));
    builder.command(full);
    return new ProcessTree(builder.start(), SETSID != null);
  }

  /**
   * Starts {@code command} (a program and its arguments, not a shell line) in a process group of
   * its own, as {@link #startShell} does; for long-lived children such as the Claude Code runtime's.
   */
  public static ProcessTree start(ProcessBuilder builder, List<String> command) throws IOException {
    List<String> full = new ArrayList<>();
    if (SETSID != null) {
      full.add(SETSID.toString());
    }
    full.addAll(command);
    builder.command(full);
    return new ProcessTree(builder.start(), SETSID != null);
  }

  public Process process() {
    return process;
  }

  /** Kills the shell, its process group, and every descendant alive now. */
  public void kill() {
    List<ProcessHandle> descendants = process.descendants().toList();
    killGroup();
    descendants.forEach(ProcessHandle::destroyForcibly);
    process.destroyForcibly();
  }

  /**
   * Kills what is left of the group after the shell exited: jobs it put in the background. (They
   * are no longer its descendants, so the group is the only way to find them.)
   */
  void killGroup() {
    if (!ownGroup) {
      return;
    }
    // bash's own kill takes a negative pid for a group on every platform; /bin/kill varies.
    ProcessBuilder killer = new ProcessBuilder(BASH == null ? "bash" : BASH.toString(), "-c",
        "kill -KILL -- -\"$1\" 2>/dev/null", "kill-group", Long.toString(process.pid()))
        .redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.DISCARD)
        .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
    try {
      Process kill = killer.start();
      if (!kill.waitFor(GROUP_KILL_WAIT_MS, TimeUnit.MILLISECONDS)) {
        kill.destroyForcibly();
        log.warn("killing process group {} took over {} ms; gave up", process.pid(), GROUP_KILL_WAIT_MS);
      }
    } catch (IOException e) {
      log.warn("could not kill process group {}: {}", process.pid(), e.toString());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static Path onPath(String program) {
    String path = System.getenv("PATH");
    for (String folder : (path == null ? ShellEnvironment.DEFAULT_PATH : path).split(File.pathSeparator)) {
      if (!folder.isEmpty()) {
        Path candidate = Path.of(folder, program);
        if (Files.isExecutable(candidate)) {
          return candidate;
        }
      }
    }
    return null;
  }
}
