package dev.mason.credentials;

import java.time.Duration;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The background job that keeps the owner's token fresh: every rotation interval, whatever the
 * number of sessions (the reference skipped rotations while idle, let its token expire, and then
 * could never mint again). A failed rotation is retried with exponential backoff, from a tenth of
 * the interval up to the interval itself, until the workspace answers again.
 *
 * <p>One named thread, "pat-rotator"; {@link #wake()} makes it look again at once (a paste).
 */
final class TokenRotator implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(TokenRotator.class);
  private static final Duration CLOSE_LIMIT = Duration.ofSeconds(2);

  private final CredentialService service;
  private final CredentialSettings settings;
  private final Thread thread;
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition woken = lock.newCondition();
  /** Guarded by {@link #lock}. */
  private boolean wakeRequested;
  private volatile boolean stopped;

  TokenRotator(CredentialService service, CredentialSettings settings) {
    this.service = service;
    this.settings = settings;
    this.thread = Thread.ofPlatform().daemon().name("pat-rotator").unstarted(this::run);
  }

  void start() {
    thread.start();
  }

  /** A new credential arrived: the wait restarts from now. */
  void wake() {
    lock.lock();
    try {
      wakeRequested = true;
      woken.signalAll();
    } finally {
      lock.unlock();
    }
  }

  private void run() {
    service.adoptEnvironmentCredential();
    if (service.hasBase()) {
      service.rotateOnce();
    }
    while (!stopped) {
      Duration wait = service.failures() == 0 ? settings.rotationInterval() : backoff(service.failures());
      if (!await(wait) || stopped) {
        continue; // woken: a paste just rotated, so wait a full interval from now
      }
      if (service.hasBase()) {
        service.rotateOnce();
      } else {
        service.adoptEnvironmentCredential();
      }
    }
  }

  private Duration backoff(int failures) {
    Duration first = settings.rotationInterval().dividedBy(10);
    Duration delay = first.multipliedBy(1L << Math.min(failures - 1, 20));
    return delay.compareTo(settings.rotationInterval()) > 0 ? settings.rotationInterval() : delay;
  }

  /** @return true when the wait ran out, false when woken or stopped */
  private boolean await(Duration wait) {
    lock.lock();
    try {
      long nanos = wait.toNanos();
      while (!wakeRequested && !stopped && nanos > 0) {
        nanos = woken.awaitNanos(nanos);
      }
      boolean wasWoken = wakeRequested;
      wakeRequested = false;
      return !wasWoken && !stopped;
    } catch (InterruptedException e) {
      stopped = true;
      return false;
    } finally {
      lock.unlock();
    }
  }

  @Override
  public void close() {
    stopped = true;
    thread.interrupt();
    try {
      if (thread.isAlive() && !thread.join(CLOSE_LIMIT)) {
        log.warn("The token rotator did not stop within {} s", CLOSE_LIMIT.toSeconds());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
