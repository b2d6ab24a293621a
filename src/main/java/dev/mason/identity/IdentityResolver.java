package dev.mason.identity;

import dev.mason.web.ApiError;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Establishes the {@link Caller} of a request, in this order: the Databricks Apps proxy's
 * {@code X-Forwarded-*} headers when trusted; a bearer workspace token, resolved through the
 * workspace and cached by a hash of the token; else the local user.
 *
 * <p>Thread-safe: the cache is a concurrent map; a stale entry is simply resolved again.
 */
public final class IdentityResolver {
  static final Duration TOKEN_CACHE_TTL = Duration.ofMinutes(5);
  private static final int TOKEN_CACHE_MAX_ENTRIES = 10_000;

  private final boolean trustForwardedHeaders;
  private final UserDirectory directory;
  private final Supplier<String> localUser;
  private final Clock clock;
  private final Map<String, CachedUser> tokenCache = new ConcurrentHashMap<>();

  private record CachedUser(String user, Instant expires) {}

  /** A token the workspace refused, and why: asked again only after {@link #REJECTED_TTL}. */
  private record Rejection(String reason, Instant expires) {}

  /** Short: a token that was refused because it was not yet valid is not locked out for long. */
  static final java.time.Duration REJECTED_TTL = java.time.Duration.ofSeconds(60);
  private final Map<String, Rejection> rejected = new ConcurrentHashMap<>();

  /**
   * @param directory resolves bearer tokens, or null when no workspace is configured
   * @param localUser the user of requests that carry no identity (memoised by the caller)
   */
  public IdentityResolver(boolean trustForwardedHeaders, UserDirectory directory, Supplier<String> localUser, Clock clock) {
    this.trustForwardedHeaders = trustForwardedHeaders;
    this.directory = directory;
    this.localUser = localUser;
    this.clock = clock;
  }

  /** @param header a request header by name, null when absent */
  public Caller resolve(Function<String, String> header) {
    if (trustForwardedHeaders) {
      String user = firstPresent(header.apply("X-Forwarded-Email"), header.apply("X-Forwarded-User"));
      if (user != null) {
        return new Caller(user, blankToNull(header.apply("X-Forwarded-Access-Token")), Caller.Source.FORWARDED_HEADERS);
      }
    }
    String authorization = blankToNull(header.apply("Authorization"));
    // "Bearer" alone arrives when the token is empty: HTTP trims the trailing space.
    if (authorization != null && authorization.regionMatches(true, 0, "Bearer", 0, 6)
        && (authorization.length() == 6 || authorization.charAt(6) == ' ')) {
      String token = authorization.substring(6).trim();
      if (token.isEmpty()) {
        throw ApiError.unauthorized("the Authorization header has an empty bearer token");
      }
      return new Caller(userForToken(token), token, Caller.Source.BEARER_TOKEN);
    }
    return new Caller(localUser(), null, Caller.Source.LOCAL);
  }

  private String localUser() {
    try {
      return localUser.get();
    } catch (UserDirectory.InvalidTokenException e) {
      throw new ApiError(500, "the workspace rejected DATABRICKS_TOKEN (" + e.getMessage()
          + "), so the local user is unknown; set a valid token or remove it", null);
    } catch (UserDirectory.UnavailableException e) {
      throw new ApiError(502, "the workspace could not say who owns DATABRICKS_TOKEN: " + e.getMessage(), null);
    }
  }

  private String userForToken(String token) {
    if (directory == null) {
      throw ApiError.unauthorized("a bearer token was sent but no Databricks workspace is configured to check it: set DATABRICKS_HOST");
    }
    String key = sha256(token);
    Instant now = clock.instant();
    CachedUser cached = tokenCache.get(key);
    if (cached != null && cached.expires().isAfter(now)) {
      return cached.user();
    }
    Rejection refusal = rejected.get(key);
    if (refusal != null && refusal.expires().isAfter(now)) {
      throw ApiError.unauthorized(refusal.reason());
    }
    String user;
    try {
      user = directory.userNameFor(token);
    } catch (UserDirectory.InvalidTokenException e) {
      String reason = "the workspace rejected the bearer token: " + e.getMessage();
      if (rejected.size() >= TOKEN_CACHE_MAX_ENTRIES) {
        rejected.values().removeIf(entry -> !entry.expires().isAfter(now));
      }
      rejected.put(key, new Rejection(reason, now.plus(REJECTED_TTL)));
      throw ApiError.unauthorized(reason);
    } catch (UserDirectory.UnavailableException e) {
      throw new ApiError(502, "the workspace could not check the bearer token: " + e.getMessage(), null);
    }
    if (tokenCache.size() >= TOKEN_CACHE_MAX_ENTRIES) {
      tokenCache.values().removeIf(entry -> !entry.expires().isAfter(now));
    }
    tokenCache.put(key, new CachedUser(user, now.plus(TOKEN_CACHE_TTL)));
    return user;
  }

  private static String firstPresent(String a, String b) {
    return blankToNull(a) != null ? a.trim() : blankToNull(b) != null ? b.trim() : null;
  }

  private static String blankToNull(String s) {
    return s == null || s.isBlank() ? null : s.trim();
  }

  private static String sha256(String token) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
