package dev.mason.terminal;

import com.pty4j.PtyProcess;
import com.pty4j.PtyProcessBuilder;
import com.pty4j.WinSize;
import com.pty4j.unix.UnixPtyProcess;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A login bash on a pseudo-terminal, through pty4j. Its reads and writes are native calls that
 * block: they belong on platform threads, since a virtual thread blocked in native code pins its
 * carrier. {@link #resize} is a non-blocking ioctl and may be called from any thread.
 */
final class PtyShell {
  private static final List<String> BASH_LOCATIONS = List.of("/bin/bash", "/usr/bin/bash", "/usr/local/bin/bash", "/opt/homebrew/bin/bash");

  private final PtyProcess process;

  private PtyShell(PtyProcess process) {
    this.process = process;
  }

  /**
   * Starts {@code bash -l} in {@code directory} (created when missing) with {@code env}. When
   * {@code env} names a folder in {@link ShellWiring#PATH_FIRST}, the login profile runs first and an
   * interactive bash then takes over with that folder first on PATH: a login bash's
   * {@code /etc/profile} sets PATH from scratch, so a PATH given in the environment would not last
   * to the prompt, and the owner's own profile files are not Mason's to edit.
   */
  static PtyShell start(Map<String, String> env, Path directory, int cols, int rows) throws IOException {
    Files.createDirectories(directory);
    String bash = bash();
    String[] command = env.containsKey(ShellWiring.PATH_FIRST)
        ? new String[] {bash, "-l", "-c", "PATH=\"$" + ShellWiring.PATH_FIRST + ":$PATH\"; export PATH; exec " + bash + " -i"}
        : new String[] {bash, "-l"};
    PtyProcess process = new PtyProcessBuilder(command)
        .setEnvironment(env)
        .setDirectory(directory.toString())
        .setInitialColumns(cols)
        .setInitialRows(rows)
        .start();
    return new PtyShell(process);
  }

  long pid() {
    return process.pid();
  }

  /** The shell's output; read by one thread, and only until {@link #closeTerminal()}. */
  PtyOutput output() {
    return new PtyOutput(((UnixPtyProcess) process).getPty().getMasterFD());
  }

  OutputStream input() {
    return process.getOutputStream();
  }

  void resize(int cols, int rows) {
    process.setWinSize(new WinSize(cols, rows));
  }

  boolean alive() {
    return process.isAlive();
  }

  /** The shell's exit status, waiting up to {@code limit} for it; null when it is still running. */
  Integer awaitExit(Duration limit) {
    try {
      return process.waitFor(limit.toMillis(), TimeUnit.MILLISECONDS) ? process.exitValue() : null;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return null;
    }
  }

  /** The name of the program the user is running: the shell's newest child, else the shell. */
  String foregroundCommand() {
    return ProcessHandle.of(process.pid())
        .flatMap(shell -> shell.children()
            .max(Comparator.comparing(p -> p.info().startInstant().orElse(java.time.Instant.EPOCH))))
        .flatMap(child -> child.info().command())
        .map(command -> Path.of(command).getFileName().toString())
        .orElse("bash");
  }

  /** Closes the PTY's master side. Idempotent; call it only once nothing reads {@link #output()} any more. */
  void closeTerminal() {
    try {
      process.getOutputStream().close();
    } catch (IOException ignored) {
      // already closed
    }
    try {
      process.getInputStream().close();
    } catch (IOException ignored) {
      // already closed
    }
  }

  private static String bash() {
    return BASH_LOCATIONS.stream().filter(p -> Files.isExecutable(Path.of(p))).findFirst().orElse("bash");
  }
}
