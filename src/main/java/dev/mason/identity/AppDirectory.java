package dev.mason.identity;

/** The Databricks Apps API as far as the app's owner needs it; implemented by the databricks room. */
public interface AppDirectory {
  /**
   * The user who created the app, read with the app's own service principal.
   *
   * @throws UserDirectory.UnavailableException when the workspace cannot say (unreachable, refused, no such app);
   *     the message never contains a credential
   */
  String creatorOf(String appName);
}
