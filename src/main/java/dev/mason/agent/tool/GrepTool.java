package dev.mason.agent.tool;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Grep: searches the contents of the project's text files with a Java regular expression, in
 * plain Java (no ripgrep on the machine is needed). Binary files, files over
 * {@link #MAX_FILE_BYTES}, symbolic links, files with more than one hard link and
 * '.git' folders are skipped.
 */
final class GrepTool extends BuiltinTool {
  static final long MAX_FILE_BYTES = 10L * 1024 * 1024;
  static final int DEFAULT_ENTRIES = 200;
  static final int MAX_CONTEXT_LINES = 50;

  GrepTool() {
    super("Grep", """
        Searches the contents of the files in the project folder with a regular expression \
        (Java syntax, close to ripgrep's: "log.*Error", "def\\s+\\w+", "\\bTODO\\b"). Escape \
        literal braces and dots ("interface\\{\\}", "a\\.b").
        - output_mode "files_with_matches" (the default) lists the files that match, most \
        recently modified first; "content" shows the matching lines as path:line:text, with \
        context lines (path-line-text) when -A, -B or -C is given; "count" gives the number of \
        matching lines per file.
        - Narrow the search with path (a folder or one file) and glob (e.g. "*.py", or \
        "src/**/*.{ts,tsx}"; a glob without '/' is matched against file names at any depth).
        - Binary files, hard-linked files and .git folders are skipped; long outputs are cut with a note, and \
        head_limit keeps only the first entries.
        - Use Grep rather than grep or rg in Bash.""",
        InputSchema.object()
            .string("pattern", "The regular expression to search for (Java syntax).")
            .string("path", "A folder or a file to search, relative to the project folder. Defaults to the project folder.")
            .string("glob", "Only search files that match this glob: without '/' it is matched against file names "
                + "(\"*.java\", \"*.{ts,tsx}\"), with '/' against paths relative to path (\"src/**/*.py\").")
            .choice("output_mode", "What to return: \"files_with_matches\" (default), \"content\" or \"count\".", List.of("files_with_matches", "content", "count"))
            .bool("-i", "Ignore upper and lower case. Defaults to false.")
            .bool("-n", "In content mode, show line numbers. Defaults to true.")
            .integer("-A", "In content mode, how many lines to show after each match.")
            .integer("-B", "In content mode, how many lines to show before each match.")
            .integer("-C", "In content mode, how many lines to show before and after each match.")
            .integer("head_limit", "Return only the first N entries: lines in content mode, files otherwise. "
                + "Defaults to " + DEFAULT_ENTRIES + " files, or as many lines as fit in the output cap.")
            .required("pattern"), READ_ONLY);
  }

  @Override
  ToolResult run(ToolContext context, ToolInput input) throws Exception {
    Pattern regex;
    try {
      regex = Pattern.compile(input.text("pattern"), input.flag("-i", false) ? Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE : 0);
    } catch (PatternSyntaxException e) {
      return ToolResult.error("pattern is not a valid regular expression: " + e.getDescription()
          + " near index " + e.getIndex() + ". Escape literal characters with a backslash.");
    }
    GlobPattern glob = input.has("glob") ? GlobPattern.compile(input.text("glob"), "glob") : null;
    String mode = input.text("output_mode", "files_with_matches");
    int around = input.number("-C", 0, 0, MAX_CONTEXT_LINES);
    GrepReport report = new GrepReport(mode, input.flag("-n", true),
        input.number("-B", around, 0, MAX_CONTEXT_LINES), input.number("-A", around, 0, MAX_CONTEXT_LINES),
        input.has("head_limit") ? input.number("head_limit", 0, 1, Integer.MAX_VALUE) : -1);

    PathGuard.ProjectPath target = PathGuard.resolve(context.projectFolder(), input.text("path", "."), "path");
    if (!Files.exists(target.path())) {
      return ToolResult.error("Path does not exist: " + target.shown());
    }
    Path root = PathGuard.realFolder(context.projectFolder());
    List<FileWalk.Found> candidates;
    String stoppedBecause = null;
    if (Files.isDirectory(target.path())) {
      FileWalk.Result walk = FileWalk.walk(target.path(), context.cancellation());
      stoppedBecause = walk.stoppedBecause();
      candidates = walk.files().stream()
          .filter(found -> !found.link())
          .filter(found -> glob == null || glob.matches(glob.hasFolders() ? found.relative() : found.path().getFileName().toString()))
          .sorted(Comparator.comparing(FileWalk.Found::relative))
          .toList();
    } else {
      Path file = target.path();
      candidates = List.of(new FileWalk.Found(file, file.getFileName().toString(),
          Files.getLastModifiedTime(file), Files.size(file), false));
    }

    for (FileWalk.Found found : candidates) {
      if (context.cancellation().isCancelled()) {
        stoppedBecause = "the run was cancelled";
        break;
      }
      if (report.full()) {
        break;
      }
      if (found.size() > MAX_FILE_BYTES) {
        if (found.path().equals(target.path())) {
          return ToolResult.error(target.shown() + " is larger than " + MAX_FILE_BYTES / (1024 * 1024)
              + " MB; Grep skips files that large. Read it a window at a time instead.");
        }
        continue;
      }
      if (PathGuard.hardLinks(found.path()) > 1) {
        continue;
      }
      String text = TextFiles.readText(found.path());
      if (text == null && found.path().equals(target.path())) {
        return ToolResult.error(target.shown() + " is a binary file; Grep searches only text files.");
      }
      if (text == null) {
        continue;
      }
      List<String> lines = lines(text);
      BitSet matching = new BitSet(lines.size());
      for (int i = 0; i < lines.size(); i++) {
        if (regex.matcher(lines.get(i)).find()) {
          matching.set(i);
        }
      }
      if (!matching.isEmpty()) {
        report.add(PathGuard.relative(root, found.path()), found.modified(), lines, matching);
      }
    }
    return ToolResult.ok(report.render(input.text("pattern"), target.shown(), stoppedBecause));
  }

  /** The file's lines without their terminators ('\n', or '\r\n'). */
  private static List<String> lines(String text) {
    List<String> lines = new ArrayList<>();
    int start = 0;
    while (start < text.length()) {
      int end = text.indexOf('\n', start);
      int next = end < 0 ? text.length() : end + 1;
      int stop = end < 0 ? text.length() : end;
      if (stop > start && text.charAt(stop - 1) == '\r') {
        stop--;
      }
      lines.add(text.substring(start, stop));
      start = next;
    }
    return lines;
  }
}
