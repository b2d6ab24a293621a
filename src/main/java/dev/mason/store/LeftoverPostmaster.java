package dev.mason.store;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * What the {@code postmaster.pid} in a data folder says about a server left behind. A server that
 * was killed leaves the file, and its pid is later reused by some other process; stopping "the
 * server" with {@code pg_ctl stop} would then signal that stranger. So the pid counts as this
 * folder's postmaster only when the process is a {@code postgres} whose command line names this
 * data folder, and it started no later than the file was last written (the postmaster writes it
 * after it starts; a process that reused the pid started after the server died).
 */
final class LeftoverPostmaster {
  /**
   * The process start time is known to about a second (the kernel's boot time is whole seconds);
   * a stranger reusing the pid starts after the server died, which is later than the file's last
   * write by far more than that.
   */
  private static final Duration CLOCK_SLACK = Duration.ofSeconds(2);

  /** What the pid file says. */
  sealed interface Finding {}

  /** No pid file: nothing was left behind. */
  record NoPidFile() implements Finding {}

  /** This folder's postmaster is running, as pid {@code pid}: stop it before starting. */
  record Running(long pid) implements Finding {}

  /**
   * The pid is not running: PostgreSQL itself takes over such a file on start, after checking
   * that no process of the old server still uses its shared memory, so it is left alone.
   */
  record DeadPid(long pid) implements Finding {}

  /**
   * The file names a live process that is not this folder's postmaster; PostgreSQL would refuse
   * to start beside it, so the file is removed.
   */
  record Stale(String reason) implements Finding {}

  private LeftoverPostmaster() {}

  static Finding inspect(Path dataDir) throws IOException {
    Path pidFile = dataDir.resolve("postmaster.pid");
    List<String> lines;
    Instant written;
    try {
      lines = Files.readAllLines(pidFile, StandardCharsets.UTF_8);
      written = Files.getLastModifiedTime(pidFile).toInstant();
    } catch (NoSuchFileException e) {
      return new NoPidFile();
    }
    long pid;
    try {
      pid = Long.parseLong(lines.isEmpty() ? "" : lines.getFirst().strip());
    } catch (NumberFormatException e) {
      return new Stale("its first line is not a pid");
    }
    if (pid <= 0) {
      return new Stale("it names pid " + pid);
    }
    Optional<ProcessHandle> process = ProcessHandle.of(pid).filter(ProcessHandle::isAlive);
    if (process.isEmpty()) {
      return new DeadPid(pid);
    }
    List<String> arguments = commandLine(pid, process.get());
    if (arguments.isEmpty()) {
      throw new IOException("postmaster.pid names pid " + pid + ", which is running but whose command line cannot be read, so "
          + "Mason cannot tell whether it is the PostgreSQL of " + dataDir + "; stop that process, or remove the file if it is not");
    }
    if (!isPostgres(arguments.getFirst()) || !namesFolder(arguments, dataDir)) {
      return new Stale("pid " + pid + " is now another program (" + Path.of(arguments.getFirst()).getFileName() + ")");
    }
    Optional<Instant> started = process.get().info().startInstant();
    if (started.isPresent() && started.get().isAfter(written.plus(CLOCK_SLACK))) {
      return new Stale("pid " + pid + " started at " + started.get() + ", after the file was written at " + written);
    }
    return new Running(pid);
  }

  /** The process's arguments, program first; empty when they cannot be read. */
  private static List<String> commandLine(long pid, ProcessHandle process) {
    Path proc = Path.of("/proc", Long.toString(pid), "cmdline");
    try {
      if (Files.exists(proc)) {
        String raw = new String(Files.readAllBytes(proc), StandardCharsets.UTF_8);
        return raw.isEmpty() ? List.of() : Arrays.asList(raw.split("\0"));
      }
    } catch (IOException e) {
      return List.of();
    }
    // Not Linux: the JDK reads the command line from the system (macOS: sysctl).
    ProcessHandle.Info info = process.info();
    if (info.command().isEmpty()) {
      return List.of();
    }
    List<String> arguments = new ArrayList<>(List.of(info.command().get()));
    info.arguments().ifPresent(more -> arguments.addAll(List.of(more)));
    return arguments;
  }

  private static boolean isPostgres(String program) {
    String name = Path.of(program).getFileName().toString();
    return name.equals("postgres") || name.equals("postmaster");
  }

  /** Whether {@code -D} names this data folder (by the path Mason gives pg_ctl, or its real path). */
  private static boolean namesFolder(List<String> arguments, Path dataDir) {
    for (int i = 0; i < arguments.size() - 1; i++) {
      if (arguments.get(i).equals("-D") && sameFolder(Path.of(arguments.get(i + 1)), dataDir)) {
        return true;
      }
    }
    return false;
  }

  private static boolean sameFolder(Path named, Path dataDir) {
    if (named.toAbsolutePath().normalize().equals(dataDir.toAbsolutePath().normalize())) {
      return true;
    }
    try {
      return Files.isSameFile(named, dataDir);
    } catch (IOException e) {
      return false;
    }
  }
}
