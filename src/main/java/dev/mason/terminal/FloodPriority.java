package dev.mason.terminal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Lowers a terminal's CPU priority while it floods output ({@code yes}, {@code cat} of a big log, a
 * chatty build) and gives it back once the output calms down.
 *
 * <p>Why: on Linux each terminal is its own session and so its own scheduling autogroup, weighed
 * equally against Mason's whole JVM. Twenty flooding terminals then left Mason a twenty-first of
 * the CPU, and every hop of a keystroke's echo in another terminal (the input writer, the pump,
 * the sender) queued behind them. The niceness of a terminal's group is set through
 * {@code /proc/<shell pid>/autogroup}, which needs no privilege for values from 0 up, so it can be
 * given back. Where that file does not exist (macOS, kernels without autogroups) nothing is done.
 *
 * <p>Used by the session's pump thread only.
 */
final class FloodPriority {
  private static final Logger log = LoggerFactory.getLogger(FloodPriority.class);
  private static final long WINDOW_NANOS = 250_000_000;
  /**
   * Output faster than this is a flood. So is a program that twice in a window had more to print
   * than was taken: the pump's buffer came back full, or flow control held the program back for
   * its readers. A flood that Mason, short of CPU, can only relay slowly looks like that.
   */
  private static final long FLOOD_BYTES_PER_SECOND = 1024L * 1024;
  private static final int FLOOD_BACKLOGS = 2;
  /** Output slower than this after a flood is calm again. */
  private static final long CALM_BYTES_PER_SECOND = 64L * 1024;

  private final String sessionId;
  private final int floodNice;
  /** The shell; its start time tells it from a later process that reused its pid. */
  private final ProcessHandle shell;
  private Path group;
  private long windowStart;
  private long windowBytes;
  private int windowBacklogs;
  private boolean lowered;

  /** @param floodNice the niceness while flooding, 1 to 19; 0 leaves the terminal's priority alone */
  FloodPriority(String sessionId, long shellPid, int floodNice, long now) {
    this.sessionId = sessionId;
    this.floodNice = floodNice;
    this.shell = ProcessHandle.of(shellPid).orElse(null);
    Path file = Path.of("/proc", Long.toString(shellPid), "autogroup");
    this.group = floodNice > 0 && shell != null && Files.isWritable(file) ? file : null;
    this.windowStart = now;
  }

  /**
   * Counts {@code bytes} of output read at {@code now}; {@code backlog} when more was waiting than
   * was taken (a full buffer, a pause for the readers). Also called with 0 when a wait for output
   * ran out.
   */
  void observe(int bytes, boolean backlog, long now) {
    if (group == null) {
      return;
    }
    windowBytes += bytes;
    if (backlog) {
      windowBacklogs++;
    }
    long elapsed = now - windowStart;
    if (elapsed < WINDOW_NANOS) {
      return;
    }
    long perSecond = windowBytes * 1_000_000_000L / elapsed;
    if (!lowered && (perSecond >= FLOOD_BYTES_PER_SECOND || windowBacklogs >= FLOOD_BACKLOGS)) {
      lowered = set(floodNice);
    } else if (lowered && perSecond < CALM_BYTES_PER_SECOND && windowBacklogs == 0) {
      lowered = !set(0);
    }
    windowStart = now;
    windowBytes = 0;
    windowBacklogs = 0;
  }

  private boolean set(int nice) {
    if (!shell.isAlive()) {
      // The shell is gone while its programs still print: its pid may belong to someone else soon.
      group = null;
      return false;
    }
    try {
      Files.writeString(group, Integer.toString(nice));
      log.debug("Terminal {}: niceness {} ({})", sessionId, nice, nice == 0 ? "calm" : "flooding");
      return true;
    } catch (IOException e) {
      // The shell is gone, or the kernel refused: stop trying for this session.
      log.debug("Terminal {}: cannot set the niceness of its group: {}", sessionId, e.toString());
      group = null;
      return false;
    }
  }
}
