package dev.mason.agent.tool;

import dev.mason.env.ShellEnvironment;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Bash: runs a shell command in the project folder.
 *
 * <p>The command runs as {@code bash -c} in a process group of its own ({@link ProcessTree}), with
 * the project folder as working directory, no standard input, and an environment without Mason's
 * secrets ({@link ShellEnvironment}). Standard output and error are read together, in the order
 * written, and capped ({@link CappedOutput}). When the shell ends, its group is killed, so
 * background jobs do not outlive the call; on a timeout or a cancelled run the whole tree is
 * killed at once.
 *
 * <p>On the host ({@link BashShell.Host}) a shell can reach anything the server's user can, which
 * is acceptable only where Mason serves its own user. When Mason serves several users the command
 * runs in the bubblewrap sandbox ({@link BashSandbox}); where that cannot start, every command is
 * refused with the reason, never run unconfined.
 */
final class BashTool extends BuiltinTool {
  private static final Logger log = LoggerFactory.getLogger(BashTool.class);
  static final int DEFAULT_TIMEOUT_MS = 120_000;
  static final int MAX_TIMEOUT_MS = 600_000;
  static final int HEAD_CHARS = 10_000;
  static final int TAIL_CHARS = 20_000;
  /** How long output may keep coming after the process tree is gone. */
  private static final Duration OUTPUT_DRAIN = Duration.ofSeconds(2);
  private static final long KILL_WAIT_MS = 5_000;

  private final Supplier<Map<String, String>> environment;
  private final BashShell shell;

  BashTool(BashShell shell) {
    this(System::getenv, shell);
  }

  /** @param environment the variables to start from, before secrets are removed */
  BashTool(Supplier<Map<String, String>> environment, BashShell shell) {
    super("Bash", """
        Runs a bash command in the project folder (the working directory) and returns its \
        output, standard output and standard error interleaved, followed by the exit code.%s
        - The command may be several commands joined with && or ;. Quote paths that contain \
        spaces. Each call starts a new shell: cd and variables do not carry over to the next call.
        - timeout is in milliseconds: %d by default, at most %d. A command that runs longer is \
        stopped together with every process it started.
        - Commands run without a terminal and without input: use non-interactive flags (-y, \
        --no-pager). Processes left in the background (&) are stopped when the command ends.
        - Output beyond %d characters is cut from the middle; redirect long output to a file \
        and Grep or Read it.
        - Prefer Read, Edit, Write, Glob and Grep for files: they are faster and safer than \
        cat, sed, echo >, find and grep.""".formatted(where(shell), DEFAULT_TIMEOUT_MS, MAX_TIMEOUT_MS, HEAD_CHARS + TAIL_CHARS),
        InputSchema.object()
            .string("command", "The bash command to run.")
            .integer("timeout", "How long the command may run, in milliseconds: at most " + MAX_TIMEOUT_MS
                + ". Defaults to " + DEFAULT_TIMEOUT_MS + ".")
            .string("description", "What the command does, in five to ten words, e.g. \"Run the unit tests\".")
            .required("command"), WRITES);
    this.environment = environment;
    this.shell = shell;
  }

  private static String where(BashShell shell) {
    return switch (shell) {
      case BashShell.Sandboxed s -> "\n- It runs in a sandbox: only the project folder is writable (and /tmp, which is "
          + "emptied after each call), the system is read-only, and there is no network. Use the Databricks tools "
          + "for the workspace.";
      case BashShell.Unavailable u -> "\n- Bash is unavailable on this server; every call fails.";
      default -> "";
    };
  }

  @Override
  ToolResult run(ToolContext context, ToolInput input) throws Exception {
    String command = input.text("command");
    int timeoutMs = input.number("timeout", DEFAULT_TIMEOUT_MS, 1, MAX_TIMEOUT_MS);
    BashShell shell = this.shell.forCaller(context.caller());
    if (shell instanceof BashShell.Unavailable unavailable) {
      return ToolResult.error("Bash is off here: this server is shared, and the sandbox that keeps each user's "
          + "commands apart cannot start: " + unavailable.problem() + ".");
    }
    if (context.cancellation().isCancelled()) {
      return ToolResult.error("The run was cancelled; the command was not started.");
    }
    Path folder = PathGuard.realFolder(context.projectFolder());
    ProcessBuilder builder = new ProcessBuilder()
        .directory(folder.toFile())
        .redirectErrorStream(true)
        .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
    builder.environment().clear();
    Map<String, String> scrubbed = ShellEnvironment.forCommand(environment.get());
    List<String> prefix = List.of();
    if (shell instanceof BashShell.Sandboxed sandboxed) {
      builder.environment().putAll(BashSandbox.environment(scrubbed));
      prefix = sandboxed.sandbox().command(folder);
    } else {
      builder.environment().putAll(scrubbed);
    }

    ProcessTree tree = ProcessTree.startShell(builder, prefix, command);
    Process process = tree.process();
    log.debug("execution {}: bash pid {} started: {}", context.executionId(), process.pid(), input.text("description", ""));
    CappedOutput output = new CappedOutput(HEAD_CHARS, TAIL_CHARS);
    Thread reader = Thread.ofPlatform().daemon().name("bash-output-" + process.pid())
        .start(() -> pump(process.getInputStream(), output));

    AtomicBoolean finished = new AtomicBoolean();
    AtomicBoolean cancelled = new AtomicBoolean();
    context.cancellation().onCancel(() -> {
      if (!finished.get()) {
        cancelled.set(true);
        tree.kill();
      }
    });
    boolean exited;
    try {
      exited = process.waitFor(timeoutMs, TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      finished.set(true);
      tree.kill();
      Thread.currentThread().interrupt();
      return ToolResult.error(withOutput(output, "The command was interrupted and stopped, with every process it started."));
    }
    if (exited) {
      tree.killGroup();
    } else {
      tree.kill();
    }
    boolean stopped = process.waitFor(KILL_WAIT_MS, TimeUnit.MILLISECONDS);
    finished.set(true);
    boolean drained = reader.join(OUTPUT_DRAIN);
    String incomplete = drained ? "" : "\n(The output may be incomplete: a process that left the command's process group still holds it open.)";

    if (cancelled.get()) {
      return ToolResult.error(withOutput(output, "The run was cancelled: the command was stopped, with every process it started." + incomplete));
    }
    if (!exited) {
      return ToolResult.error(withOutput(output, "The command timed out after " + timeoutMs
          + " ms and was stopped, with every process it started." + incomplete));
    }
    if (!stopped) {
      return ToolResult.error(withOutput(output, "The command did not exit." + incomplete));
    }
    int code = process.exitValue();
    return new ToolResult(withOutput(output, "Exit code: " + code + incomplete), code != 0);
  }

  private static String withOutput(CappedOutput output, String status) {
    String text = output.render();
    return (text.isEmpty() ? "(no output)" : text.stripTrailing()) + "\n\n" + status;
  }

  private static void pump(InputStream in, CappedOutput output) {
    char[] buffer = new char[8192];
    try (Reader reader = new InputStreamReader(in, StandardCharsets.UTF_8)) {
      int read;
      while ((read = reader.read(buffer)) >= 0) {
        output.append(buffer, 0, read);
      }
    } catch (IOException e) {
      // The stream was closed under us: the process is gone and its output with it.
    }
  }
}
