package dev.mason.identity;

import java.util.List;
import java.util.Objects;

/** The Databricks Apps API as far as the app's owner needs it; implemented by the databricks room. */
public interface AppDirectory {
  /**
   * What the Apps API says about an app: who created it, and the scopes users grant it when they
   * authorize it to act for them ({@code effective_user_api_scopes}, else {@code user_api_scopes}).
   */
  record App(String creator, List<String> userApiScopes) {
    public App {
      userApiScopes = List.copyOf(Objects.requireNonNullElse(userApiScopes, List.of()));
    }
  }

  /**
   * The app, read with the app's own service principal.
   *
   * @throws UserDirectory.UnavailableException when the workspace cannot say (unreachable, refused, no such app);
   *     the message never contains a credential
   */
  App app(String appName);
}
