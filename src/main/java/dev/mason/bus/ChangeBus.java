package dev.mason.bus;

import dev.mason.store.Database;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The live bus: every change to a user's data (projects, conversations, executions, tasks),
 * recorded by the room that made it and delivered to that user's open streams in every Mason on
 * the database. See {@link ChangeStore} for the table and its ordering, {@link ChangeListener}
 * for how a Mason hears the others.
 *
 * <p>Concurrency: {@code subscribers} maps an owner to their open subscriptions (a concurrent
 * set); streams add and remove themselves, the listener thread reads it.
 */
public final class ChangeBus implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(ChangeBus.class);
  private final ChangeStore store;
  private final ChangeListener listener;
  private final Map<String, Set<Subscription>> subscribers = new ConcurrentHashMap<>();
  private final Map<Change.Kind, List<Consumer<Change>>> handlers = new ConcurrentHashMap<>();
  private volatile boolean closed;

  private ChangeBus(Database db) {
    this.store = new ChangeStore(db);
    this.listener = new ChangeListener(store, db::dedicatedConnection, store.head(), this::deliver);
  }

  /** Starts listening; changes stored before this are read by streams that resume, not delivered live. */
  public static ChangeBus start(Database db) {
    ChangeBus bus = new ChangeBus(db);
    bus.listener.start();
    return bus;
  }

  /**
   * Records {@code change} of {@code owner}'s data, in the transaction open on this thread if any
   * (call it last there); every Mason on the database delivers it once that commits.
   */
  public void record(String owner, Change change) {
    store.record(owner, change);
  }

  /**
   * Hands every change of {@code kind}, whoever's it is and whichever Mason recorded it, to
   * {@code handler} on the listener's thread: how a room hears what another Mason's room asked of
   * it. The handler must be quick; what it throws is logged.
   */
  public void onEvery(Change.Kind kind, Consumer<Change> handler) {
    handlers.computeIfAbsent(kind, k -> new CopyOnWriteArrayList<>()).add(handler);
  }

  /** A subscription to {@code owner}'s changes from now on; close it when the stream ends. */
  Subscription subscribe(String owner) {
    Set<Subscription> set = subscribers.computeIfAbsent(owner, o -> ConcurrentHashMap.newKeySet());
    Subscription[] self = new Subscription[1];
    self[0] = new Subscription(owner, () -> set.remove(self[0]));
    set.add(self[0]);
    if (closed) {
      self[0].end();
    }
    return self[0];
  }

  /** {@code owner}'s stored changes after {@code seq}, for a stream that resumes. */
  List<Change.Numbered> after(String owner, long seq, int limit) {
    return store.after(owner, seq, limit);
  }

  /**
   * Whether a stream resuming after {@code seq} may have missed changes: the feed no longer holds
   * the one after it (pruned after a day). A sequence number a rolled-back transaction used can
   * make this true needlessly, never false wrongly.
   */
  boolean prunedAfter(long seq) {
    Long oldest = store.oldest();
    return oldest != null && oldest > seq + 1;
  }

  /** The last seq stored: where a stream that does not resume starts. */
  long head() {
    return store.head();
  }

  private void deliver(Change.Numbered change) {
    for (Consumer<Change> handler : handlers.getOrDefault(change.change().kind(), List.of())) {
      try {
        handler.accept(change.change());
      } catch (RuntimeException e) {
        log.warn("Handling change {} ({}) failed: {}", change.seq(), change.change().kind().wire(), e.toString());
      }
    }
    Set<Subscription> set = subscribers.get(change.owner());
    if (set != null) {
      set.forEach(subscription -> subscription.offer(change));
    }
  }

  /** Stops listening and ends every open stream, so the web server has none to wait for. */
  @Override
  public void close() {
    closed = true;
    subscribers.values().forEach(set -> set.forEach(Subscription::end));
    listener.close();
  }
}
