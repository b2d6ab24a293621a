package dev.mason.terminal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Keeps {@code ~/.local/bin} (where a user's own CLIs install) on a login shell's PATH. A login
 * bash runs {@code /etc/profile}, which on Debian and Ubuntu sets PATH from scratch, so the PATH
 * Mason passes is gone by the prompt; the user's own profile is what adds {@code ~/.local/bin}
 * back. A home that has no login profile at all (a fresh container's) gets a minimal
 * {@code ~/.profile} that does; a home with one is never touched.
 */
final class LoginProfile {
  private static final List<String> PROFILES = List.of(".bash_profile", ".bash_login", ".profile");
  static final String CONTENT = """
      # Written by Mason because this home had no login profile: bash -l reads it after /etc/profile.
      if [ -n "$BASH_VERSION" ] && [ -f "$HOME/.bashrc" ]; then
        . "$HOME/.bashrc"
      fi
      case ":$PATH:" in
        *":$HOME/.local/bin:"*) ;;
        *) PATH="$HOME/.local/bin:$PATH" ;;
      esac
      export PATH
      """;

  private LoginProfile() {}

  static void ensure(Path home) throws IOException {
    Files.createDirectories(home.resolve(".local").resolve("bin"));
    if (PROFILES.stream().noneMatch(name -> Files.exists(home.resolve(name)))) {
      Files.writeString(home.resolve(".profile"), CONTENT);
    }
  }
}
