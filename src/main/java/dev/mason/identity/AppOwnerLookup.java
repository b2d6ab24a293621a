package dev.mason.identity;

import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads the app (its creator, the scopes users grant it) through the Apps API on a thread of its own, retrying with doubling
 * pauses while the workspace cannot answer, and hands the result to its {@link AppOwner}.
 *
 * <p>Thread-safe: {@link #stop()} interrupts the thread, which ends at its next pause.
 */
final class AppOwnerLookup {
  private static final Logger log = LoggerFactory.getLogger(AppOwnerLookup.class);

  private final String appName;
  private final AppDirectory apps;
  private final Duration firstRetry;
  private final Duration maxRetry;
  private Thread thread;

  AppOwnerLookup(String appName, AppDirectory apps, Duration firstRetry, Duration maxRetry) {
    this.appName = appName;
    this.apps = apps;
    this.firstRetry = firstRetry;
    this.maxRetry = maxRetry;
  }

  void start(AppOwner owner) {
    thread = Thread.ofVirtual().name("app-owner-lookup").start(() -> run(owner));
  }

  private void run(AppOwner owner) {
    Duration pause = firstRetry;
    for (int attempt = 1; !Thread.currentThread().isInterrupted(); attempt++) {
      try {
        AppDirectory.App app = apps.app(appName);
        if (app.creator() != null && !app.creator().isBlank()) {
          owner.known(app);
          return;
        }
        owner.unknownBecause("the Apps API names no creator for app '" + appName + "'");
      } catch (RuntimeException e) {
        owner.unknownBecause("reading the creator of app '" + appName + "' through the Apps API failed " + attempt
            + " time(s), last: " + e.getMessage() + "; Mason keeps trying");
        log.warn("Cannot read the creator of app '{}' (attempt {}): {}; retrying in {} s", appName, attempt, e.getMessage(),
            pause.toSeconds());
      }
      try {
        Thread.sleep(pause);
      } catch (InterruptedException e) {
        return;
      }
      pause = pause.multipliedBy(2).compareTo(maxRetry) > 0 ? maxRetry : pause.multipliedBy(2);
    }
  }

  void stop() {
    if (thread != null) {
      thread.interrupt();
    }
  }
}
