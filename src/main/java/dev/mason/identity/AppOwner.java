package dev.mason.identity;

import dev.mason.common.Refusal;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The app's owner: the one user who may open terminals (a shell is full access to the machine
 * Mason runs on) and reload the skill catalog every user shares.
 *
 * <p>Who it is: {@code APP_OWNER} when set; on Databricks Apps otherwise the app's creator, read
 * through the Apps API by {@link AppOwnerLookup} in the background until the workspace answers;
 * elsewhere the local user (the owner of {@code DATABRICKS_TOKEN}, or {@code local}). Until the
 * owner is known, {@link #check} refuses everyone with the reason and what to set.
 *
 * <p>Thread-safe: the lookup publishes the owner through a volatile field.
 */
public final class AppOwner implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(AppOwner.class);

  /** The owner's name in lower case, or null while unknown; then {@link #why} says why. */
  private volatile String name;
  private volatile String why;
  /** The user authorization scopes the Apps API gave for the app; empty until it answered, or off Apps. */
  private volatile List<String> userApiScopes = List.of();
  /** {@code APP_OWNER} on Apps, where the lookup still reads the app's scopes; null when the creator owns it. */
  private final String fixedOwner;
  private final Supplier<String> resolveOnDemand;
  private final AppOwnerLookup lookup;

  private AppOwner(String name, String why, Supplier<String> resolveOnDemand, AppOwnerLookup lookup) {
    this.fixedOwner = name;
    this.name = name;
    this.why = why;
    this.resolveOnDemand = resolveOnDemand;
    this.lookup = lookup;
  }

  /** {@code APP_OWNER}. */
  public static AppOwner named(String owner) {
    return new AppOwner(normalize(owner), null, null, null);
  }

  /** A local Mason's owner: its local user, asked on each use until it answers (the workspace may be down at first). */
  public static AppOwner localUser(Supplier<String> localUser) {
    return new AppOwner(null, "the local user is not known yet", localUser, null);
  }

  /** On Databricks Apps without {@code APP_OWNER} and without a way to find the creator: nobody. */
  public static AppOwner unknown(String why) {
    return new AppOwner(null, why, null, null);
  }

  /**
   * The creator of {@code appName}, looked up in the background now and retried with growing
   * pauses (from {@code firstRetry} up to {@code maxRetry}) until the workspace answers.
   */
  public static AppOwner creatorOf(String appName, AppDirectory apps, Duration firstRetry, Duration maxRetry) {
    return readFrom(null, appName, apps, firstRetry, maxRetry);
  }

  /**
   * {@code owner} (APP_OWNER) on Databricks Apps: the owner is decided, and the app's user
   * authorization scopes are still read in the background.
   */
  public static AppOwner namedOnApps(String owner, String appName, AppDirectory apps, Duration firstRetry, Duration maxRetry) {
    return readFrom(normalize(owner), appName, apps, firstRetry, maxRetry);
  }

  private static AppOwner readFrom(String fixed, String appName, AppDirectory apps, Duration firstRetry, Duration maxRetry) {
    AppOwner owner = new AppOwner(fixed, "the creator of app '" + appName + "' is being read through the Apps API", null,
        new AppOwnerLookup(appName, apps, firstRetry, maxRetry));
    owner.lookup.start(owner);
    return owner;
  }

  /** Called by the lookup. */
  void known(AppDirectory.App app) {
    userApiScopes = app.userApiScopes();
    if (fixedOwner == null) {
      name = normalize(app.creator());
      log.info("The app's owner is {}", name);
    }
  }

  /**
   * Whether users grant the app {@code scope} when it acts for them (Databricks Apps user
   * authorization), as far as the Apps API has said; false until it has.
   */
  public boolean grantsUserScope(String scope) {
    return userApiScopes.contains(scope);
  }

  /** Called by the lookup after a failed attempt. */
  void unknownBecause(String reason) {
    why = reason;
  }

  /**
   * @return the owner's name, lower case
   * @throws Refusal 403 saying why the owner is unknown and what to set
   */
  private String require() {
    String known = name;
    if (known != null) {
      return known;
    }
    if (resolveOnDemand != null) {
      try {
        String resolved = resolveOnDemand.get();
        if (resolved != null && !resolved.isBlank()) {
          return normalize(resolved);
        }
      } catch (RuntimeException e) {
        throw Refusal.forbidden("The app's owner cannot be established (" + e.getMessage()
            + "), so this is closed to everyone. Set APP_OWNER to the owner's email.");
      }
    }
    throw Refusal.forbidden("The app's owner is not known yet: " + why
        + ". Until it is, this is closed to everyone. Set APP_OWNER to the owner's email to decide it now.");
  }

  /**
   * The owner's name, lower case, for parts that act for the owner (the terminals' credential).
   *
   * @throws Refusal 403 saying why the owner is unknown and what to set
   */
  public String current() {
    return require();
  }

  /** @throws Refusal 403 for anyone but the owner, naming both; or why the owner is unknown */
  public void check(Caller caller, String what) {
    String owner = require();
    String user = normalize(caller.user());
    if (!user.equals(owner)) {
      throw Refusal.forbidden(what + " on this app belong to " + owner + ". You are signed in as " + user + ".");
    }
  }

  private static String normalize(String user) {
    return user.trim().toLowerCase(Locale.ROOT);
  }

  @Override
  public void close() {
    if (lookup != null) {
      lookup.stop();
    }
  }
}
