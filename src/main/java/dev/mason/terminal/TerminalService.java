package dev.mason.terminal;

import dev.mason.common.Refusal;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The owner's terminals: starts sessions under the concurrency limit, finds and closes them, runs
 * the {@link TerminalReaper}, and on shutdown tells every client, hangs every shell up and leaves
 * no process behind.
 *
 * <p>Thread-safe: sessions live in a concurrent map; the limit is a semaphore whose permit a
 * session returns when its shell ends. Nothing here is on the output path.
 */
public final class TerminalService implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(TerminalService.class);
  private static final Duration SHUTDOWN_NOTICE = Duration.ofMillis(500);
  private static final Duration SHUTDOWN_LIMIT = TerminalSession.HANG_UP_GRACE.plusSeconds(3);

  private final TerminalSettings settings;
  private final ConcurrentHashMap<String, TerminalSession> sessions = new ConcurrentHashMap<>();
  private final Set<TerminalSocket> sockets = ConcurrentHashMap.newKeySet();
  private final Semaphore slots;
  private final UploadStore uploads;
  private final TerminalReaper reaper;
  private final AtomicBoolean shuttingDown = new AtomicBoolean();
  private final ShellWiring wiring;
  private final CliLauncher launcher;

  /** @param wiring what each new shell gets from the model gateway; {@link ShellWiring#NONE} for nothing */
  public TerminalService(TerminalSettings settings, ShellWiring wiring) {
    this(settings, wiring, CliLauncher.NONE);
  }

  /** @param launcher the commands that start coding-agent CLIs in new shells */
  public TerminalService(TerminalSettings settings, ShellWiring wiring, CliLauncher launcher) {
    this.settings = settings;
    this.wiring = wiring;
    this.launcher = launcher;
    this.slots = new Semaphore(settings.maxSessions());
    this.uploads = new UploadStore(settings.uploadDirectory());
    this.reaper = new TerminalReaper(this, settings);
  }

  /** Starts the idle reaper; sessions can be created before, but nothing is reaped until then. */
  public void start() {
    reaper.start();
  }

  public TerminalSettings settings() {
    return settings;
  }

  boolean shuttingDown() {
    return shuttingDown.get();
  }

  UploadStore uploads() {
    return uploads;
  }

  /** Starts a login shell on a {@code cols} × {@code rows} terminal; 429 at the limit, 503 while shutting down. */
  TerminalSession create(String label, int cols, int rows) {
    return create(label, cols, rows, null, null);
  }

  /**
   * As {@link #create(String, int, int)}, in {@code directory} (relative to the projects folder;
   * null for the folder itself) and starting {@code cli} there when one is named.
   */
  TerminalSession create(String label, int cols, int rows, String cli, String directory) {
    java.nio.file.Path folder = projectFolder(directory);
    String command = cli == null ? null : launcher.command(cli);
    if (shuttingDown.get()) {
      throw new Refusal(503, "Mason is shutting down; no new terminals", null);
    }
    if (!slots.tryAcquire()) {
      throw new Refusal(429, "Maximum " + settings.maxSessions()
          + " concurrent sessions reached. Close an existing session first.", null);
    }
    String id = UUID.randomUUID().toString();
    TerminalSession session;
    try {
      Map<String, String> wired = wiring.open(id);
      session = TerminalSession.start(id, label, settings, wired, folder, command, cols, rows, () -> {
        wiring.close(id);
        slots.release();
      });
    } catch (IOException | RuntimeException e) {
      wiring.close(id);
      slots.release();
      log.warn("Cannot start a shell for a new terminal", e);
      throw new Refusal(500, "cannot start a shell: " + (e instanceof IOException io ? Refusal.ioReason(io)
          : "the terminal could not be created; Mason's log has the details"), null);
    }
    sessions.put(id, session);
    if (shuttingDown.get()) {
      // Shutdown began while the shell started and may have missed it.
      close(id);
      throw new Refusal(503, "Mason is shutting down; no new terminals", null);
    }
    return session;
  }

  /** The folder a new shell starts in: {@code directory} under the projects folder, which must exist. */
  private java.nio.file.Path projectFolder(String directory) {
    java.nio.file.Path root = settings.workingDirectory();
    if (directory == null) {
      return root;
    }
    java.nio.file.Path folder = root.resolve(directory).normalize();
    if (!folder.startsWith(root)) {
      throw Refusal.badRequest("directory", "directory must be inside the projects folder " + root);
    }
    if (!java.nio.file.Files.isDirectory(folder)) {
      throw Refusal.badRequest("directory", "no folder '" + directory + "' in the projects folder " + root);
    }
    return folder;
  }

  Optional<TerminalSession> find(String id) {
    return id == null ? Optional.empty() : Optional.ofNullable(sessions.get(id));
  }

  /** The session, or 404 {@code Session not found}. */
  TerminalSession get(String id) {
    return find(id).orElseThrow(() -> Refusal.notFound("Session"));
  }

  /** Every session, oldest first, exited ones included until the reaper forgets them. */
  List<TerminalSession> list() {
    List<TerminalSession> all = new ArrayList<>(sessions.values());
    all.sort(Comparator.comparing(TerminalSession::createdAt));
    return all;
  }

  /** Closes and forgets a session; false when there is none. Blocks up to the hang-up grace. */
  boolean close(String id) {
    TerminalSession session = sessions.remove(id);
    if (session == null) {
      return false;
    }
    session.close(TerminalSession.HANG_UP_GRACE);
    return true;
  }

  void register(TerminalSocket socket) {
    sockets.add(socket);
  }

  void unregister(TerminalSocket socket) {
    sockets.remove(socket);
  }

  /**
   * Shutdown: {@code shutting_down} to every WebSocket client, then every session hung up in
   * parallel (SIGHUP, then SIGKILL after the grace), PTYs closed. Bounded; an expired limit is logged.
   */
  @Override
  public void close() {
    if (!shuttingDown.compareAndSet(false, true)) {
      return;
    }
    reaper.close();
    long noticeDeadline = System.nanoTime() + SHUTDOWN_NOTICE.toNanos();
    sockets.forEach(TerminalSocket::announceShutdown);
    sockets.forEach(socket -> socket.awaitNoticesSent(noticeDeadline));
    List<Thread> closers = new ArrayList<>();
    for (String id : List.copyOf(sessions.keySet())) {
      closers.add(Thread.ofVirtual().name("terminal-close-" + id.substring(0, 8)).start(() -> close(id)));
    }
    long deadline = System.nanoTime() + SHUTDOWN_LIMIT.toNanos();
    for (Thread closer : closers) {
      try {
        closer.join(Duration.ofNanos(Math.max(1, deadline - System.nanoTime())));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    }
    long unfinished = closers.stream().filter(Thread::isAlive).count();
    if (unfinished > 0) {
      log.warn("Terminal shutdown: {} of {} sessions still closing after {} s", unfinished, closers.size(), SHUTDOWN_LIMIT.toSeconds());
    } else if (!closers.isEmpty()) {
      log.info("Terminal shutdown: {} sessions closed", closers.size());
    }
  }
}
