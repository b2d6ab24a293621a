package dev.mason.agent.tool;

import dev.mason.env.ShellEnvironment;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

/**
 * The bubblewrap ({@code bwrap}) sandbox the agent's Bash runs in when Mason serves several
 * users: the mechanism Claude Code's own Linux sandbox uses.
 *
 * <p>A command in it runs with:
 * <ul>
 *   <li>new PID, mount, IPC, UTS, cgroup and network namespaces ({@code --unshare-all}), so it
 *       sees only its own processes (not Mason, not another user's command) and cannot signal
 *       anything outside;
 *   <li>a root of its own: the system folders ({@link #SYSTEM_FOLDERS}) read-only, a private
 *       {@code /tmp}, a fresh {@code /proc} and {@code /dev}, and the run's project folder, the
 *       only writable place. Mason's home, the other project folders and everything else on the
 *       machine are simply absent; any of them lying inside a system folder is covered by an
 *       empty one;
 *   <li>no capabilities, and a new session (no terminal to push input into);
 *   <li>an environment of a few harmless variables ({@link #environment}), never Mason's;
 *   <li>no network at all: only its own loopback. A proxy would have to decide which hosts a
 *       user's command may reach and would still be a way out of the machine for another user's
 *       data; with no network, Mason's port, the database and the workspace are all out of reach.
 *       The agent reaches the workspace through the Databricks tools, which run in Mason as the
 *       user. Package installs from the internet therefore fail in the sandbox.
 * </ul>
 *
 * <p>Immutable and thread-safe.
 */
public final class BashSandbox {
  static final Path BWRAP = Path.of("/usr/bin/bwrap");
  /** Read-only in the sandbox when present: the programs, their libraries and the system's configuration. */
  static final List<Path> SYSTEM_FOLDERS = List.of(
      Path.of("/usr"), Path.of("/bin"), Path.of("/sbin"), Path.of("/lib"), Path.of("/lib32"),
      Path.of("/lib64"), Path.of("/libx32"), Path.of("/etc"), Path.of("/opt"));
  private static final long PROBE_SECONDS = 10;
  /** What the sandbox's processes may inherit from Mason's environment; anything else is dropped. */
  private static final List<String> INHERITED = List.of("PATH", "LANG", "LANGUAGE", "TZ");

  private final Path bwrap;
  private final List<Path> hidden;

  private BashSandbox(Path bwrap, List<Path> hidden) {
    this.bwrap = bwrap;
    this.hidden = hidden.stream().map(p -> p.toAbsolutePath().normalize()).toList();
  }

  /**
   * Checks that a sandbox starts here, by running {@code true} in one.
   *
   * @param hidden folders that must not be seen even if they lie inside a system folder: Mason's
   *     home, the project folders' parent, the terminals' home
   * @return the sandbox, or why it cannot start and what to install
   */
  public static Probe probe(List<Path> hidden) {
    return probe(BWRAP, hidden);
  }

