package dev.mason.databricks;

import dev.mason.identity.Caller;

/**
 * How a failed workspace call is told to a model: the API's error code and message, short, with
 * one sentence of guidance where the code alone would mislead.
 */
final class ErrorText {
  private ErrorText() {}

  static String of(WorkspaceException e, Caller caller) {
    if (e.errorCode().equals("NOT_CONFIGURED") || e.errorCode().equals("NO_CREDENTIALS")) {
      return e.getMessage();
    }
    String head = e.errorCode() + (e.status() > 0 ? " (HTTP " + e.status() + ")" : "") + ": " + e.getMessage();
    if (e.permissionDenied()) {
      // The grant that is missing is the person's own: Unity Catalog governs the agent as it
      // governs them. Widening access for everyone is not the fix.
      String who = caller.accessToken() != null
          ? "This call ran as you (" + caller.user() + "), so the missing permission is your own"
          : "This call ran with Mason's own workspace credentials (no user token was forwarded), so the missing permission is theirs";
      return head + "\n" + who + ": ask the object's owner or a workspace admin to grant it, or use an object you can access.";
    }
    if (e.status() == 429) {
      return head + "\nThe workspace is rate limiting requests and retries did not get through; wait a minute before trying again.";
    }
    if (e.status() == 401) {
      return head + "\nThe workspace did not accept the credentials; sign in again or check DATABRICKS_TOKEN.";
    }
    return head;
  }
}
