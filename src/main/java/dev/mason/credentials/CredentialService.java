package dev.mason.credentials;

import dev.mason.common.Refusal;
import dev.mason.common.Sha256;
import dev.mason.credentials.WorkspaceTokens.Minted;
import dev.mason.credentials.WorkspaceTokens.WorkspaceCallException;
import dev.mason.identity.TokenSuccession;
import java.net.http.HttpClient;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The terminal owner's workspace credential, in memory only: the owner's own token (pasted in the
 * terminal page, or from Mason's environment), and the short-lived tokens Mason mints from it and
 * rotates ({@link TokenRotator}) whatever the number of open sessions. Everything that calls the
 * workspace for a terminal (the model gateway, the metadata service) asks {@link #current()} at
 * the moment it calls, so a rotation is seen by the very next request and no token is cached
 * anywhere else.
 *
 * <p>Tokens are minted with the newest minted token while it is valid, else with the owner's own,
 * so a pasted token with a short lifetime is only needed once. A replaced token is revoked after a
 * grace period ({@link TokenRevoker}), and only one Mason minted itself: the owner's own token is
 * never revoked.
 *
 * <p>Thread-safe: the credential state is guarded by {@link #lock}, which no workspace call is
 * made under; rotations are serialised by a second lock, {@link #rotation}, so two never race.
 */
public final class CredentialService implements TokenSuccession, AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(CredentialService.class);
  /** A minted token this close to its expiry is not used to mint the next one. */
  private static final Duration MINT_MARGIN = Duration.ofSeconds(2);
  /** Replaced tokens remembered: far more than live within a token's lifetime at any interval that makes sense. */
  private static final int REPLACED_KEPT = 512;

  /** The owner's own credential. */
  private record Base(String source, Supplier<String> bearer, String user) {}

  /**
   * A token to call the workspace with now.
   *
   * @param expiresAt when it expires; null when unknown (the owner's own token)
   * @param refreshBy when a client that keeps it should ask again: its next rotation, after which
   *     it is revoked within the grace period; null when unknown
   */
  public record AccessToken(String value, Instant expiresAt, Instant refreshBy) {
    @Override
    public String toString() {
      return "AccessToken[expiresAt=" + expiresAt + "]";
    }
  }

  /** The answer to a paste: whose token it is, and whether it replaced one. */
  public record Configured(String user, boolean replaced) {}

  private final CredentialSettings settings;
  private final WorkspaceTokens workspace;
  private final Supplier<String> owner;
  private final EnvironmentCredential environment;
  private final Clock clock;
  private final TokenRevoker revoker;
  private final TokenRotator rotator;
  /** Guards the credential state below; never held across a workspace call, so {@link #current()} never waits on one. */
  private final ReentrantLock lock = new ReentrantLock();
  /** Serialises rotations (a paste and the rotator's turn), held across the mint. */
  private final ReentrantLock rotation = new ReentrantLock();
  /** Guarded by {@link #lock}. */
  private Base base;
  private Minted current;
  /** SHA-256 of the tokens this Mason minted and replaced since, oldest first: each stands for {@link #current}. */
  private final LinkedHashSet<String> replacedHashes = new LinkedHashSet<>();
  private Instant lastRotation;
  private int rotations;
  private int failures;
  private String error;
  /** The owner's credential was refused (401 or 403) while no minted token was left: a paste is needed. */
  private boolean baseRefused;

  /** Where the owner's credential comes from when nobody pastes one: {@code DATABRICKS_TOKEN} or a CLI profile. */
  public record EnvironmentCredential(String source, Supplier<String> bearer) {}

  /**
   * @param host the workspace URL, or null when none is configured (then nothing can be pasted)
   * @param owner the terminal owner's user name; a credential must belong to them
   * @param environment the credential from Mason's environment, or null
   */
  public CredentialService(CredentialSettings settings, String host, Supplier<String> owner, EnvironmentCredential environment,
      HttpClient http, Clock clock) {
    this.settings = settings;
    this.workspace = host == null ? null : new WorkspaceTokens(host, http);
    this.owner = owner;
    this.environment = environment;
    this.clock = clock;
    this.revoker = new TokenRevoker(workspace, this::mintingTokenOrNull);
    this.rotator = new TokenRotator(this, settings);
  }

  /** Starts the rotator; it takes the environment's credential first, when there is one. */
  public void start() {
    if (workspace != null) {
      rotator.start();
    }
  }

  /** The workspace URL, or null. */
  public String host() {
    return workspace == null ? null : workspace.host();
  }

  /** The token to call the workspace with for the owner now; empty when there is none that is valid. */
  public Optional<AccessToken> current() {
    Base own;
    lock.lock();
    try {
      Instant now = clock.instant();
      if (current != null && current.expiresAt().isAfter(now)) {
        Instant next = lastRotation.plus(settings.rotationInterval());
        Instant refreshBy = next.isAfter(now) && next.isBefore(current.expiresAt()) ? next : current.expiresAt();
        return Optional.of(new AccessToken(current.value(), current.expiresAt(), refreshBy));
      }
      own = base != null && !baseRefused ? base : null;
    } finally {
      lock.unlock();
    }
    // Outside the lock: a profile's credential may be refreshed over the network.
    return own == null ? Optional.empty() : Optional.of(new AccessToken(own.bearer().get(), null, null));
  }

  /** The owner's user name when a credential is configured, else null. */
  public String user() {
    lock.lock();
    try {
      return base == null ? null : base.user();
    } finally {
      lock.unlock();
    }
  }

  /**
   * Takes a token the owner pasted: checked against the workspace (SCIM Me), it must be the
   * owner's; then a first token is minted from it at once.
   *
   * @throws Refusal 400 for a token the workspace refuses or someone else's; 503 without a workspace
   */
  public Configured configure(String token) {
    if (workspace == null) {
      throw new Refusal(503, "no workspace configured: set DATABRICKS_HOST", null);
    }
    String user = checkedUser(token, "token");
    boolean replaced;
    lock.lock();
    try {
      replaced = base != null;
      base = new Base("pasted", () -> token, user);
      baseRefused = false;
    } finally {
      lock.unlock();
    }
    log.info("Workspace credential {} for {}: minting a token from it", replaced ? "replaced" : "pasted", user);
    rotateOnce();
    rotator.wake();
    return new Configured(user, replaced);
  }

  public PatStatus status() {
    Optional<AccessToken> now = current();
    lock.lock();
    try {
      return new PatStatus(base != null, now.isPresent(), base == null ? null : base.user(), host(),
          base == null ? null : base.source(), now.map(AccessToken::expiresAt).orElse(null), lastRotation, rotations, failures, error);
    } finally {
      lock.unlock();
    }
  }

  /** The owner of {@code token}, who must be the terminal owner; the refusal names both users. */
  private String checkedUser(String token, String field) {
    String user;
    try {
      user = workspace.userOf(token);
    } catch (WorkspaceCallException e) {
      if (e.status == 401 || e.status == 403) {
        throw Refusal.badRequest(field, "Invalid token: " + e.getMessage());
      }
      throw new Refusal(502, "Token validation failed: " + e.getMessage(), field);
    }
    String ownerName = ownerName();
    if (!user.toLowerCase(Locale.ROOT).equals(ownerName)) {
      throw Refusal.badRequest(field, "This token belongs to " + user + ", but the terminals on this app belong to "
          + ownerName + ". Paste a token of " + ownerName + ".");
    }
    return user;
  }

  private String ownerName() {
    String name;
    try {
      name = owner.get();
    } catch (RuntimeException e) {
      throw new Refusal(503, "the app's owner cannot be established, so no credential can be accepted; set APP_OWNER", null);
    }
    if (name == null || name.isBlank()) {
      throw new Refusal(503, "the app's owner is unknown, so no credential can be accepted; set APP_OWNER", null);
    }
    return name.trim().toLowerCase(Locale.ROOT);
  }

  /** Called by the rotator before its first rotation: takes the environment's credential unless one was pasted. */
  void adoptEnvironmentCredential() {
    if (environment == null || workspace == null) {
      return;
    }
    lock.lock();
    try {
      if (base != null) {
        return;
      }
    } finally {
      lock.unlock();
    }
    String user;
    try {
      user = checkedUser(environment.bearer().get(), environment.source());
    } catch (RuntimeException e) {
      recordFailure("the " + environment.source() + " credential cannot be used: " + e.getMessage());
      return;
    }
    lock.lock();
    try {
      if (base == null) {
        base = new Base(environment.source(), environment.bearer(), user);
      }
    } finally {
      lock.unlock();
    }
  }

  boolean hasBase() {
    lock.lock();
    try {
      return base != null;
    } finally {
      lock.unlock();
    }
  }

  /**
   * The current minted token for one this Mason minted and replaced since (held by work that
   * started before the rotation), else {@code token} itself.
   */
  @Override
  public String current(String token) {
    if (token == null) {
      return null;
    }
    String hashed = Sha256.hex(token);
    lock.lock();
    try {
      return current != null && replacedHashes.contains(hashed) ? current.value() : token;
    } finally {
      lock.unlock();
    }
  }

  /**
   * Mints the next token and makes it current; the one it replaces is revoked after the grace.
   *
   * @return whether it worked (a failure is recorded for {@link #status()})
   */
  boolean rotateOnce() {
    rotation.lock();
    try {
      Base minter;
      boolean withBase;
      lock.lock();
      try {
        if (base == null) {
          return false;
        }
        minter = base;
        withBase = current == null || !current.expiresAt().isAfter(clock.instant().plus(MINT_MARGIN));
      } finally {
        lock.unlock();
      }
      String minting = withBase ? minter.bearer().get() : currentValue();
      Minted next;
      try {
        next = workspace.create(minting, settings.tokenLifetime(), settings.tokenComment());
      } catch (WorkspaceCallException e) {
        boolean refused = withBase && (e.status == 401 || e.status == 403);
        recordRotationFailure(e.getMessage() + (refused ? "; the " + minter.source() + " token was refused, paste a new one" : ""), refused);
        return false;
      } catch (RuntimeException e) {
        recordRotationFailure(e.getMessage(), false);
        return false;
      }
      Minted replaced;
      lock.lock();
      try {
        replaced = current;
        current = next;
        if (replaced != null) {
          replacedHashes.add(Sha256.hex(replaced.value()));
          if (replacedHashes.size() > REPLACED_KEPT) {
            replacedHashes.removeFirst();
          }
        }
        lastRotation = clock.instant();
        rotations++;
        if (failures > 0) {
          log.info("Token rotation works again after {} failures", failures);
        }
        failures = 0;
        error = null;
        baseRefused = false;
      } finally {
        lock.unlock();
      }
      revoker.minted(next);
      if (replaced != null) {
        revoker.revokeLater(replaced, settings.revocationGrace());
      }
      log.debug("Rotated the workspace token: {} replaces {}", next.id(), replaced == null ? "none" : replaced.id());
      return true;
    } finally {
      rotation.unlock();
    }
  }

  private String currentValue() {
    lock.lock();
    try {
      return current.value();
    } finally {
      lock.unlock();
    }
  }

  private void recordRotationFailure(String reason, boolean baseWasRefused) {
    lock.lock();
    try {
      failures++;
      error = "rotation failed (" + failures + " in a row): " + reason;
      baseRefused |= baseWasRefused;
      log.warn("Token rotation failed ({} in a row): {}", failures, reason);
    } finally {
      lock.unlock();
    }
  }

  int failures() {
    lock.lock();
    try {
      return failures;
    } finally {
      lock.unlock();
    }
  }

  private void recordFailure(String message) {
    lock.lock();
    try {
      failures++;
      error = message;
    } finally {
      lock.unlock();
    }
    log.warn("Workspace credential: {}", message);
  }

  private String mintingTokenOrNull() {
    return current().map(AccessToken::value).orElse(null);
  }

  /** Stops rotating and revokes every token Mason minted that is still alive, bounded. */
  @Override
  public void close() {
    rotator.close();
    revoker.close();
  }
}
