package dev.mason.common;

import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Work done again every period on a virtual thread of its own, from one period after the start
 * until {@link #close}. A failed turn is logged and the next one comes all the same.
 */
public final class Periodic implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Periodic.class);

  private final Thread thread;

  private Periodic(String name, Duration every, Runnable work) {
    this.thread = Thread.ofVirtual().name(name).start(() -> {
      while (!Thread.currentThread().isInterrupted()) {
        try {
          Thread.sleep(every);
          work.run();
        } catch (InterruptedException e) {
          return;
        } catch (RuntimeException e) {
          log.warn("{} failed; trying again in {} s: {}", name, every.toSeconds(), e.toString());
        }
      }
    });
  }

  /** @param name the thread's name, which the log names too */
  public static Periodic start(String name, Duration every, Runnable work) {
    return new Periodic(name, every, work);
  }

  @Override
  public void close() {
    thread.interrupt();
  }
}
