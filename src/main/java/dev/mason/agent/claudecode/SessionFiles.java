package dev.mason.agent.claudecode;

import dev.mason.common.AtomicFile;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Claude Code's transcript of a session ({@code <config>/projects/<folder as a name>/<id>.jsonl}),
 * kept twice: where the CLI reads it, and in the project folder under {@link #IN_PROJECT}, so that
 * the project's backup holds it and {@code --resume} works after a restart, a lost folder, or a
 * restore on another machine (where the folder's path, and so the CLI's name for it, may differ).
 */
final class SessionFiles {
  /** Inside the project folder: backed up and restored with it. */
  static final String IN_PROJECT = ".mason/claude-code";
  private static final Pattern SESSION_ID = Pattern.compile("[0-9a-fA-F-]{8,64}");

  private final Path configDir;

  SessionFiles(Path configDir) {
    this.configDir = configDir;
  }

  static boolean valid(String sessionId) {
    return sessionId != null && SESSION_ID.matcher(sessionId).matches();
  }

  /** The CLI's transcript of the session, wherever under its projects folder it is. */
  Optional<Path> inConfig(String sessionId) {
    Path projects = configDir.resolve("projects");
    if (!valid(sessionId) || !Files.isDirectory(projects)) {
      return Optional.empty();
    }
    try (Stream<Path> folders = Files.list(projects)) {
      return folders.map(f -> f.resolve(sessionId + ".jsonl")).filter(Files::isRegularFile).findFirst();
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  /** Copies the CLI's transcript into the project folder (after each message). */
  void keep(String sessionId, Path projectFolder) throws IOException {
    Optional<Path> source = inConfig(sessionId);
    if (source.isEmpty()) {
      return;
    }
    Path target = projectFolder.resolve(IN_PROJECT).resolve(sessionId + ".jsonl");
    Files.createDirectories(target.getParent());
    // Copies may overlap (after a message and again shortly after): each has its own temporary file.
    try (InputStream in = Files.newInputStream(source.get())) {
      AtomicFile.write(target, in);
    }
  }

  /**
   * Makes the session resumable in {@code projectFolder}: the CLI's transcript where it looks for
   * it, copied back from the project folder when the CLI's copy is gone. False when neither has it.
   */
  boolean prepare(String sessionId, Path projectFolder) throws IOException {
    if (!valid(sessionId)) {
      return false;
    }
    Path kept = projectFolder.resolve(IN_PROJECT).resolve(sessionId + ".jsonl");
    Path expected = configDir.resolve("projects").resolve(cliName(projectFolder)).resolve(sessionId + ".jsonl");
    if (Files.isRegularFile(expected)) {
      return true;
    }
    Optional<Path> elsewhere = inConfig(sessionId);
    Path source = Files.isRegularFile(kept) ? kept : elsewhere.orElse(null);
    if (source == null) {
      return false;
    }
    Files.createDirectories(expected.getParent());
    Files.copy(source, expected, StandardCopyOption.REPLACE_EXISTING);
    return true;
  }

  /** The CLI's name for a working folder: its real path with every other character than a letter or digit as '-'. */
  static String cliName(Path folder) throws IOException {
    return folder.toRealPath().toString().replaceAll("[^a-zA-Z0-9]", "-");
  }
}
