package dev.mason.terminal;

import com.pty4j.unix.PtyHelpers;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The processes of one terminal, and their hang-up. A shell started on a PTY leads its own Unix
 * session (its pid is the session id): its jobs run in process groups of their own, and a
 * background job outlives the shell, reparented to init, so neither the shell's process group nor
 * its descendants alone find them all. On Linux the session is read from {@code /proc}; elsewhere
 * the shell's descendants, while it lives, are the best available.
 */
final class SessionProcesses {
  private static final Logger log = LoggerFactory.getLogger(SessionProcesses.class);
  private static final Path PROC = Path.of("/proc");
  private static final long POLL_MILLIS = 20;
  private static final Duration KILL_WAIT = Duration.ofSeconds(1);

  private SessionProcesses() {}

  /**
   * Every live process of the session led by {@code shellPid}.
   *
   * @param shellAlive whether the shell still runs (is not yet reaped): only then is its pid
   *     certainly still the shell's, so only then are it and its descendants included
   */
  static List<ProcessHandle> of(long shellPid, boolean shellAlive) {
    Map<Long, ProcessHandle> found = new LinkedHashMap<>();
    if (shellAlive) {
      ProcessHandle.of(shellPid).ifPresent(shell -> {
        found.put(shellPid, shell);
        shell.descendants().forEach(p -> found.put(p.pid(), p));
      });
    }
    if (Files.isDirectory(PROC)) {
      try (Stream<Path> entries = Files.list(PROC)) {
        entries.map(p -> p.getFileName().toString())
            .filter(name -> name.chars().allMatch(Character::isDigit))
            .map(Long::parseLong)
            .filter(pid -> !found.containsKey(pid) && sessionOf(pid) == shellPid)
            .forEach(pid -> ProcessHandle.of(pid).ifPresent(p -> found.put(pid, p)));
      } catch (IOException e) {
        log.debug("Cannot list /proc: {}", e.toString());
      }
    }
    return new ArrayList<>(found.values());
  }

  /**
   * Hangs the session up as a terminal would, then makes sure: SIGHUP to the shell's process group
   * and to every member, up to {@code grace} for them to exit, then SIGKILL to whoever is left.
   *
   * <p>Call it while the shell runs, or right after it exited: a session id that has no process
   * left can be given to a new session, and a late call could then hit strangers.
   *
   * @param shellAlive whether the shell is still running (not yet reaped), so that its pid is
   *     certainly still its process group's id and not some other program's
   * @return the processes still alive afterwards (empty unless something is stuck in the kernel)
   */
  static List<ProcessHandle> hangUp(long shellPid, boolean shellAlive, Duration grace) {
    List<ProcessHandle> members = of(shellPid, shellAlive);
    if (shellAlive) {
      PtyHelpers.signal((int) -shellPid, PtyHelpers.SIGHUP);
    }
    for (ProcessHandle member : members) {
      PtyHelpers.signal((int) member.pid(), PtyHelpers.SIGHUP);
    }
    awaitExit(members, grace);
    List<ProcessHandle> survivors = new ArrayList<>(members.stream().filter(SessionProcesses::running).toList());
    for (ProcessHandle member : of(shellPid, false)) {
      if (!survivors.contains(member)) {
        survivors.add(member);
      }
    }
    if (survivors.isEmpty()) {
      return List.of();
    }
    survivors.forEach(ProcessHandle::destroyForcibly);
    awaitExit(survivors, KILL_WAIT);
    return survivors.stream().filter(SessionProcesses::running).toList();
  }

  /**
   * Alive and not a zombie. An orphaned job that died waits for init to reap it, which can take
   * a while in a container, and {@link ProcessHandle#isAlive()} counts it alive until then.
   */
  static boolean running(ProcessHandle process) {
    if (!process.isAlive()) {
      return false;
    }
    try {
      String stat = Files.readString(PROC.resolve(Long.toString(process.pid())).resolve("stat"));
      return stat.charAt(stat.lastIndexOf(')') + 2) != 'Z';
    } catch (IOException | RuntimeException e) {
      return process.isAlive();
    }
  }

  private static void awaitExit(List<ProcessHandle> processes, Duration limit) {
    long deadline = System.nanoTime() + limit.toNanos();
    while (processes.stream().anyMatch(SessionProcesses::running) && System.nanoTime() < deadline) {
      try {
        Thread.sleep(POLL_MILLIS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  /** The session id in {@code /proc/<pid>/stat}, or -1. Fields after the command's closing parenthesis: state, ppid, pgrp, session. */
  private static long sessionOf(long pid) {
    try {
      String stat = Files.readString(PROC.resolve(Long.toString(pid)).resolve("stat"));
      String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
      return Long.parseLong(fields[3]);
    } catch (IOException | RuntimeException e) {
      return -1;
    }
  }
}
