package dev.mason.store;

import com.sun.security.auth.module.UnixSystem;

/** Whether this process runs as root (uid 0), which PostgreSQL refuses. */
final class RootUser {
  private RootUser() {}

  static boolean isRoot() {
    try {
      return new UnixSystem().getUid() == 0;
    } catch (UnsatisfiedLinkError | RuntimeException e) {
      return "root".equals(System.getProperty("user.name"));
    }
  }
}
