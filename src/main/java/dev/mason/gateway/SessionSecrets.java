package dev.mason.gateway;

import dev.mason.common.Sha256;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The per-session secrets CLIs in a terminal use as their key to the gateway and the metadata
 * service: 256 random bits each, valid from the moment a shell starts until its session ends.
 * A secret is never a workspace token and grants nothing but the owner's gateway routes.
 *
 * <p>Only a hash of each secret is kept as the lookup key, so a secret is never compared
 * character by character. Thread-safe (concurrent maps).
 */
public final class SessionSecrets {
  private static final SecureRandom RANDOM = new SecureRandom();
  static final String PREFIX = "mason-session-";

  /** Whose session a secret opens. */
  record Holder(String sessionId, String user) {}

  private final Map<String, Holder> byHash = new ConcurrentHashMap<>();
  private final Map<String, String> hashBySession = new ConcurrentHashMap<>();

  /** A new secret for {@code sessionId}, replacing any it had. */
  String issue(String sessionId, String user) {
    byte[] bytes = new byte[32];
    RANDOM.nextBytes(bytes);
    String secret = PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    String hash = hash(secret);
    String previous = hashBySession.put(sessionId, hash);
    if (previous != null) {
      byHash.remove(previous);
    }
    byHash.put(hash, new Holder(sessionId, user));
    return secret;
  }

  /** The session ended: its secret opens nothing from now on. */
  void revoke(String sessionId) {
    String hash = hashBySession.remove(sessionId);
    if (hash != null) {
      byHash.remove(hash);
    }
  }

  Optional<Holder> find(String secret) {
    if (secret == null || !secret.startsWith(PREFIX)) {
      return Optional.empty();
    }
    return Optional.ofNullable(byHash.get(hash(secret)));
  }

  int live() {
    return byHash.size();
  }

  private static String hash(String secret) {
    return Sha256.hex(secret);
  }
}
