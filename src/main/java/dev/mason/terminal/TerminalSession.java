package dev.mason.terminal;

import dev.mason.env.ShellEnvironment;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One terminal: a login shell on a PTY, the ring of its output, its readers and their flow control.
 *
 * <p>Threads: the platform thread "pty-reader-…" pumps the PTY into the ring and is the ring's only
 * writer; an {@link InputPump} writes input. Requests, WebSocket senders and the reaper read state
 * that is volatile or guarded by the ring's and the readers' own locks. No lock is shared between
 * sessions, so one flooding shell never delays another's keystrokes.
 */
final class TerminalSession {
  private static final Logger log = LoggerFactory.getLogger(TerminalSession.class);
  static final int READ_CHUNK_BYTES = 16 * 1024;
  /** How long the pump waits for output before it looks whether the session was closed. */
  static final int PUMP_WAIT_MILLIS = 250;
  static final Duration HANG_UP_GRACE = Duration.ofSeconds(2);
  private static final Duration EXIT_WAIT = Duration.ofSeconds(2);
  private static final Duration PUMP_JOIN = Duration.ofSeconds(1);

  private final String id;
  private final String label;
  private final Instant createdAt = Instant.now();
  private final OutputRing ring;
  private final SessionReaders readers;
  private final FlowGate gate;
  private final PtyShell shell;
  private final int floodNice;
  private final InputPump input;
  private final Thread pump;
  private final Runnable releaseSlot;
  /** The session's life: open, then closing and closed, each step taken once (a compare-and-set). */
  private final AtomicReference<TerminalState> state = new AtomicReference<>(TerminalState.OPEN);
  /** The shell's end, recorded once (by the pump or the close, whichever sees it first); null while it runs. */
  private final AtomicReference<Exit> exit = new AtomicReference<>();
  /** The hang-up runs once: at exit from the pump, or from {@link #close} while the shell runs. */
  private final AtomicBoolean hungUp = new AtomicBoolean();
  private final AtomicInteger warnings = new AtomicInteger();

  /** How the shell ended: its status (null when it could not be learned) and when. */
  private record Exit(Integer code, long atNanos) {}
  private volatile long lastPresenceNanos = System.nanoTime();
  private volatile Instant lastPresence = createdAt;
  /** When the idle reaper will close the session; null unless it has been warned since the last presence. */
  private volatile Instant closesAt;
  private volatile int cols;
  private volatile int rows;

  private TerminalSession(String id, String label, TerminalSettings settings, PtyShell shell, int cols, int rows, Runnable releaseSlot) {
    this.id = id;
    this.label = label;
    this.ring = new OutputRing(settings.ringBytes());
    this.readers = new SessionReaders(settings.readerLease().toNanos());
    // Three quarters of the ring plus one read always fit in it, so a live reader is never
    // overtaken. A poller confirms an answer only by asking past it, so it needs the room: with
    // half the ring as the high mark, a 100 ms poller was given a third less.
    this.gate = new FlowGate(settings.ringBytes() - settings.ringBytes() / 4, settings.ringBytes() / 2);
    this.shell = shell;
    this.floodNice = settings.floodNice();
    this.cols = cols;
    this.rows = rows;
    this.releaseSlot = releaseSlot;
    this.input = new InputPump(id, shell.input());
    this.pump = Thread.ofPlatform().daemon().name("pty-reader-" + id.substring(0, 8)).unstarted(this::pump);
  }

