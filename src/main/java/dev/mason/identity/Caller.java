package dev.mason.identity;

import java.util.Objects;

/**
 * Who is calling, and the credential to act for them.
 *
 * @param user the user's name, normally an email; owner of everything they create
 * @param accessToken the user's own workspace token for on-behalf-of calls (forwarded by the
 *     Databricks Apps proxy, or the bearer token they presented), or null when the calls go out
 *     with Mason's own workspace credentials. Never logged: {@link #toString()} masks it.
 * @param source how the user was established
 */
public record Caller(String user, String accessToken, Source source) {
  public enum Source { FORWARDED_HEADERS, BEARER_TOKEN, LOCAL }

  public Caller {
    Objects.requireNonNull(user, "user");
    Objects.requireNonNull(source, "source");
  }

  @Override
  public String toString() {
    return "Caller[" + user + " via " + source + (accessToken == null ? "" : ", token ****") + "]";
  }
}
