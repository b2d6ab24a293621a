package dev.mason.terminal;

import dev.mason.terminal.FrameSender.SendFailure;
import dev.mason.terminal.OutputRing.Slice;
import dev.mason.terminal.ServerMessage.Closed;
import dev.mason.terminal.ServerMessage.Exited;
import dev.mason.terminal.ServerMessage.Gap;
import dev.mason.terminal.ServerMessage.Left;
import dev.mason.terminal.ServerMessage.TimeoutWarning;
import java.time.Duration;
import java.time.Instant;

/**
 * A WebSocket connection's hold on the session it is attached to: the reader it holds, how far it
 * has sent, and which of the session's news it has told.
 *
 * <p>Belongs to the connection's sender thread, except {@link #acknowledge}, which Jetty's thread
 * calls; the marks both touch are volatile, and the reader's own lock orders their moves.
 */
final class SocketAttachment {
  static final int FRAME_BYTES = 64 * 1024;
  /**
   * A session that keeps printing (a build, {@code yes}) is sent in frames of at least this much,
   * gathered for up to {@link #GATHER_MILLIS}: PTY reads are 4 KiB, and a frame per read costs the
   * other sessions' senders their turn. Output after a pause goes out at once, so echo is not delayed.
   */
  static final int GATHER_BYTES = 16 * 1024;
  static final long GATHER_MILLIS = 1;
  private static final int STREAMING_FRAMES = 3;

  /** What {@link #sendNext} did; {@link Step#GATHERING} asks the caller to wait {@link #GATHER_MILLIS} and call again. */
  enum Step { SENT, IDLE, GATHERING, ENDED }

  private final TerminalSession session;
  private final ReaderCursor reader;
  private final boolean namedReader;
  private final Object holder;
  private volatile long sent;
  private volatile boolean acknowledges;
  private boolean exitedTold;
  private int warningsTold;
  /** Frames sent back to back since output last ran dry; sender thread only. */
  private int streak;
  private boolean gathered;

  /** Claims {@code reader} for {@code holder}, whose {@code waker} is called when there is news. */
  SocketAttachment(TerminalSession session, ReaderCursor reader, boolean namedReader, Object holder, Runnable waker,
      long from, boolean acknowledges) {
    this.session = session;
    this.reader = reader;
    this.namedReader = namedReader;
    this.holder = holder;
    this.sent = from;
    this.acknowledges = acknowledges;
    this.warningsTold = session.warnings();
    reader.claim(holder, waker, from, System.nanoTime());
  }

  TerminalSession session() {
    return session;
  }

  /**
   * Sends the next frame of output, else the session's news (exit, idle warning).
   *
   * @return {@link Step#ENDED} after telling the client the attachment is over: the session
   *     closed, or another connection took the reader
   */
  Step sendNext(FrameSender out) throws SendFailure {
    if (!reader.heldBy(holder)) {
      out.text(new Left(session.id(), "reader " + reader.id() + " was taken over by another connection"));
      return Step.ENDED;
    }
    if (session.closed()) {
      out.text(new Closed(session.id()));
      return Step.ENDED;
    }
    // Read exited first: once it is true, the ring holds the session's last byte.
    boolean exitedBeforeRead = session.exited();
    long available = session.ring().end() - sent;
    if (available > 0 && available < GATHER_BYTES && streak >= STREAMING_FRAMES && !gathered && !exitedBeforeRead) {
      gathered = true;
      return Step.GATHERING;
    }
    gathered = false;
    Slice slice = session.ring().read(sent, FRAME_BYTES);
    if (slice.gap() > 0) {
      out.text(new Gap(session.id(), sent, slice.offset()));
    }
    if (slice.bytes().length > 0) {
      out.binary(slice.bytes());
      sent = slice.next();
      streak++;
      if (!acknowledges && reader.advance(holder, sent, sent, System.nanoTime())) {
        session.readerAdvanced();
      }
      return Step.SENT;
    }
    streak = 0;
    Step step = Step.IDLE;
    if (exitedBeforeRead && !exitedTold) {
      exitedTold = true;
      out.text(new Exited(session.id(), session.exitCode(), sent));
      step = Step.SENT;
    }
    int warnings = session.warnings();
    if (warnings > warningsTold) {
      warningsTold = warnings;
      Instant closesAt = session.closesAt();
      if (closesAt != null) {
        out.text(new TimeoutWarning(session.id(), Math.max(0, Duration.between(Instant.now(), closesAt).toSeconds())));
      }
      step = Step.SENT;
    }
    return step;
  }

  /** The client has shown everything before {@code offset}: from now on flow control follows its acks. */
  void acknowledge(long offset) {
    acknowledges = true;
    long upTo = Math.min(offset, sent);
    if (upTo > reader.position() && reader.advance(holder, upTo, sent, System.nanoTime())) {
      session.readerAdvanced();
    }
  }

  void heartbeat() {
    reader.touch(System.nanoTime());
  }

  /** An explicit leave: the reader goes, and holds the shell back no more. */
  void leave() {
    session.readers().forget(reader.id(), holder);
    session.readerAdvanced();
  }

  /** The connection ended: a named reader lingers for its lease so the tab can resume; an anonymous one goes. */
  void drop() {
    if (namedReader) {
      reader.release(holder, System.nanoTime());
    } else {
      session.readers().forget(reader.id(), holder);
    }
    session.readerAdvanced();
  }
}