  /**
   * Starts a login shell for a new session.
   *
   * @param wired variables from {@link ShellWiring}, over the inherited environment
   * @param releaseSlot called once when the shell has ended, to free its place under the session limit
   *     and end what the wiring gave it
   */
  /**
   * @param directory where the shell starts
   * @param command typed into the shell as its first line (a CLI to start), or null
   */
  static TerminalSession start(String id, String label, TerminalSettings settings, Map<String, String> wired, Path directory,
      String command, int cols, int rows, Runnable releaseSlot) throws IOException {
    Map<String, String> env = new HashMap<>(ShellEnvironment.forShell(settings.shellEnvironment(), settings.home(), id));
    env.putAll(wired);
    LoginProfile.ensure(settings.home());
    PtyShell shell = PtyShell.start(env, directory, cols, rows);
    TerminalSession session = new TerminalSession(id, label, settings, shell, cols, rows, releaseSlot);
    session.pump.start();
    session.input.start();
    if (command != null) {
      // The PTY holds the line until bash reads it, after its profile: the CLI starts at the first prompt.
      session.write((command + "\n").getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }
    log.info("Terminal {} started: pid {}, label '{}'", id, shell.pid(), label);
    return session;
  }

  String id() {
    return id;
  }

  String label() {
    return label;
  }

  Instant createdAt() {
    return createdAt;
  }

  OutputRing ring() {
    return ring;
  }

  SessionReaders readers() {
    return readers;
  }

  boolean exited() {
    return exit.get() != null;
  }

  /** The shell's exit status once {@link #exited()}; null before, or when it could not be learned. */
  Integer exitCode() {
    Exit ended = exit.get();
    return ended == null ? null : ended.code();
  }

  boolean closed() {
    return state.get() != TerminalState.OPEN;
  }


  /** Queues input for the shell; answers 429 when the program has stopped reading it. */
  void write(byte[] data) {
    touch();
    input.offer(data);
  }

  void resize(int newCols, int newRows) {
    touch();
    cols = newCols;
    rows = newRows;
    if (exited() || closed()) {
      return;
    }
    try {
      shell.resize(newCols, newRows);
    } catch (RuntimeException e) {
      // The shell ended between the check and the ioctl; the size no longer matters.
      log.debug("Terminal {}: resize after the end: {}", id, e.toString());
    }
  }

  /** Someone is here: input, a heartbeat, a poll or an attached WebSocket. Output alone never calls this. */
  void touch() {
    lastPresenceNanos = System.nanoTime();
    lastPresence = Instant.now();
    closesAt = null;
  }

  long idleNanos(long now) {
    return now - lastPresenceNanos;
  }

  /**
   * The idle reaper's warning: a line in the output, so whoever attaches next reads it in the
   * replay, and a {@code timeout_warning} to attached clients.
   */
  void warn(Duration idle, Instant closingAt) {
    closesAt = closingAt;
    warnings.incrementAndGet();
    byte[] notice = ("\r\n[Mason] Nobody has used this terminal for " + Durations.spoken(idle) + "; it will close in "
        + Durations.spoken(Duration.between(Instant.now(), closingAt)) + " unless you type in it or keep it open.\r\n")
        .getBytes(StandardCharsets.UTF_8);
    ring.append(notice, 0, notice.length);
    readers.wakeAll();
  }

  /** When the idle reaper will close the session, or null when it has not warned since the last presence. */
  Instant closesAt() {
    return closesAt;
  }

  /** How many warnings were given: a WebSocket sender sends each one once. */
  int warnings() {
    return warnings.get();
  }

  long exitedNanosAgo(long now) {
    Exit ended = exit.get();
    return now - (ended == null ? 0 : ended.atNanos());
  }

  /** A reader moved: the paused pump may read again. */
  void readerAdvanced() {
    gate.readerAdvanced();
  }

  SessionStatus status() {
    long now = System.nanoTime();
    Instant warning = closesAt;
    boolean exited = exited();
    return new SessionStatus(id, label, createdAt, lastPresence, exited, exitCode(),
        exited ? null : shell.foregroundCommand(), Duration.ofNanos(idleNanos(now)).toSeconds(),
        exited ? null : shell.pid(), cols, rows, ring.end(), ring.retained(), ring.capacity(), ring.allocated(),
        readers.live(now), gate.paused(), gate.pauses(), warning != null,
        warning == null ? null : Math.max(0, Duration.between(Instant.now(), warning).toSeconds()));
  }

  /**
   * Ends the session: hangs the shell and all its processes up (SIGKILL after {@code grace}), closes
   * the PTY, and wakes the readers, who see it closed. Idempotent; bounded by about {@code grace} plus
   * two seconds.
   */
  void close(Duration grace) {
    if (!state.compareAndSet(TerminalState.OPEN, TerminalState.CLOSING)) {
      return;
    }
    gate.release();
    input.close();
    List<ProcessHandle> left = hungUp.compareAndSet(false, true)
        ? SessionProcesses.hangUp(shell.pid(), shell.alive(), grace)
        : List.of();
    try {
      // The pump sees the close within PUMP_WAIT_MILLIS and closes the PTY as it ends; longer only
      // when the shell had just exited and the pump is hanging up what it left.
      pump.join(grace.plus(PUMP_JOIN).plusSeconds(1));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    recordExit(shell.awaitExit(Duration.ZERO));
    readers.wakeAll();
    if (!left.isEmpty()) {
      log.warn("Terminal {}: processes {} survived SIGKILL", id, left.stream().map(ProcessHandle::pid).toList());
    }
    state.set(TerminalState.CLOSED);
    log.info("Terminal {} closed", id);
  }

  private long lag() {
    long end = ring.end();
    return end - readers.slowestPosition(end, System.nanoTime());
  }

  /** The PTY's reader, and the owner of its master side: it closes the PTY as it ends, so no read can race the close. */
  private void pump() {
    try {
      drain();
    } finally {
      shell.closeTerminal();
    }
  }

  private void drain() {
    ByteBuffer chunk = ByteBuffer.allocateDirect(READ_CHUNK_BYTES);
    PtyOutput output = shell.output();
    FloodPriority priority = new FloodPriority(id, shell.pid(), floodNice, System.nanoTime());
    try {
      while (!closed()) {
        boolean heldBack = gate.awaitCredit(this::lag);
        int n = output.read(chunk, PUMP_WAIT_MILLIS);
        if (n < 0) {
          break;
        }
        if (n > 0) {
          ring.append(chunk, n);
          readers.wakeAll();
        }
        priority.observe(n, heldBack || n == READ_CHUNK_BYTES, System.nanoTime());
      }
    } catch (RuntimeException e) {
      log.warn("Terminal {}: reading the PTY failed: {}", id, e.toString());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    if (closed()) {
      return;
    }
    // The shell exited (or closed its terminal). Its leftover background jobs go with it: no orphans.
    Integer code = shell.awaitExit(EXIT_WAIT);
    input.close();
    recordExit(code);
    log.info("Terminal {} exited with status {}", id, code);
    readers.wakeAll();
    if (hungUp.compareAndSet(false, true)) {
      SessionProcesses.hangUp(shell.pid(), shell.alive(), HANG_UP_GRACE);
    }
  }

  private void recordExit(Integer code) {
    if (exit.compareAndSet(null, new Exit(code, System.nanoTime()))) {
      releaseSlot.run();
    }
  }
}
