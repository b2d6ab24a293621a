package dev.mason.credentials;

import dev.mason.env.ConfigException;
import java.time.Duration;
import java.util.Objects;

/**
 * How the terminal owner's workspace credential is kept.
 *
 * @param tokenLifetime the lifetime of each token Mason mints ({@code PAT_TOKEN_LIFETIME}, seconds)
 * @param rotationInterval how often a new token is minted, whatever the number of sessions
 *     ({@code PAT_ROTATION_INTERVAL}, seconds); shorter than the lifetime, so a token is always
 *     replaced before it expires
 * @param profile a Databricks CLI profile to take the owner's credential from when no
 *     {@code DATABRICKS_TOKEN} is set ({@code DATABRICKS_CONFIG_PROFILE}); null for none
 * @param appName named in the comment of every minted token ({@code DATABRICKS_APP_NAME}); null locally
 */
public record CredentialSettings(Duration tokenLifetime, Duration rotationInterval, String profile, String appName) {
  public static final Duration DEFAULT_TOKEN_LIFETIME = Duration.ofSeconds(900);
  public static final Duration DEFAULT_ROTATION_INTERVAL = Duration.ofSeconds(600);

  public CredentialSettings {
    Objects.requireNonNull(tokenLifetime, "tokenLifetime");
    Objects.requireNonNull(rotationInterval, "rotationInterval");
    if (tokenLifetime.compareTo(Duration.ofSeconds(1)) < 0) {
      throw new ConfigException("PAT_TOKEN_LIFETIME", "must be at least 1 second");
    }
    if (rotationInterval.compareTo(Duration.ofMillis(100)) < 0) {
      throw new ConfigException("PAT_ROTATION_INTERVAL", "must be at least 0.1 seconds");
    }
    if (rotationInterval.compareTo(tokenLifetime) >= 0) {
      throw new ConfigException("PAT_ROTATION_INTERVAL", "must be shorter than PAT_TOKEN_LIFETIME (" + tokenLifetime.toSeconds()
          + " s), so that every token is replaced before it expires");
    }
    profile = profile == null || profile.isBlank() ? null : profile.trim();
    appName = appName == null || appName.isBlank() ? null : appName.trim();
  }

  /** The comment on every token Mason mints: it names Mason and the app, so the owner can tell them apart in the token list. */
  String tokenComment() {
    return "Mason terminal credential" + (appName == null ? "" : " (app " + appName + ")") + ", rotated automatically";
  }

  /**
   * How long a replaced token stays valid for requests already in flight before Mason revokes it:
   * half an interval, at most 30 s, so it is gone before the next rotation.
   */
  Duration revocationGrace() {
    Duration half = rotationInterval.dividedBy(2);
    return half.compareTo(Duration.ofSeconds(30)) > 0 ? Duration.ofSeconds(30) : half;
  }
}
