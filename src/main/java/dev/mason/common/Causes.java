package dev.mason.common;

/** What went wrong at the bottom of an exception chain, in words a log line or an error message can carry. */
public final class Causes {
  private Causes() {}

  /** The message of the last cause in {@code error}'s chain, or that cause's class name when it has none. */
  public static String rootMessage(Throwable error) {
    Throwable root = error;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    return root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
  }
}
