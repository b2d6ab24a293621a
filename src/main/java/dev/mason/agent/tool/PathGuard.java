package dev.mason.agent.tool;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * Confines the paths a tool is given to the project folder. A path may be relative to the folder
 * or absolute inside it; it is refused when, after {@code ..} is resolved, it lies outside, and
 * when a symbolic link on the way (the last component included, even one whose target does not
 * exist yet) leads outside, and when it names a regular file with more than one hard link: the
 * file's other names may lie outside the folder, and no path check can tell (see
 * {@link #hardLinks}).
 *
 * <p>The check is made when the call starts; a link created afterwards (by a Bash command of the
 * same turn) is not seen. Bash itself is not confined: this guards the file tools, not the machine.
 */
public final class PathGuard {
  /** Links followed before giving up, as the kernel does (ELOOP). */
  private static final int MAX_LINKS = 40;

  private PathGuard() {}

  /**
   * A path inside the project folder.
   *
   * @param path the real location to read or write (links resolved), absolute
   * @param shown the path as the model should see it in messages: relative to the project folder,
   *     {@code .} for the folder itself
   */
  public record ProjectPath(Path path, String shown) {}

  /**
   * Resolves {@code requested} (the value of input field {@code field}) inside {@code folder}.
   *
   * @throws ToolFailure naming the path when it is empty, malformed or leads outside the folder
   */
  public static ProjectPath resolve(Path folder, String requested, String field) {
    if (requested == null || requested.isBlank()) {
      throw new ToolFailure(field + " is empty");
    }
    Path root = realFolder(folder);
    Path lexicalRoot = folder.toAbsolutePath().normalize();
    Path lexical;
    try {
      Path given = Path.of(requested);
      if (given.isAbsolute()) {
        lexical = given.normalize();
        // An absolute path may name the folder by its real path or by the path Mason was given.
        if (lexical.startsWith(lexicalRoot) && !lexical.startsWith(root)) {
          lexical = root.resolve(lexicalRoot.relativize(lexical));
        }
      } else {
        lexical = root.resolve(given).normalize();
      }
    } catch (InvalidPathException e) {
      throw new ToolFailure(field + " '" + requested + "' is not a valid path: " + e.getReason());
    }
    if (!lexical.startsWith(root)) {
      throw new ToolFailure("Refused " + field + " '" + requested + "': it is outside the project folder. "
          + "Use a path relative to the project folder.");
    }
    Path real;
    try {
      real = followLinks(lexical, 0);
    } catch (IOException e) {
      throw new ToolFailure("Cannot resolve " + field + " '" + requested + "': " + e.getMessage());
    }
    if (!real.startsWith(root)) {
      throw new ToolFailure("Refused " + field + " '" + requested
          + "': it leads outside the project folder through a symbolic link.");
    }
    String shown = root.relativize(lexical).toString();
    long links = hardLinks(real);
    if (links > 1) {
      throw new ToolFailure(hardLinkRefusal(field + " '" + requested + "'", links));
    }
    return new ProjectPath(real, shown.isEmpty() ? "." : shown);
  }

  /**
   * How many names (hard links) the regular file at {@code path} (symbolic links followed) has; 1 for anything else (a
   * folder, a missing file, a system without the count). A planted hard link to a file outside
   * the project looks like any project file, so the file tools, the files API and the Databricks
   * uploads refuse files with more than one name, for reading as for writing.
   */
  public static long hardLinks(Path path) {
    try {
      if (!Files.isRegularFile(path)) {
        return 1;
      }
      return ((Number) Files.getAttribute(path, "unix:nlink")).longValue();
    } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
      return 1;
    }
  }

  /** Why a file with {@code links} names is refused, and what to do about it. */
  public static String hardLinkRefusal(String what, long links) {
    return "Refused " + what + ": it is a hard link (the file has " + links + " names), and its other names may be "
        + "outside the project folder. To make it the project's own file, copy it and move the copy over it.";
  }

  /** The project folder's real path; relative results are relative to it. */
  public static Path realFolder(Path folder) {
    try {
      return folder.toRealPath();
    } catch (IOException e) {
      throw new ToolFailure("The project folder does not exist or cannot be read.");
    }
  }

  /** {@code path} relative to the project folder, with '/' separators, for output. */
  static String relative(Path root, Path path) {
    String shown = root.relativize(path).toString().replace('\\', '/');
    return shown.isEmpty() ? "." : shown;
  }

  /**
   * Where {@code path} really leads: its longest existing prefix with every link resolved, plus
   * the components that do not exist yet. A dangling link is followed to its (absent) target so
   * that writing through it cannot escape.
   */
  private static Path followLinks(Path path, int depth) throws IOException {
    if (depth > MAX_LINKS) {
      throw new IOException("too many levels of symbolic links");
    }
    Deque<Path> missing = new ArrayDeque<>();
    Path existing = path;
    while (existing != null && !Files.exists(existing, LinkOption.NOFOLLOW_LINKS)) {
      missing.push(existing.getFileName());
      existing = existing.getParent();
    }
    if (existing == null) {
      return path;
    }
    Path real;
    try {
      real = existing.toRealPath();
    } catch (NoSuchFileException dangling) {
      Path target = existing.getParent().resolve(Files.readSymbolicLink(existing)).normalize();
      real = followLinks(target, depth + 1);
    }
    while (!missing.isEmpty()) {
      real = real.resolve(missing.pop());
    }
    return real;
  }
}
