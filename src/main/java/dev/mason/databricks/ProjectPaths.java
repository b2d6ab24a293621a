package dev.mason.databricks;

import dev.mason.agent.tool.PathGuard;
import dev.mason.agent.tool.ToolFailure;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;
import java.util.stream.Stream;

/**
 * Local paths a tool may read or write: only inside the project's folder, by the file tools' one
 * rule ({@link PathGuard}): neither {@code ../} nor a link leads out, and a file with more than one
 * hard link is refused, since its other names may lie outside. Adds what uploads need: globs, and
 * the files under a folder.
 */
final class ProjectPaths {
  /** Folders an upload by folder or glob skips: Mason's own bookkeeping and version control. */
  private static final Set<String> SKIPPED = Set.of(".mason", ".git");
  private static final int MAX_FILES = 1_000;

  private ProjectPaths() {}

  /** {@code path} (relative to the folder, or absolute within it) if it lies inside the project folder. */
  static Path inside(Path projectFolder, String path) {
    return PathGuard.resolve(projectFolder, path, "local path").path();
  }

  /**
   * The files {@code pattern} names: one file, every file under a folder, or the files matching a
   * glob such as {@code src/*.py} or {@code **}{@code /*.sql} (relative to the project folder).
   */
  static List<Path> select(Path projectFolder, String pattern) {
    try {
      Path root = projectFolder.toRealPath();
      if (!isGlob(pattern)) {
        Path target = inside(projectFolder, pattern);
        if (Files.isRegularFile(target)) {
          return List.of(target);
        }
        if (!Files.isDirectory(target)) {
          throw new ToolFailure("local path " + pattern + " does not exist in the project folder");
        }
        return walk(root, target, p -> true);
      }
      if (pattern.startsWith("/") || pattern.contains("..")) {
        throw new ToolFailure("a glob must be relative to the project folder and must not contain ..");
      }
      PathMatcher matcher = FileSystems.getDefault().getPathMatcher("glob:" + pattern);
      List<Path> files = walk(root, root, p -> matcher.matches(root.relativize(p)));
      if (files.isEmpty()) {
        throw new ToolFailure("no file of the project matches " + pattern);
      }
      return files;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * The folder an upload of {@code localPath} keeps paths relative to: a folder itself, a glob's
   * directory part before its first wildcard ({@code pipelines/*.sql} → {@code pipelines}), a
   * file's parent.
   */
  static Path base(Path projectFolder, String localPath) {
    if (!isGlob(localPath)) {
      Path target = inside(projectFolder, localPath);
      return Files.isDirectory(target) ? target : target.getParent();
    }
    StringBuilder prefix = new StringBuilder(".");
    for (String part : localPath.split("/")) {
      if (isGlob(part)) {
        break;
      }
      prefix.append('/').append(part);
    }
    return inside(projectFolder, prefix.toString());
  }

  /** Whether {@code localPath} names exactly one existing file (not a folder or a glob). */
  static boolean isSingleFile(Path projectFolder, String localPath) {
    return !isGlob(localPath) && Files.isRegularFile(inside(projectFolder, localPath));
  }

  static boolean isGlob(String pattern) {
    return pattern.contains("*") || pattern.contains("?") || pattern.contains("[") || pattern.contains("{");
  }

  private static List<Path> walk(Path root, Path start, Predicate<Path> keep) throws IOException {
    try (Stream<Path> paths = Files.walk(start)) {
      List<Path> files = paths
          .filter(p -> Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS))
          .filter(p -> root.relativize(p).getNameCount() == 0 || !SKIPPED.contains(root.relativize(p).getName(0).toString()))
          .filter(keep)
          .sorted()
          .limit(MAX_FILES + 1)
          .toList();
      if (files.size() > MAX_FILES) {
        throw new ToolFailure("more than " + MAX_FILES + " files selected; upload a narrower folder or glob");
      }
      for (Path file : files) {
        refuseHardLinked(file, "local path " + root.relativize(file));
      }
      return files;
    }
  }

  /** A file with other names may be one outside the project; neither read nor written through. */
  private static void refuseHardLinked(Path file, String what) {
    long links = PathGuard.hardLinks(file);
    if (links > 1) {
      throw new ToolFailure(PathGuard.hardLinkRefusal(what, links));
    }
  }
}
