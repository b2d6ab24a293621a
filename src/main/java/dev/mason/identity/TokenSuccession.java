package dev.mason.identity;

/**
 * The token that stands now for one a caller presented: the token itself, or, for a token Mason
 * minted for the terminal owner and has rotated since, the one that replaced it. Work that holds a
 * caller for longer than a rotation (a long tool call, a delegated task) asks at each request, so
 * it never goes out with a token that was revoked under it.
 */
@FunctionalInterface
public interface TokenSuccession {
  /** Every token stands for itself: where Mason mints none. */
  TokenSuccession NONE = token -> token;

  /** @param token a caller's token, or null; null stays null */
  String current(String token);
}
