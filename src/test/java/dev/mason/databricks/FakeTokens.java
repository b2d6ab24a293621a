package dev.mason.databricks;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The Token API ({@code /api/2.0/token/create}, {@code list}, {@code delete}) with the SDK's shapes
 * ({@code CreateTokenResponse}: {@code token_value}, {@code token_info} as {@code PublicTokenInfo}
 * with times in epoch milliseconds; {@code ListPublicTokensResponse}: {@code token_infos}). A minted
 * token acts as its creator until it expires or is deleted; a request that arrives with an expired
 * or deleted token is refused with 403 and remembered ({@link #misuses()}), so a test can prove
 * none was ever used. {@link #failCreates} scripts failures of the next creates.
 */
public final class FakeTokens {
  /** A token the fake minted. */
  public record Minted(String id, String value, String user, String comment, Instant created, Instant expires) {}

  /** A request made with a token that was no longer valid. */
  public record Misuse(String path, String tokenId, String why, Instant at) {}

  private final FakeWorkspace fake;
  private final Map<String, Minted> byValue = new ConcurrentHashMap<>();
  private final Set<String> deleted = ConcurrentHashMap.newKeySet();
  private final List<Minted> history = new CopyOnWriteArrayList<>();
  private final List<Misuse> misuses = new CopyOnWriteArrayList<>();
  private final Deque<Integer> scriptedFailures = new ArrayDeque<>();
  private final AtomicInteger ids = new AtomicInteger();

  FakeTokens(FakeWorkspace fake) {
    this.fake = fake;
  }

  void addTo(RoutesConfig routes) {
    routes.post("/api/2.0/token/create", this::create);
    routes.get("/api/2.0/token/list", this::list);
    routes.post("/api/2.0/token/delete", this::delete);
  }

  /** The user of a minted token, or null for one the fake did not mint. Refuses and records a dead one. */
  String userOf(String token, String path) {
    Minted minted = byValue.get(token);
    if (minted == null) {
      return null;
    }
    if (deleted.contains(minted.id())) {
      misuses.add(new Misuse(path, minted.id(), "deleted", Instant.now()));
      throw new FakeError(403, "PERMISSION_DENIED", "Token has been revoked.");
    }
    if (Instant.now().isAfter(minted.expires())) {
      misuses.add(new Misuse(path, minted.id(), "expired", Instant.now()));
      throw new FakeError(403, "PERMISSION_DENIED", "Token is expired.");
    }
    return minted.user();
  }

  /** The next {@code statuses.length} creates answer these statuses (403 PERMISSION_DENIED, 500 INTERNAL_ERROR, ...). */
  public synchronized void failCreates(int... statuses) {
    for (int status : statuses) {
      scriptedFailures.add(status);
    }
  }

  public synchronized int pendingFailures() {
    return scriptedFailures.size();
  }

  public List<Minted> minted() {
    return List.copyOf(history);
  }

  public boolean isDeleted(String tokenId) {
    return deleted.contains(tokenId);
  }

  public List<Misuse> misuses() {
    return List.copyOf(misuses);
  }

  private void create(Context ctx) {
    Integer failure;
    synchronized (this) {
      failure = scriptedFailures.poll();
    }
    if (failure != null) {
      throw failure == 403
          ? new FakeError(403, "PERMISSION_DENIED", "Token creation is disabled for this user.")
          : new FakeError(failure, "INTERNAL_ERROR", "The service is temporarily unavailable.");
    }
    ObjectNode request = FakeWorkspace.body(ctx);
    long lifetime = request.path("lifetime_seconds").asLong(0);
    if (lifetime <= 0) {
      throw FakeError.invalid("lifetime_seconds must be positive");
    }
    Instant now = Instant.now();
    String id = String.format("%064x", ids.incrementAndGet());
    String value = "dapi-minted-" + id.substring(56) + "-" + Long.toHexString(System.nanoTime());
    Minted minted = new Minted(id, value, fake.user(ctx), request.path("comment").asText(null), now, now.plusSeconds(lifetime));
    byValue.put(value, minted);
    history.add(minted);
    ObjectNode body = FakeWorkspace.object().put("token_value", value);
    info(body.putObject("token_info"), minted);
    ctx.json(body);
  }

  private void list(Context ctx) {
    String user = fake.user(ctx);
    ObjectNode body = FakeWorkspace.object();
    ArrayNode infos = body.putArray("token_infos");
    history.stream()
        .filter(t -> t.user().equals(user) && !deleted.contains(t.id()) && Instant.now().isBefore(t.expires()))
        .forEach(t -> info(infos.addObject(), t));
    ctx.json(body);
  }

  private void delete(Context ctx) {
    String id = FakeWorkspace.body(ctx).path("token_id").asText("");
    String user = fake.user(ctx);
    Minted minted = history.stream().filter(t -> t.id().equals(id)).findFirst().orElse(null);
    if (minted == null || !minted.user().equals(user) || deleted.contains(id)) {
      throw FakeError.notFound("Token with id " + id + " does not exist.");
    }
    deleted.add(id);
    ctx.json(FakeWorkspace.object());
  }

  private static void info(ObjectNode node, Minted minted) {
    node.put("token_id", minted.id())
        .put("creation_time", minted.created().toEpochMilli())
        .put("expiry_time", minted.expires().toEpochMilli());
    if (minted.comment() != null) {
      node.put("comment", minted.comment());
    }
  }
}
