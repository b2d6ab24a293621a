package dev.mason.bus;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.function.Consumer;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hears {@code NOTIFY} on the feed's channel, on a connection of its own, and hands every change
 * stored after its cursor to {@code deliver}, in seq order, whichever Mason wrote it. A
 * notification only wakes it: what to deliver is read from the table, so a lost connection loses
 * nothing (after reconnecting it reads everything past its cursor) and a burst of notifications
 * costs one read. Once an hour it prunes the feed.
 *
 * <p>Thread: {@code change-listener}, a platform daemon thread (the driver blocks in a socket
 * read while it waits). {@code cursor} is that thread's alone.
 */
final class ChangeListener implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(ChangeListener.class);
  private static final int WAIT_MILLIS = 500;
  private static final int PAGE = 500;
  private static final Duration FIRST_RETRY = Duration.ofMillis(500);
  private static final Duration MAX_RETRY = Duration.ofSeconds(5);
  private static final Duration PRUNE_EVERY = Duration.ofHours(1);
  static final Duration RETENTION = Duration.ofDays(1);
  private static final Duration CLOSE_LIMIT = Duration.ofSeconds(2);

  private final ChangeStore store;
  private final Connector connector;
  private final Consumer<Change.Numbered> deliver;
  private final Thread thread;
  private volatile boolean closed;
  private long cursor;
  private Instant nextPrune = Instant.now();

  /** Opens the listening connection; the database's, in tests a broken one. */
  interface Connector {
    Connection open() throws SQLException;
  }

  ChangeListener(ChangeStore store, Connector connector, long cursor, Consumer<Change.Numbered> deliver) {
    this.store = store;
    this.connector = connector;
    this.cursor = cursor;
    this.deliver = deliver;
    this.thread = Thread.ofPlatform().name("change-listener").daemon().unstarted(this::run);
  }

  void start() {
    thread.start();
  }

  private void run() {
    Duration retry = FIRST_RETRY;
    while (!closed) {
      try (Connection connection = connector.open()) {
        try (Statement listen = connection.createStatement()) {
          listen.execute("LISTEN \"" + store.channel().replace("\"", "\"\"") + "\"");
        }
        PGConnection pg = connection.unwrap(PGConnection.class);
        // Whatever was stored while no connection listened.
        deliverNew();
        retry = FIRST_RETRY;
        while (!closed) {
          PGNotification[] heard = pg.getNotifications(WAIT_MILLIS);
          if (heard != null && heard.length > 0) {
            deliverNew();
          } else {
            pruneWhenDue();
          }
        }
      } catch (SQLException | RuntimeException e) {
        if (closed) {
          return;
        }
        log.warn("The change feed's listener lost its connection ({}); reconnecting in {} ms", e.getMessage(), retry.toMillis());
        if (!sleep(retry)) {
          return;
        }
        retry = retry.multipliedBy(2).compareTo(MAX_RETRY) > 0 ? MAX_RETRY : retry.multipliedBy(2);
      }
    }
  }

  private void deliverNew() {
    List<Change.Numbered> page;
    do {
      page = store.after(cursor, PAGE);
      for (Change.Numbered change : page) {
        cursor = change.seq();
        try {
          deliver.accept(change);
        } catch (RuntimeException e) {
          log.warn("Delivering change {} failed: {}", change.seq(), e.toString());
        }
      }
    } while (page.size() == PAGE && !closed);
  }

  private void pruneWhenDue() {
    if (Instant.now().isBefore(nextPrune)) {
      return;
    }
    nextPrune = Instant.now().plus(PRUNE_EVERY);
    int pruned = store.prune(RETENTION);
    if (pruned > 0) {
      log.info("Pruned {} changes older than {} h from the change feed", pruned, RETENTION.toHours());
    }
  }

  private static boolean sleep(Duration duration) {
    try {
      Thread.sleep(duration);
      return true;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  @Override
  public void close() {
    closed = true;
    try {
      if (!thread.join(CLOSE_LIMIT)) {
        thread.interrupt();
        log.warn("The change feed's listener did not stop within {} ms", CLOSE_LIMIT.toMillis());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (IllegalThreadStateException e) {
      // never started
    }
  }
}
