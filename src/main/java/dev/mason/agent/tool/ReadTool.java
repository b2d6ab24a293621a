package dev.mason.agent.tool;

import java.io.InputStream;
import java.io.Reader;
import java.nio.charset.CharacterCodingException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Read: shows a text file of the project with line numbers, a window of lines at a time.
 *
 * <p>A file is refused as binary when its first {@value TextFiles#SNIFF_BYTES} bytes hold a NUL,
 * or when a NUL or a byte that is not UTF-8 turns up in the lines read up to the end of the
 * window; what lies beyond the window is not looked at, so a huge file costs only the lines shown.
 */
final class ReadTool extends BuiltinTool {
  static final int DEFAULT_LINES = 2000;
  static final int MAX_LINE_CHARS = 2000;
  /** Bounds one result to about 25k tokens even when every line is long. */
  static final int MAX_OUTPUT_CHARS = 100_000;

  ReadTool() {
    super("Read", """
        Reads a text file from the project folder and returns it with line numbers, formatted \
        as the line number, a tab, then the line ("     1\\tfirst line"). The line numbers are not \
        part of the file: leave them out when you quote text to Edit.
        - file_path is relative to the project folder, or absolute inside it.
        - By default up to %d lines are returned from the start; for longer files, read further \
        with offset (the first line number to show) and limit (how many lines).
        - Lines longer than %d characters are cut, and the output says so.
        - Binary files (images, archives, compiled files) are refused; folders too: use Glob to \
        list files.
        - Read a file before you Edit it, and read several files in one turn when you need them: \
        reads run in parallel.""".formatted(DEFAULT_LINES, MAX_LINE_CHARS),
        InputSchema.object()
            .string("file_path", "The file to read: a path relative to the project folder, or an absolute path inside it.")
            .integer("offset", "The line number to start from (1 is the first line). Use it with limit for files too long to read at once.")
            .integer("limit", "How many lines to return, at most. Defaults to " + DEFAULT_LINES + ".")
            .required("file_path"), READ_ONLY);
  }

  @Override
  ToolResult run(ToolContext context, ToolInput input) throws Exception {
    PathGuard.ProjectPath file = PathGuard.resolve(context.projectFolder(), input.text("file_path"), "file_path");
    int offset = Math.max(1, input.number("offset", 1, 0, Integer.MAX_VALUE));
    int limit = input.number("limit", DEFAULT_LINES, 1, Integer.MAX_VALUE);
    Path path = file.path();
    if (!Files.exists(path)) {
      return ToolResult.error("File does not exist: " + file.shown());
    }
    if (Files.isDirectory(path)) {
      return ToolResult.error(file.shown() + " is a folder, not a file. Use Glob to list its files.");
    }
    if (TextFiles.startsBinary(path)) {
      return binary(file, path);
    }
    try (InputStream in = Files.newInputStream(path); Reader reader = TextFiles.strictReader(in)) {
      return window(file.shown(), new LineReader(reader, MAX_LINE_CHARS), offset, limit);
    } catch (CharacterCodingException | LineReader.BinaryContentException e) {
      return binary(file, path);
    }
  }

  private static ToolResult window(String shown, LineReader lines, int offset, int limit) throws Exception {
    StringBuilder out = new StringBuilder();
    int number = 0;
    int shownLines = 0;
    boolean anyCut = false;
    boolean moreFollow = false;
    boolean outputFull = false;
    LineReader.Line line;
    while ((line = lines.next()) != null) {
      number++;
      if (number < offset) {
        continue;
      }
      if (shownLines == limit || outputFull) {
        moreFollow = true;
        break;
      }
      out.append(String.format("%6d\t", number)).append(line.text()).append('\n');
      shownLines++;
      anyCut |= line.cut();
      outputFull = out.length() >= MAX_OUTPUT_CHARS;
    }
    if (number == 0) {
      return ToolResult.ok("(" + shown + " is empty.)");
    }
    if (shownLines == 0) {
      return ToolResult.error(shown + " has " + number + " lines; offset " + offset + " is past the end.");
    }
    int last = offset + shownLines - 1;
    if (anyCut) {
      out.append("\n(Lines longer than ").append(MAX_LINE_CHARS).append(" characters were cut.)");
    }
    if (moreFollow) {
      out.append("\n(Showing lines ").append(offset).append('-').append(last)
          .append(outputFull && shownLines < limit ? ", the most one result holds" : "")
          .append(". The file goes on: read more with offset=").append(last + 1).append(".)");
    }
    return ToolResult.ok(out.toString());
  }

  private static ToolResult binary(PathGuard.ProjectPath file, Path path) throws Exception {
    return ToolResult.error(file.shown() + " is a binary file (" + Files.size(path)
        + " bytes), not UTF-8 text; Read shows only text files.");
  }
}
