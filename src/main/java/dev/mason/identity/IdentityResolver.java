package dev.mason.identity;

import dev.mason.common.Refusal;
import dev.mason.common.Sha256;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Establishes the {@link Caller} of a request, in this order: the Databricks Apps proxy's
 * identity headers when trusted; a bearer workspace token, resolved through the workspace and
 * cached by a hash of the token; else the local user, except on Databricks Apps, where a request
 * without an identity is refused.
 *
 * <p>A forwarded identity is believed only together with the user's forwarded access token when
 * one is sent (and, where {@link Rules#requireForwardedToken}, only with one): the token's owner,
 * asked of the workspace, must be the user the headers name. Any process that reaches Mason's
 * port can send the headers; only the proxy has the user's token.
 *
 * <p>Thread-safe: the cache is a concurrent map; a stale entry is simply resolved again.
 */
public final class IdentityResolver {
  /** The headers that name the user, first present wins: the Apps proxy's, and the one the terminal reference also honours. */
  static final List<String> IDENTITY_HEADERS = List.of("X-Forwarded-Email", "X-Forwarded-User", "X-Databricks-User-Email");

  /**
   * @param trustForwardedHeaders believe the proxy's identity headers at all
   * @param requireForwardedToken believe them only with the user's forwarded access token
   * @param onDatabricksApps a request without any identity is refused (401) instead of being the local user
   */
  public record Rules(boolean trustForwardedHeaders, boolean requireForwardedToken, boolean onDatabricksApps) {
    /** A local Mason: forwarded headers believed or not, nothing required. */
    public static Rules local(boolean trustForwardedHeaders) {
      return new Rules(trustForwardedHeaders, false, false);
    }
  }

  static final Duration TOKEN_CACHE_TTL = Duration.ofMinutes(5);
  private static final int TOKEN_CACHE_MAX_ENTRIES = 10_000;

  private final Rules rules;
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
  public IdentityResolver(Rules rules, UserDirectory directory, Supplier<String> localUser, Clock clock) {
    this.rules = rules;
    this.directory = directory;
    this.localUser = localUser;
    this.clock = clock;
  }

  /** @param header a request header by name (any case), null when absent */
  public Caller resolve(Function<String, String> header) {
    if (rules.trustForwardedHeaders()) {
      String user = IDENTITY_HEADERS.stream().map(name -> blankToNull(header.apply(name))).filter(Objects::nonNull).findFirst().orElse(null);
      if (user != null) {
        String token = blankToNull(header.apply("X-Forwarded-Access-Token"));
        checkForwarded(user, token);
        return new Caller(user, token, Caller.Source.FORWARDED_HEADERS);
      }
    }
    String authorization = blankToNull(header.apply("Authorization"));
    // "Bearer" alone arrives when the token is empty: HTTP trims the trailing space.
    if (authorization != null && authorization.regionMatches(true, 0, "Bearer", 0, 6)
        && (authorization.length() == 6 || authorization.charAt(6) == ' ')) {
      String token = authorization.substring(6).trim();
      if (token.isEmpty()) {
        throw Refusal.unauthorized("the Authorization header has an empty bearer token");
      }
      return new Caller(userForToken(token, "bearer token"), token, Caller.Source.BEARER_TOKEN);
    }
    if (rules.onDatabricksApps()) {
      throw Refusal.unauthorized("the request names no user: on Databricks Apps every request comes through the "
          + "Apps proxy, which sets X-Forwarded-Email, or carries Authorization: Bearer <workspace token>");
    }
    return new Caller(localUser(), null, Caller.Source.LOCAL);
  }

  /** The forwarded token, when there is one, must be the named user's own. */
  private void checkForwarded(String user, String token) {
    if (token == null) {
      if (rules.requireForwardedToken()) {
        throw Refusal.unauthorized("the identity headers name " + user + " but carry no X-Forwarded-Access-Token, so "
            + "nothing shows they come from the Apps proxy (enable user authorization for the app)");
      }
      return;
    }
    if (directory == null) {
      if (rules.requireForwardedToken()) {
        throw Refusal.unauthorized("a forwarded access token was sent but no Databricks workspace is configured to check it: set DATABRICKS_HOST");
      }
      return; // Nothing to check it with, and nothing to use it for: believed as the headers alone would be.
    }
    String owner = userForToken(token, "forwarded access token");
    if (!owner.equalsIgnoreCase(user)) {
      throw Refusal.unauthorized("the forwarded access token is not " + user + "'s; identity headers and token must name the same user");
    }
  }

  private String localUser() {
    try {
      return localUser.get();
    } catch (UserDirectory.InvalidTokenException e) {
      throw new Refusal(500, "the workspace rejected DATABRICKS_TOKEN (" + e.getMessage()
          + "), so the local user is unknown; set a valid token or remove it", null);
    } catch (UserDirectory.UnavailableException e) {
      throw new Refusal(502, "the workspace could not say who owns DATABRICKS_TOKEN: " + e.getMessage(), null);
    }
  }

  /** @param what how the token came, for messages */
  private String userForToken(String token, String what) {
    if (directory == null) {
      throw Refusal.unauthorized("a bearer token was sent but no Databricks workspace is configured to check it: set DATABRICKS_HOST");
    }
    String key = sha256(token);
    Instant now = clock.instant();
    CachedUser cached = tokenCache.get(key);
    if (cached != null && cached.expires().isAfter(now)) {
      return cached.user();
    }
    Rejection refusal = rejected.get(key);
    if (refusal != null && refusal.expires().isAfter(now)) {
      throw Refusal.unauthorized(refusal.reason());
    }
    String user;
    try {
      user = directory.userNameFor(token);
    } catch (UserDirectory.InvalidTokenException e) {
      String reason = "the workspace rejected the " + what + ": " + e.getMessage();
      if (rejected.size() >= TOKEN_CACHE_MAX_ENTRIES) {
        rejected.values().removeIf(entry -> !entry.expires().isAfter(now));
      }
      rejected.put(key, new Rejection(reason, now.plus(REJECTED_TTL)));
      throw Refusal.unauthorized(reason);
    } catch (UserDirectory.UnavailableException e) {
      throw new Refusal(502, "the workspace could not check the " + what + ": " + e.getMessage(), null);
    }
    if (tokenCache.size() >= TOKEN_CACHE_MAX_ENTRIES) {
      tokenCache.values().removeIf(entry -> !entry.expires().isAfter(now));
    }
    tokenCache.put(key, new CachedUser(user, now.plus(TOKEN_CACHE_TTL)));
    return user;
  }

  private static String blankToNull(String s) {
    return s == null || s.isBlank() ? null : s.trim();
  }

  private static String sha256(String token) {
    return Sha256.hex(token);
  }
}
