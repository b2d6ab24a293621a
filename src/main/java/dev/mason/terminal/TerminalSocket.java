package dev.mason.terminal;

import dev.mason.common.Refusal;
import dev.mason.terminal.ClientMessage.Ack;
import dev.mason.terminal.ClientMessage.Heartbeat;
import dev.mason.terminal.ClientMessage.Input;
import dev.mason.terminal.ClientMessage.Join;
import dev.mason.terminal.ClientMessage.Leave;
import dev.mason.terminal.ClientMessage.Resize;
import dev.mason.terminal.FrameSender.SendFailure;
import dev.mason.terminal.ServerMessage.Failed;
import dev.mason.terminal.ServerMessage.Joined;
import dev.mason.terminal.ServerMessage.Left;
import dev.mason.terminal.ServerMessage.ShuttingDown;
import dev.mason.web.ApiError;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.eclipse.jetty.websocket.api.Session;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One WebSocket on {@code /ws/terminal}, attached to at most one session at a time. Text frames
 * carry JSON control messages ({@link ClientMessage}, {@link ServerMessage}); binary frames carry
 * raw output to the client and raw input from it.
 *
 * <p>Threads: Jetty delivers frames on its threads. Input, resize, heartbeat and ack are applied
 * there at once, so keystrokes never wait behind output. Everything sent leaves from this
 * connection's virtual thread "terminal-ws-N", in order and one frame at a time, each awaited:
 * a client that reads slowly holds back only its own reader position and, through flow control,
 * its own shell. Joins and leaves go to that thread through {@link #commands}, so a {@code joined}
 * always precedes the session's output and never interleaves with the previous session's;
 * new output and state changes reach it through {@link #wake()}.
 */
final class TerminalSocket {
  private static final Logger log = LoggerFactory.getLogger(TerminalSocket.class);
  private static final long IDLE_WAIT_MILLIS = 1_000;
  private static final AtomicLong CONNECTIONS = new AtomicLong();

  private final FrameSender out;
  private final TerminalService service;
  private final String name;
  private final Thread sender;
  private final ConcurrentLinkedQueue<ClientMessage> commands = new ConcurrentLinkedQueue<>();
  private final ConcurrentLinkedQueue<ServerMessage> notices = new ConcurrentLinkedQueue<>();
  private final AtomicInteger noticesInFlight = new AtomicInteger();
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition signal = lock.newCondition();
  /** Guarded by {@link #lock}: set by {@link #wake()}, cleared by the sender when it looks. */
  private boolean signalled;
  private volatile boolean open = true;
  /** The session input goes to: set on Jetty's thread as soon as a join is accepted. */
  private volatile TerminalSession target;
  /** Written by the sender only. */
  private volatile SocketAttachment attachment;

  TerminalSocket(Session jetty, TerminalService service) {
    this.out = new FrameSender(jetty);
    this.service = service;
    long number = CONNECTIONS.incrementAndGet();
    // '#' is outside the reader ids clients may choose, so a connection's own reader never collides with one.
    this.name = "ws#" + number;
    this.sender = Thread.ofVirtual().name("terminal-ws-" + number).unstarted(this::run);
  }

  void start() {
    service.register(this);
    sender.start();
  }

  void onText(String text) {
    TerminalSession session = target;
    try {
      switch (ClientMessage.parse(text)) {
        case Join join -> acceptJoin(join);
        case Leave leave -> {
          target = null;
          command(leave);
        }
        case Input input -> joined().write(input.data().getBytes(StandardCharsets.UTF_8));
        case Resize resize -> joined().resize(resize.cols(), resize.rows());
        case Heartbeat heartbeat -> heartbeat();
        case Ack ack -> acknowledge(ack.offset());
      }
    } catch (Refusal e) {
      notify(new Failed(e.getMessage(), e.field(), session == null ? null : session.id()));
    }
  }

  void onBinary(ByteBuffer data) {
    byte[] bytes = new byte[data.remaining()];
    data.get(bytes);
    try {
      joined().write(bytes);
    } catch (Refusal e) {
      notify(new Failed(e.getMessage(), e.field(), null));
    }
  }

  void onClose() {
    open = false;
    target = null;
    wake();
  }

  /** Queues {@code shutting_down}; it goes out before any further output. */
  void announceShutdown() {
    notify(new ShuttingDown());
  }

  /** Waits until queued notices have been written, the connection closed, or the deadline ({@link System#nanoTime()}) passed. */
  void awaitNoticesSent(long deadline) {
    while (noticesInFlight.get() > 0 && open && System.nanoTime() < deadline) {
      try {
        Thread.sleep(5);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  void wake() {
    lock.lock();
    try {
      signalled = true;
      signal.signal();
    } finally {
      lock.unlock();
    }
  }

  private void acceptJoin(Join join) {
    TerminalSession session = service.find(join.sessionId()).filter(s -> !s.closed())
        .orElseThrow(() -> ApiError.notFound("Session"));
    if (join.offset() != null && join.offset() > session.ring().end()) {
      throw ApiError.badRequest("offset", "offset " + join.offset() + " is past the end of the output (" + session.ring().end() + ")");
    }
    target = session;
    command(join);
  }

  private TerminalSession joined() {
    TerminalSession session = target;
    if (session == null) {
      throw ApiError.badRequest(null, "join a session first");
    }
    return session;
  }

  private void heartbeat() {
    joined().touch();
    SocketAttachment a = attachment;
    if (a != null) {
      a.heartbeat();
    }
  }

  private void acknowledge(long offset) {
    SocketAttachment a = attachment;
    // An ack for a session this connection is leaving, or not yet attached to, is dropped.
    if (a != null && a.session() == target) {
      a.acknowledge(offset);
    }
  }

  private void command(ClientMessage message) {
    commands.add(message);
    wake();
  }

  private void notify(ServerMessage message) {
    noticesInFlight.incrementAndGet();
    notices.add(message);
    wake();
  }

  // ---- the sender thread ----

  private void run() {
    try {
      while (open) {
        boolean busy = applyCommands();
        busy |= sendNotices();
        SocketAttachment a = attachment;
        if (a != null) {
          busy |= sendOutput(a);
        }
        if (!busy) {
          awaitSignal();
        }
      }
    } catch (SendFailure e) {
      log.debug("Terminal connection {} dropped: {}", name, e.getMessage());
      out.close(1011, "send failed");
    } finally {
      open = false;
      SocketAttachment a = attachment;
      attachment = null;
      if (a != null) {
        a.drop();
      }
      service.unregister(this);
    }
  }

  private void awaitSignal() {
    lock.lock();
    try {
      if (!signalled && open) {
        signal.await(IDLE_WAIT_MILLIS, TimeUnit.MILLISECONDS);
      }
      signalled = false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      open = false;
    } finally {
      lock.unlock();
    }
  }

  private void pause(long nanos) {
    try {
      Thread.sleep(Duration.ofNanos(nanos));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      open = false;
    }
  }

  private boolean applyCommands() throws SendFailure {
    boolean any = false;
    for (ClientMessage command = commands.poll(); command != null; command = commands.poll()) {
      any = true;
      if (command instanceof Join join) {
        attach(join);
      } else if (command instanceof Leave) {
        leave("left");
      }
    }
    return any;
  }

  private boolean sendNotices() throws SendFailure {
    boolean any = false;
    for (ServerMessage notice = notices.poll(); notice != null; notice = notices.poll()) {
      any = true;
      try {
        out.text(notice);
      } finally {
        noticesInFlight.decrementAndGet();
      }
    }
    return any;
  }

  private void attach(Join join) throws SendFailure {
    leave("joined another session");
    TerminalSession session = service.find(join.sessionId()).filter(s -> !s.closed()).orElse(null);
    if (session == null) {
      out.text(new Failed("Session not found", null, join.sessionId()));
      return;
    }
    boolean named = join.readerId() != null;
    String readerId = named ? join.readerId() : name;
    ReaderCursor existing = session.readers().find(readerId);
    long from = join.offset() != null ? join.offset() : existing != null ? existing.position() : session.ring().start();
    ReaderCursor reader = session.readers().findOrCreate(readerId, from, System.nanoTime());
    attachment = new SocketAttachment(session, reader, named, this, this::wake, from, join.acknowledges());
    session.touch();
    out.text(new Joined(session.id(), from, readerId, session.label(), session.exited()));
  }

  /** Detaches and tells the client, when attached. */
  private void leave(String reason) throws SendFailure {
    SocketAttachment a = attachment;
    if (a == null) {
      return;
    }
    attachment = null;
    a.leave();
    out.text(new Left(a.session().id(), reason));
  }

  private boolean sendOutput(SocketAttachment a) throws SendFailure {
    return switch (a.sendNext(out)) {
      case SENT -> true;
      case IDLE -> false;
      case GATHERING -> {
        pause(a.gatherWaitNanos());
        yield true;
      }
      case ENDED -> {
        attachment = null;
        if (target == a.session()) {
          target = null;
        }
        yield true;
      }
    };
  }
}
