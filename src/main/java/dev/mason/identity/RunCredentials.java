package dev.mason.identity;

import dev.mason.common.Sha256;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Secrets Mason issues to a process it runs for a user (the Claude Code runtime's CLI), each
 * opening one door as that user: Mason's model gateway ({@link Scope#MODELS}) or Mason's
 * {@code /mcp} ({@link Scope#MCP}). A secret is never a workspace token; it is valid while the
 * process lives, and {@link #update} keeps the caller's latest token behind it, so a forwarded
 * token that was refreshed reaches the workspace while the process goes on.
 *
 * <p>Only a hash of each secret is the lookup key, so a secret is never compared character by
 * character. Thread-safe (concurrent maps).
 */
public final class RunCredentials {
  private static final SecureRandom RANDOM = new SecureRandom();
  public static final String PREFIX = "mason-run-";

  public enum Scope { MODELS, MCP }

  private record Holder(String key, Scope scope) {}

  private final Map<String, Holder> byHash = new ConcurrentHashMap<>();
  private final Map<String, Caller> callers = new ConcurrentHashMap<>();
  private final Map<String, String> hashByKeyScope = new ConcurrentHashMap<>();

  /** A new secret for {@code key}'s process, replacing the one it had for this scope. */
  public String issue(String key, Scope scope, Caller caller) {
    byte[] bytes = new byte[32];
    RANDOM.nextBytes(bytes);
    String secret = PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    String hash = hash(secret);
    String previous = hashByKeyScope.put(key + "/" + scope, hash);
    if (previous != null) {
      byHash.remove(previous);
    }
    byHash.put(hash, new Holder(key, scope));
    callers.put(key, caller);
    return secret;
  }

  /** The caller behind {@code key}'s secrets from now on: the same user, with their latest token. */
  public void update(String key, Caller caller) {
    callers.computeIfPresent(key, (k, previous) -> previous.user().equals(caller.user()) ? caller : previous);
  }

  /** The process ended: its secrets open nothing from now on. */
  public void revoke(String key) {
    for (Scope scope : Scope.values()) {
      String hash = hashByKeyScope.remove(key + "/" + scope);
      if (hash != null) {
        byHash.remove(hash);
      }
    }
    callers.remove(key);
  }

  /** Whom {@code secret} acts as, when it is a live secret of {@code scope}. */
  public Optional<Caller> find(String secret, Scope scope) {
    if (secret == null || !secret.startsWith(PREFIX)) {
      return Optional.empty();
    }
    Holder holder = byHash.get(hash(secret));
    if (holder == null || holder.scope() != scope) {
      return Optional.empty();
    }
    return Optional.ofNullable(callers.get(holder.key()));
  }

  private static String hash(String secret) {
    return Sha256.hex(secret);
  }
}
