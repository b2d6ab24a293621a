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
   * While a session streams (its last frame went out less than {@link #GATHER_NANOS} ago and was
   * not a keystroke's echo), output is gathered until that window has passed or {@link #GATHER_BYTES}
   * are waiting. PTY reads are 4 KiB; a frame per read costs a wake-up of this sender and of the
   * client per read, which on a busy machine is most of the work. Output after a pause goes out at once.
   */
  static final int GATHER_BYTES = 32 * 1024;
  static final long GATHER_NANOS = 2_000_000;
  private static final int STREAMING_FRAME_BYTES = 1024;

  /** What {@link #sendNext} did; {@link Step#GATHERING} asks the caller to wait {@link #gatherWaitNanos()} and call again. */
  enum Step { SENT, IDLE, GATHERING, ENDED }

  private final TerminalSession session;
  private final ReaderCursor reader;
  private final boolean namedReader;
  private final Object holder;
  /** Every frame is copied here: {@link FrameSender} returns only once Jetty has written it. */
  private final byte[] frame = new byte[FRAME_BYTES];
  private volatile long sent;
  private volatile boolean acknowledges;
  private boolean exitedTold;
  private int warningsTold;
  /** When the last output frame went out and how big it was; sender thread only. */
  private long lastFrameNanos;
  private int lastFrameBytes;

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
    if (available > 0 && available < GATHER_BYTES && lastFrameBytes >= STREAMING_FRAME_BYTES && !exitedBeforeRead) {
      if (gatherWaitNanos() > 0) {
        return Step.GATHERING;
      }
    }
    Slice slice = session.ring().readInto(sent, frame);
    if (slice.gap() > 0) {
      out.text(new Gap(session.id(), sent, slice.offset()));
    }
    if (slice.length() > 0) {
      out.binary(frame, slice.length());
      sent = slice.next();
      lastFrameNanos = System.nanoTime();
      lastFrameBytes = slice.length();
      if (!acknowledges && reader.advance(holder, sent, sent, System.nanoTime())) {
        session.readerAdvanced();
      }
      return Step.SENT;
    }
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

  /** How long the gathering window after the last frame still lasts; sender thread only. */
  long gatherWaitNanos() {
    return lastFrameNanos + GATHER_NANOS - System.nanoTime();
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
