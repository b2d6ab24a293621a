package dev.mason.store;

import dev.mason.common.Periodic;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This Mason process as the runner of work other Masons on the same database can see: a random
 * id, held alive by a PostgreSQL session advisory lock on a connection of its own for as long as
 * the process runs. The database lets the lock go with the session, so when a process dies its
 * runs and tasks can be told from those of a Mason that is still running them: at start-up and
 * periodically, only a dead runner's work is marked interrupted.
 *
 * <p>A lost connection loses the lock; it is taken again on the next check, every
 * {@link #CHECK_EVERY}. Thread-safe.
 */
public final class RunnerLease implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(RunnerLease.class);
  private static final Duration CHECK_EVERY = Duration.ofSeconds(15);
  private static final SecureRandom RANDOM = new SecureRandom();

  private final Database db;
  private final long id;
  private final Duration sweepEvery;
  private volatile Periodic keeper;
  private Connection held;
  private volatile boolean closed;

  private RunnerLease(Database db, long id, Duration sweepEvery) {
    this.db = db;
    this.id = id;
    this.sweepEvery = sweepEvery;
  }

  /**
   * Takes the lease; fails Mason's start when the database refuses it.
   *
   * @param sweepEvery how often {@link #sweep} work runs
   */
  static RunnerLease take(Database db, Duration sweepEvery) {
    // Positive, so that it reads the same in logs and in the tables.
    RunnerLease lease = new RunnerLease(db, RANDOM.nextLong() & Long.MAX_VALUE, sweepEvery);
    try {
      lease.lock();
    } catch (SQLException e) {
      throw new StartupException("Cannot take this Mason's runner lock on the database: " + e.getMessage(), e);
    }
    lease.keeper = Periodic.start("mason-runner-lease", CHECK_EVERY, lease::lockAgainIfLost);
    return lease;
  }

  /**
   * Runs {@code work}, which closes the work of runners that are {@link #gone}, every
   * {@code MASON_LEFTOVER_SWEEP_SECONDS}: how the Masons that live on take over after one dies.
   */
  public Periodic sweep(String name, Runnable work) {
    return Periodic.start(name, sweepEvery, work);
  }

  /** The id this process's runs and tasks are stored with. */
  public long id() {
    return id;
  }

  /**
   * Of {@code work} left running, what belongs to processes that are gone: their runner no longer
   * holds its lock. This process's work is never gone; work stored before runners were recorded
   * (a null runner) always is. Each runner is asked about once.
   */
  public <T> List<T> gone(List<T> work, Function<T, Long> runnerOf) {
    Map<Long, Boolean> alive = new HashMap<>();
    return work.stream().filter(item -> !alive.computeIfAbsent(runnerOf.apply(item), this::alive)).toList();
  }

  private boolean alive(Long runner) {
    if (runner == null) {
      return false;
    }
    if (runner == id) {
      return true;
    }
    return db.withHandle(h -> {
      boolean free = h.createQuery("SELECT pg_try_advisory_lock(:runner)").bind("runner", runner).mapTo(Boolean.class).one();
      if (free) {
        h.createQuery("SELECT pg_advisory_unlock(:runner)").bind("runner", runner).mapTo(Boolean.class).one();
      }
      return !free;
    });
  }

  private synchronized void lock() throws SQLException {
    Connection connection = db.dedicatedConnection();
    try (PreparedStatement lock = connection.prepareStatement("SELECT pg_advisory_lock(?)")) {
      lock.setLong(1, id);
      lock.execute();
    } catch (SQLException e) {
      connection.close();
      throw e;
    }
    if (closed) {
      connection.close();
      return;
    }
    held = connection;
  }

  private void lockAgainIfLost() {
    boolean lost;
    synchronized (this) {
      try {
        lost = !closed && (held == null || !held.isValid(5));
      } catch (SQLException e) {
        lost = true;
      }
      if (lost && held != null) {
        closeQuietly(held);
        held = null;
      }
    }
    if (lost) {
      log.warn("The runner lock's connection was lost; taking the lock again");
      try {
        lock();
      } catch (SQLException e) {
        log.warn("Cannot take the runner lock again yet: {}", e.getMessage());
      }
    }
  }

  @Override
  public void close() {
    closed = true;
    keeper.close();
    synchronized (this) {
      if (held != null) {
        closeQuietly(held);
        held = null;
      }
    }
  }

  private static void closeQuietly(Connection connection) {
    try {
      connection.close();
    } catch (SQLException e) {
      // going anyway
    }
  }
}
