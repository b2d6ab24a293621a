package dev.mason.bus;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mason.web.Json;
import dev.mason.web.Requests;
import dev.mason.web.Routes;
import dev.mason.web.SseStream;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.io.IOException;
import java.time.Duration;
import java.util.List;

/**
 * {@code GET /api/events}: the caller's changes as server-sent events, {@code id:} the change's
 * seq, {@code event:} its kind, {@code data:} the {@link Change} (its kind as {@code type}) and its
 * {@code seq}. Resumable: with {@code Last-Event-ID} or {@code ?after=} the stream first replays
 * the stored changes after it (kept a day); without, it starts from now. Either way its first
 * event is {@code ready} (no id) with the seq it starts after, the moment a page reloads what it
 * shows; {@code missed} says a resumed stream's cursor is older than the feed, so changes after it
 * are gone and the client must reload to be right. A stream ends when the client goes, when it
 * falls too far behind (it resumes), or at shutdown.
 */
public final class BusRoutes implements Routes {
  private static final Duration KEEPALIVE = Duration.ofSeconds(15);
  private static final int PAGE = 500;

  private final ChangeBus bus;

  public BusRoutes(ChangeBus bus) {
    this.bus = bus;
  }

  @Override
  public void addTo(RoutesConfig routes) {
    routes.get("/api/events", this::events);
  }

  private void events(Context ctx) throws IOException, InterruptedException {
    String owner = Requests.caller(ctx).user();
    long cursor = SseStream.cursor(ctx, Long.MAX_VALUE);
    // Subscribed before the replay: a change committed meanwhile is in one or the other, or both (skipped by seq).
    try (Subscription subscription = bus.subscribe(owner)) {
      long seq = cursor >= 0 ? cursor : bus.head();
      SseStream stream = SseStream.open(ctx, "changes");
      ObjectNode ready = Json.MAPPER.createObjectNode().put("type", "ready").put("seq", seq)
          .put("missed", cursor >= 0 && bus.prunedAfter(cursor));
      if (!stream.send(null, "ready", Json.write(ready)) || !stream.flush()) {
        return;
      }
      if (cursor >= 0) {
        List<Change.Numbered> page;
        do {
          page = bus.after(owner, seq, PAGE);
          for (Change.Numbered change : page) {
            if (!send(stream, change)) {
              return;
            }
            seq = change.seq();
          }
          if (!stream.flush()) {
            return;
          }
        } while (page.size() == PAGE);
      }
      while (!subscription.over()) {
        Change.Numbered change = subscription.next(KEEPALIVE);
        if (change == null) {
          if (!subscription.over() && !stream.keepalive()) {
            return;
          }
        } else if (change.seq() > seq) {
          if (!send(stream, change) || !stream.flush()) {
            return;
          }
          seq = change.seq();
        }
      }
    }
  }

  private static boolean send(SseStream stream, Change.Numbered change) {
    ObjectNode data = Json.MAPPER.valueToTree(change.change());
    data.put("seq", change.seq());
    return stream.send(Long.toString(change.seq()), change.change().kind().wire(), Json.write(data));
  }
}
