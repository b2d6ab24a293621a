package dev.mason.agent.tool;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;

/** Glob: finds files of the project by name pattern, most recently modified first. */
final class GlobTool extends BuiltinTool {
  static final int MAX_RESULTS = 100;

  GlobTool() {
    super("Glob", """
        Finds files in the project folder whose paths match a glob pattern, such as \
        "**/*.py" or "src/**/*.{ts,tsx}". Returns their paths relative to the project folder, \
        the most recently modified first, at most %d of them.
        - "*" matches within one folder name, "**/" any number of folders (none included), \
        "?" one character, "{a,b}" either alternative.
        - The pattern is matched against paths relative to path (the project folder by default).
        - .git folders are skipped. To search file contents, use Grep.""".formatted(MAX_RESULTS),
        InputSchema.object()
            .string("pattern", "The glob pattern to match, relative to path, e.g. \"**/*.sql\".")
            .string("path", "The folder to search in, relative to the project folder. Defaults to the project folder itself.")
            .required("pattern"), READ_ONLY);
  }

  @Override
  ToolResult run(ToolContext context, ToolInput input) throws Exception {
    String pattern = input.text("pattern");
    if (pattern.startsWith("/")) {
      return ToolResult.error("pattern '" + pattern + "' is absolute; give a pattern relative to path, "
          + "and put the folder to search in path.");
    }
    GlobPattern glob = GlobPattern.compile(pattern, "pattern");
    PathGuard.ProjectPath base = PathGuard.resolve(context.projectFolder(), input.text("path", "."), "path");
    if (!Files.exists(base.path())) {
      return ToolResult.error("Folder does not exist: " + base.shown());
    }
    if (!Files.isDirectory(base.path())) {
      return ToolResult.error(base.shown() + " is a file, not a folder; path must be a folder.");
    }
    Path root = PathGuard.realFolder(context.projectFolder());
    FileWalk.Result walk = FileWalk.walk(base.path(), context.cancellation());
    List<FileWalk.Found> matches = walk.files().stream()
        .filter(found -> glob.matches(found.relative()))
        .sorted(Comparator.comparing(FileWalk.Found::modified).reversed()
            .thenComparing(FileWalk.Found::relative))
        .toList();
    if (matches.isEmpty()) {
      return ToolResult.ok("No files match '" + pattern + "' in " + base.shown() + "."
          + (walk.stoppedBecause() == null ? "" : " (Stopped early: " + walk.stoppedBecause() + ".)"));
    }
    StringBuilder out = new StringBuilder();
    matches.stream().limit(MAX_RESULTS).forEach(found -> out.append(PathGuard.relative(root, found.path())).append('\n'));
    if (matches.size() > MAX_RESULTS) {
      out.append("\n(Showing the ").append(MAX_RESULTS).append(" most recently modified of ")
          .append(matches.size()).append(" matching files. Use a narrower pattern or path to see the others.)");
    }
    if (walk.stoppedBecause() != null) {
      out.append("\n(Stopped early: ").append(walk.stoppedBecause()).append(".)");
    }
    return ToolResult.ok(out.toString().stripTrailing());
  }
}