  /** {@link #probe(List)} with {@code bwrap} at another place. */
  static Probe probe(Path bwrap, List<Path> hidden) {
    if (!Files.isExecutable(bwrap)) {
      return new Probe(null, "bubblewrap is not installed (" + bwrap + " is missing): install it "
          + "(Debian and Ubuntu: apt-get install bubblewrap), or set MASON_BASH=host for a Mason only you use");
    }
    BashSandbox sandbox = new BashSandbox(bwrap, hidden);
    try {
      Path scratch = Files.createTempDirectory("mason-sandbox-probe-");
      try {
        List<String> command = new ArrayList<>(sandbox.command(scratch.toRealPath()));
        command.add("/bin/true");
        Process process = new ProcessBuilder(command)
            .redirectErrorStream(true)
            .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
            .start();
        if (!process.waitFor(PROBE_SECONDS, TimeUnit.SECONDS)) {
          process.destroyForcibly();
          return new Probe(null, "bwrap did not start a sandbox within " + PROBE_SECONDS + " s");
        }
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        if (process.exitValue() != 0) {
          return new Probe(null, "bwrap cannot start a sandbox here (exit " + process.exitValue() + ": " + output
              + "); it needs user namespaces (in a container: allow them, e.g. Docker's --security-opt seccomp=unconfined "
              + "or a host with unprivileged user namespaces enabled), or set MASON_BASH=host for a Mason only you use");
        }
      } finally {
        Files.deleteIfExists(scratch);
      }
    } catch (IOException e) {
      return new Probe(null, "bwrap cannot be started: " + e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new Probe(null, "interrupted while checking the sandbox");
    }
    return new Probe(sandbox, null);
  }

  /** The outcome of {@link #probe}: a sandbox, or the reason there is none. */
  public record Probe(BashSandbox sandbox, String problem) {}

  /**
   * What a program other than a Bash command needs in the sandbox (the Claude Code runtime's CLI):
   * the network, to reach Mason's gateway and MCP server on loopback; read-only folders and files
   * (its installation, its MCP config); writable folders (its transcripts); and empty private ones
   * (its home and config folder, so nothing another user's process left there is seen).
   */
  public record Extra(boolean network, List<Path> readOnly, List<Path> empty, List<Path> writable) {
    static final Extra NONE = new Extra(false, List.of(), List.of(), List.of());
  }

  /**
   * The command line up to the program to run: {@code bwrap} with its options and {@code --}.
   *
   * @param projectFolder the real path of the run's project folder, writable and the working directory
   */
  List<String> command(Path projectFolder) {
    return command(projectFolder, Extra.NONE);
  }

  /** {@link #command(Path)} with what {@code extra} adds, bound in its order after the system folders. */
  public List<String> command(Path projectFolder, Extra extra) {
    List<String> args = new ArrayList<>(List.of(bwrap.toString(),
        "--unshare-all", "--die-with-parent", "--new-session", "--cap-drop", "ALL",
        "--hostname", "mason-sandbox"));
    if (extra.network()) {
      args.add("--share-net");
    }
    List<Path> bound = new ArrayList<>();
    for (Path folder : SYSTEM_FOLDERS) {
      if (Files.isSymbolicLink(folder)) {
        // /bin -> usr/bin on merged-/usr systems: the same link in the sandbox.
        try {
          args.addAll(List.of("--symlink", Files.readSymbolicLink(folder).toString(), folder.toString()));
        } catch (IOException e) {
          // Unreadable link: leave the folder out.
        }
      } else if (Files.isDirectory(folder)) {
        args.addAll(List.of("--ro-bind", folder.toString(), folder.toString()));
        bound.add(folder);
      }
    }
    for (Path folder : hidden) {
      if (bound.stream().anyMatch(folder::startsWith) && Files.isDirectory(folder)) {
        args.addAll(List.of("--tmpfs", folder.toString()));
      }
    }
    // Before the extra binds: a file of theirs that lies under /tmp must not be covered by the private /tmp.
    args.addAll(List.of("--proc", "/proc", "--dev", "/dev", "--tmpfs", "/tmp"));
    for (Path path : extra.readOnly()) {
      args.addAll(List.of("--ro-bind", path.toString(), path.toString()));
    }
    for (Path folder : extra.empty()) {
      args.addAll(List.of("--tmpfs", folder.toString()));
    }
    for (Path folder : extra.writable()) {
      args.addAll(List.of("--bind", folder.toString(), folder.toString()));
    }
    args.addAll(List.of("--bind", projectFolder.toString(), projectFolder.toString(),
        "--chdir", projectFolder.toString(),
        "--"));
    return args;
  }

  /** The sandbox's environment: a few variables from {@code source}, home and temporary files in its private /tmp. */
  static Map<String, String> environment(Map<String, String> source) {
    Map<String, String> env = new TreeMap<>();
    source.forEach((name, value) -> {
      if (INHERITED.contains(name) || name.startsWith("LC_")) {
        env.put(name, value);
      }
    });
    env.putIfAbsent("PATH", ShellEnvironment.DEFAULT_PATH);
    env.putIfAbsent("LANG", "C.UTF-8");
    env.put("HOME", "/tmp");
    env.put("TMPDIR", "/tmp");
    env.put("GIT_TERMINAL_PROMPT", "0");
    return env;
  }
}
