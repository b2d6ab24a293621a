package dev.mason.store;

import java.nio.file.Path;

/**
 * Where the embedded PostgreSQL binaries are unpacked: a per-user cache shared by every Mason home
 * ({@code $XDG_CACHE_HOME/mason/postgres}, else {@code ~/.cache/mason/postgres}), one folder per
 * archive hash, so a second home or a test does not unpack 40 MB again.
 */
public final class PostgresCache {
  private PostgresCache() {}

  public static Path folder() {
    String xdg = System.getenv("XDG_CACHE_HOME");
    Path cache = xdg != null && !xdg.isBlank() ? Path.of(xdg) : Path.of(System.getProperty("user.home"), ".cache");
    return cache.resolve("mason").resolve("postgres");
  }
}
