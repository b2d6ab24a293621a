package dev.mason.web;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.List;
import java.util.Locale;

/**
 * Which browser pages may talk to Mason: a page from the host it talks to ({@code Host}, which a
 * page cannot set; or, behind the Databricks Apps proxy only, the host the proxy forwards) or
 * from a configured origin. The one rule of the request guard and of the terminal room.
 *
 * @param allowed origins such as {@code https://a.example.com}, lower case without a trailing slash
 * @param trustForwardedHost whether {@code X-Forwarded-Host} names Mason (on Databricks Apps,
 *     where no page reaches Mason but through the proxy)
 */
public record PageOrigins(List<String> allowed, boolean trustForwardedHost) {
  public PageOrigins {
    allowed = List.copyOf(allowed);
  }

  /**
   * @param origin the request's {@code Origin} header
   * @param host its {@code Host} header, or null
   * @param forwardedHost its {@code X-Forwarded-Host} header, or null
   */
  public boolean allows(String origin, String host, String forwardedHost) {
    String normalized = origin.trim().replaceAll("/+$", "").toLowerCase(Locale.ROOT);
    if (allowed.contains(normalized)) {
      return true;
    }
    String authority = authorityOf(normalized);
    if (authority == null) {
      return false; // "null" (a sandboxed frame, a file:// page) and anything malformed
    }
    return authority.equals(lower(host))
        || trustForwardedHost && forwardedHost != null && authority.equals(lower(forwardedHost.split(",")[0]));
  }

  private static String authorityOf(String origin) {
    try {
      URI uri = new URI(origin);
      return uri.getScheme() == null || uri.getRawAuthority() == null ? null : uri.getRawAuthority();
    } catch (URISyntaxException e) {
      return null;
    }
  }

  private static String lower(String value) {
    return value == null ? null : value.trim().toLowerCase(Locale.ROOT);
  }
}
