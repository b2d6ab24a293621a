package dev.mason.terminal;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The terminal room's housekeeper, on the thread "terminal-reaper". Each sweep:
 * <ul>
 *   <li>an attached WebSocket counts as presence; output alone never does (a shell printing in an
 *       abandoned tab is still abandoned);</li>
 *   <li>a session idle for 80 % of the idle timeout is warned (a {@code timeout_warning} message on
 *       WebSockets, {@code timeout_warning: true} on polls); one idle for all of it is closed;</li>
 *   <li>an exited session is forgotten once every live reader has read to its end and the reader
 *       lease has passed, or after the idle timeout in any case;</li>
 *   <li>readers whose lease ran out are dropped.</li>
 * </ul>
 * Sweeps run every twentieth of the idle timeout, between 100 ms and a minute.
 */
final class TerminalReaper implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(TerminalReaper.class);
  private static final Duration MIN_INTERVAL = Duration.ofMillis(100);
  private static final Duration MAX_INTERVAL = Duration.ofMinutes(1);
  private static final Duration STOP_WAIT = Duration.ofSeconds(5);

  private final TerminalService service;
  private final Duration idleTimeout;
  private final Duration warnAfter;
  private final Duration readerLease;
  private final Duration interval;
  private final ScheduledExecutorService executor =
      Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().daemon().name("terminal-reaper").factory());

  TerminalReaper(TerminalService service, TerminalSettings settings) {
    this.service = service;
    this.idleTimeout = settings.idleTimeout();
    this.warnAfter = idleTimeout.multipliedBy(4).dividedBy(5);
    this.readerLease = settings.readerLease();
    Duration twentieth = idleTimeout.dividedBy(20);
    this.interval = twentieth.compareTo(MIN_INTERVAL) < 0 ? MIN_INTERVAL : twentieth.compareTo(MAX_INTERVAL) > 0 ? MAX_INTERVAL : twentieth;
  }

  void start() {
    executor.scheduleWithFixedDelay(this::sweepSafely, interval.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
  }

  private void sweepSafely() {
    try {
      sweep();
    } catch (RuntimeException e) {
      log.warn("Terminal reaper sweep failed", e);
    }
  }

  void sweep() {
    for (TerminalSession session : service.list()) {
      long now = System.nanoTime();
      if (session.closed()) {
        continue;
      }
      if (session.exited()) {
        long end = session.ring().end();
        boolean allRead = session.readers().slowestPosition(end, now) == end;
        long exitedFor = session.exitedNanosAgo(now);
        if (allRead && exitedFor > readerLease.toNanos() || exitedFor > idleTimeout.toNanos()) {
          service.close(session.id());
        }
        continue;
      }
      session.readers().expire(now);
      if (session.readers().anyAttached()) {
        session.touch();
        continue;
      }
      long idle = session.idleNanos(now);
      if (idle >= idleTimeout.toNanos()) {
        log.info("Closing terminal {}: nobody used it for {}", session.id(), idleTimeout);
        service.close(session.id());
      } else if (idle >= warnAfter.toNanos() && session.closesAt() == null) {
        session.warn(Duration.ofNanos(idle), Instant.now().plusNanos(idleTimeout.toNanos() - idle));
      }
    }
  }

  @Override
  public void close() {
    executor.shutdownNow();
    try {
      if (!executor.awaitTermination(STOP_WAIT.toMillis(), TimeUnit.MILLISECONDS)) {
        log.warn("The terminal reaper did not stop within {} s", STOP_WAIT.toSeconds());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
