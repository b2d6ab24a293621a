package dev.mason.testing;

import dev.mason.testing.SseClient.Event;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/** One user's {@code /api/events} stream read on a virtual thread, for as long as a test needs it. */
public final class BusStream implements AutoCloseable {
  public static final Duration LIMIT = Duration.ofSeconds(20);
  private final List<Event> events = Collections.synchronizedList(new ArrayList<>());
  private final Thread reader;

  private BusStream(String url, Map<String, String> headers) {
    this.reader = Thread.ofVirtual().name("bus-stream").start(() -> {
      try {
        SseClient.readInto(events, url, headers, e -> false, Duration.ofSeconds(60));
      } catch (AssertionError e) {
        // closed by the test, or the server went away
      }
    });
  }

  /** Opens {@code user}'s stream on {@code baseUrl} (with {@code query}, e.g. {@code ?after=3}) and waits until it is ready. */
  public static BusStream open(String baseUrl, String user, String query, Map<String, String> extraHeaders) {
    Map<String, String> headers = new java.util.HashMap<>(extraHeaders);
    headers.put("X-Forwarded-Email", user);
    BusStream stream = new BusStream(baseUrl + "/api/events" + query, headers);
    stream.await("the ready event", e -> e.type().equals("ready"));
    return stream;
  }

  public static BusStream open(String baseUrl, String user) {
    return open(baseUrl, user, "", Map.of());
  }

  /** Waits until an event matching {@code match} arrived, and returns it. */
  public Event await(String what, Predicate<Event> match) {
    Eventually.await(LIMIT, what + " on the bus; got " + changes(), () -> snapshot().stream().anyMatch(match));
    return snapshot().stream().filter(match).findFirst().orElseThrow();
  }

  /** The changes received so far (the ready event left out). */
  public List<Event> changes() {
    return snapshot().stream().filter(e -> !e.type().equals("ready")).toList();
  }

  public List<Event> snapshot() {
    synchronized (events) {
      return List.copyOf(events);
    }
  }

  @Override
  public void close() {
    reader.interrupt();
  }
}
