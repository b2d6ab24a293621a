package dev.mason.agent.claudecode;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Where the {@code claude} executable is: the CLIs Mason installs under {@code $MASON_HOME/clis},
 * then the working directory's {@code node_modules/.bin} (a Databricks App installs its
 * {@code package.json} there), then {@code PATH}. Looked up once at start.
 *
 * @param path the executable, or null when none was found
 * @param problem why the runtime is unavailable, or null when it is
 */
public record ClaudeBinary(Path path, String problem) {
  static final String NAME = "claude";

  public static ClaudeBinary find(Path masonHome, Path workingDirectory, String pathVariable) {
    List<Path> candidates = new ArrayList<>();
    candidates.add(masonHome.resolve("clis").resolve("node_modules").resolve(".bin").resolve(NAME));
    candidates.add(workingDirectory.resolve("node_modules").resolve(".bin").resolve(NAME));
    if (pathVariable != null) {
      for (String folder : pathVariable.split(File.pathSeparator)) {
        if (!folder.isBlank()) {
          candidates.add(Path.of(folder).resolve(NAME));
        }
      }
    }
    for (Path candidate : candidates) {
      if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
        return new ClaudeBinary(candidate.toAbsolutePath(), null);
      }
    }
    return new ClaudeBinary(null, "Claude Code is not installed: no '" + NAME + "' in " + candidates.get(0).getParent()
        + ", in " + candidates.get(1).getParent() + " or on PATH (Mason installs it with the terminal CLIs)");
  }
}
