package dev.mason.agent.tool;

import dev.mason.common.AtomicFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** Edit: replaces an exact piece of text in a file of the project. */
final class EditTool extends BuiltinTool {
  EditTool() {
    super("Edit", """
        Replaces text in a file of the project folder: old_string is found exactly (spaces, \
        tabs and line breaks included) and replaced by new_string.
        - Read the file first, and copy old_string from what Read showed, without the line \
        number and tab in front of each line.
        - old_string must occur exactly once, so that the edit lands where you mean it; include \
        a few surrounding lines to make it unique. To change every occurrence (renaming a \
        variable, say), set replace_all to true.
        - old_string and new_string must differ. To create a new file, use Write.""",
        InputSchema.object()
            .string("file_path", "The file to change: a path relative to the project folder, or an absolute path inside it.")
            .string("old_string", "The exact text to replace, as it is in the file.")
            .string("new_string", "The text to put in its place (may be empty to delete old_string).")
            .bool("replace_all", "Replace every occurrence of old_string instead of requiring exactly one. Defaults to false.")
            .required("file_path", "old_string", "new_string"), WRITES);
  }

  @Override
  ToolResult run(ToolContext context, ToolInput input) throws Exception {
    PathGuard.ProjectPath file = PathGuard.resolve(context.projectFolder(), input.text("file_path"), "file_path");
    String oldString = input.text("old_string", "");
    String newString = input.text("new_string", "");
    boolean replaceAll = input.flag("replace_all", false);
    if (oldString.isEmpty()) {
      return ToolResult.error("old_string is empty; to create a file, use Write.");
    }
    if (oldString.equals(newString)) {
      return ToolResult.error("old_string and new_string are the same; there is nothing to change.");
    }
    Path path = file.path();
    if (!Files.exists(path)) {
      return ToolResult.error("File does not exist: " + file.shown());
    }
    if (!Files.isRegularFile(path)) {
      return ToolResult.error(file.shown() + " is not a regular file.");
    }
    String text = TextFiles.readText(path);
    if (text == null) {
      return ToolResult.error(file.shown() + " is a binary file, not UTF-8 text; Edit changes only text files.");
    }
    int count = occurrences(text, oldString);
    if (count == 0) {
      return ToolResult.error("old_string not found in " + file.shown()
          + ". Read the file again and copy the text exactly, whitespace included.");
    }
    if (count > 1 && !replaceAll) {
      return ToolResult.error("old_string found " + count + " times in " + file.shown()
          + "; add context to make it unique, or set replace_all to replace every occurrence.");
    }
    String edited;
    if (replaceAll) {
      edited = text.replace(oldString, newString);
    } else {
      int at = text.indexOf(oldString);
      edited = text.substring(0, at) + newString + text.substring(at + oldString.length());
    }
    AtomicFile.write(path, edited.getBytes(StandardCharsets.UTF_8));
    return ToolResult.ok("Edited " + file.shown() + ": replaced " + count
        + (count == 1 ? " occurrence." : " occurrences."));
  }

  /** Occurrences that do not overlap, counted as {@link String#replace} would replace them. */
  private static int occurrences(String text, String part) {
    int count = 0;
    for (int at = text.indexOf(part); at >= 0; at = text.indexOf(part, at + part.length())) {
      count++;
    }
    return count;
  }
}
