package dev.mason.agent.claudecode;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Where the {@code claude} executable is, looked up before each process starts (the CLIs are
 * installed in the background, so it may appear after Mason started): the CLIs Mason installs,
 * or finds preinstalled on a Databricks App ({@code node_modules/.bin}), then {@code PATH}.
 *
 * @param path the executable, or null when none was found
 * @param problem why the runtime is unavailable, or null when it is available
 */
public record ClaudeBinary(Path path, String problem) {
  static final String NAME = "claude";

  /** How the lookup is asked; the clis room answers where its install put the CLI. */
  public interface Lookup {
    ClaudeBinary find();
  }

  /**
   * @param installed the installed CLI's executable (it may not exist yet)
   * @param notReady why the installed CLI is not ready (installing, failed), or empty when it is
   * @param pathVariable {@code PATH}, searched when the installed CLI is not ready
   */
  public static ClaudeBinary find(Path installed, Optional<String> notReady, String pathVariable) {
    if (notReady.isEmpty() && Files.isExecutable(installed)) {
      return new ClaudeBinary(installed, null);
    }
    if (pathVariable != null) {
      for (String folder : pathVariable.split(File.pathSeparator)) {
        Path candidate = folder.isBlank() ? null : Path.of(folder).resolve(NAME);
        if (candidate != null && Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
          return new ClaudeBinary(candidate.toAbsolutePath(), null);
        }
      }
    }
    return new ClaudeBinary(null, notReady.orElse("Claude Code is not installed at " + installed) + ", and no '" + NAME
        + "' is on PATH");
  }
}
