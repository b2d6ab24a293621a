package dev.mason.terminal;

import dev.mason.terminal.OutputRing.Slice;
import dev.mason.web.ApiError;

/**
 * A poll's answer for one session: the text of bytes {@code [offset, nextOffset)}.
 *
 * @param gap non-null when the ring had dropped bytes the reader had not read: they are
 *     {@code [gap.from, gap.to)}, and {@code offset} equals {@code gap.to}
 * @param more whether more output is ready right now (poll again without waiting)
 * @param exited whether the shell exited and this answer reaches the end of its output
 * @param exitCode the shell's status when {@code exited}, else null
 * @param timeoutWarning whether the idle reaper had warned the session before this poll
 */
record PolledOutput(String output, long offset, long nextOffset, Gap gap, boolean more, boolean exited, Integer exitCode, boolean timeoutWarning) {

  record Gap(long from, long to) {}

  /**
   * Reads up to {@code maxBytes} for a poller, from {@code offset} when given, else from where the
   * reader left off; the reader's position moves to the offset the client confirmed (or, without
   * one, to what this answer delivers), and the poll counts as presence.
   */
  static PolledOutput read(TerminalSession session, Long offset, String readerId, int maxBytes) {
    long now = System.nanoTime();
    OutputRing ring = session.ring();
    ReaderCursor reader = session.readers().findOrCreate(readerId, ring.start(), now);
    boolean heldElsewhere = !reader.heldBy(ReaderCursor.POLLER);
    long from = offset != null ? offset : heldElsewhere ? reader.position() : reader.cursor();
    Slice slice;
    try {
      slice = ring.read(from, maxBytes);
    } catch (IllegalArgumentException e) {
      throw ApiError.badRequest("offset", "offset " + from + " is past the end of the output (" + ring.end() + ")");
    }
    if (heldElsewhere || offset != null) {
      reader.claim(ReaderCursor.POLLER, null, from, now);
    }
    boolean exitedNow = session.exited();
    long end = ring.end();
    byte[] bytes = slice.bytes();
    int skip = slice.gap() > 0 ? Utf8Text.leadingContinuations(bytes) : 0;
    int hold = exitedNow && slice.next() == end ? 0 : Math.min(Utf8Text.incompleteTail(bytes, bytes.length), bytes.length - skip);
    long start = slice.offset() + skip;
    long next = slice.next() - hold;
    reader.advance(ReaderCursor.POLLER, offset != null ? from : next, next, now);
    session.readerAdvanced();
    boolean warned = session.closesAt() != null;
    session.touch();
    boolean finished = exitedNow && next == end;
    return new PolledOutput(Utf8Text.decode(bytes, skip, bytes.length - hold), start, next,
        start > from ? new Gap(from, start) : null, end > slice.next(), finished,
        finished ? session.exitCode() : null, warned);
  }
}
