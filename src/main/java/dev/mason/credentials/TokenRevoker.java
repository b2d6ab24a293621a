package dev.mason.credentials;

import dev.mason.credentials.WorkspaceTokens.Minted;
import dev.mason.credentials.WorkspaceTokens.WorkspaceCallException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Revokes the tokens Mason minted once they are replaced, after a grace period for requests
 * already in flight. Only an id this revoker saw minted ({@link #minted}) is ever revoked: the
 * owner's own token, or any other token in the workspace, cannot be. A failed revocation is tried
 * again a few times with backoff; a token that still cannot be revoked expires by itself within
 * its short lifetime.
 *
 * <p>Thread-safe: the minted ids live in a concurrent map; revocations run on one named thread.
 */
final class TokenRevoker implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(TokenRevoker.class);
  private static final int ATTEMPTS = 4;
  private static final Duration FIRST_RETRY = Duration.ofMillis(500);
  private static final Duration CLOSE_LIMIT = Duration.ofSeconds(3);

  private final WorkspaceTokens workspace;
  /** The token to revoke with: the newest valid one, or null when there is none. */
  private final Supplier<String> caller;
  /** Minted by Mason and not yet revoked, by token id. */
  private final Map<String, Minted> alive = new ConcurrentHashMap<>();
  private final ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor(
      Thread.ofPlatform().daemon().name("pat-revoker").factory());

  TokenRevoker(WorkspaceTokens workspace, Supplier<String> caller) {
    this.workspace = workspace;
    this.caller = caller;
  }

  void minted(Minted token) {
    alive.put(token.id(), token);
  }

  /** Revokes {@code token} after {@code grace}, if Mason minted it. */
  void revokeLater(Minted token, Duration grace) {
    if (!alive.containsKey(token.id())) {
      log.warn("Not revoking token {}: Mason did not mint it", token.id());
      return;
    }
    executor.schedule(() -> revoke(token, 1), grace.toMillis(), TimeUnit.MILLISECONDS);
  }

  private void revoke(Minted token, int attempt) {
    if (!alive.containsKey(token.id())) {
      return;
    }
    String with = caller.get();
    try {
      if (with == null) {
        throw new WorkspaceCallException(0, "no valid token to revoke it with", null);
      }
      workspace.delete(with, token.id());
      alive.remove(token.id());
      log.debug("Revoked replaced token {}", token.id());
    } catch (WorkspaceCallException e) {
      if (e.status == 404) {
        alive.remove(token.id()); // already gone
        return;
      }
      if (attempt >= ATTEMPTS) {
        log.warn("Could not revoke token {} after {} attempts ({}); it expires at {}", token.id(), attempt, e.getMessage(),
            token.expiresAt());
        alive.remove(token.id());
        return;
      }
      long delay = FIRST_RETRY.toMillis() << (attempt - 1);
      if (!executor.isShutdown()) {
        executor.schedule(() -> revoke(token, attempt + 1), delay, TimeUnit.MILLISECONDS);
      }
    }
  }

  /** Revokes what is still alive (the current token too: nothing uses it after Mason stops), within a limit. */
  @Override
  public void close() {
    executor.shutdownNow();
    if (workspace == null) {
      return;
    }
    String with = caller.get();
    long deadline = System.nanoTime() + CLOSE_LIMIT.toNanos();
    for (Minted token : List.copyOf(alive.values())) {
      if (with == null || System.nanoTime() > deadline) {
        log.warn("Stopping: {} minted tokens left to expire by themselves", alive.size());
        return;
      }
      try {
        workspace.delete(with, token.id());
        alive.remove(token.id());
      } catch (WorkspaceCallException e) {
        log.debug("Revoking token {} at shutdown failed: {}", token.id(), e.getMessage());
      }
    }
  }
}
