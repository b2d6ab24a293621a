package dev.mason.agent.claudecode;

import java.time.Duration;
import org.slf4j.LoggerFactory;

/**
 * Ends Claude Code processes nobody has used for the idle period: a virtual thread that looks
 * every quarter of the period (at most every 30 s).
 */
final class IdleReaper implements AutoCloseable {
  private static final Duration MAX_CHECK = Duration.ofSeconds(30);

  private final Runnable reap;
  private final Duration every;
  private volatile Thread thread;

  IdleReaper(Runnable reap, Duration idle) {
    this.reap = reap;
    Duration quarter = idle.dividedBy(4);
    this.every = quarter.compareTo(MAX_CHECK) > 0 ? MAX_CHECK : quarter.isZero() ? Duration.ofSeconds(1) : quarter;
  }

  void start() {
    thread = Thread.ofVirtual().name("claude-code-idle-reaper").start(() -> {
      while (!Thread.currentThread().isInterrupted()) {
        try {
          Thread.sleep(every);
          reap.run();
        } catch (InterruptedException e) {
          return;
        } catch (RuntimeException e) {
          LoggerFactory.getLogger(IdleReaper.class).warn("Ending idle Claude Code processes failed: {}", e.toString());
        }
      }
    });
  }

  @Override
  public void close() {
    Thread running = thread;
    if (running != null) {
      running.interrupt();
    }
  }
}
