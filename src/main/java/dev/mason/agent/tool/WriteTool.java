package dev.mason.agent.tool;

import dev.mason.common.AtomicFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Write: creates or replaces a file of the project with the given text, all at once ({@link
 * AtomicFile}), so a kill in the middle leaves the old content whole.
 */
final class WriteTool extends BuiltinTool {
  WriteTool() {
    super("Write", """
        Writes a file in the project folder, creating it (and any missing parent folders) or \
        replacing everything it held. The content is written as UTF-8 exactly as given.
        - file_path is relative to the project folder, or absolute inside it.
        - To change part of an existing file, prefer Edit: it sends only the change and cannot \
        lose the rest of the file. If you do rewrite an existing file, Read it first.
        - Do not create documentation or README files unless asked to.""",
        InputSchema.object()
            .string("file_path", "The file to write: a path relative to the project folder, or an absolute path inside it.")
            .string("content", "The complete new content of the file.")
            .required("file_path", "content"), WRITES);
  }

  @Override
  ToolResult run(ToolContext context, ToolInput input) throws Exception {
    PathGuard.ProjectPath file = PathGuard.resolve(context.projectFolder(), input.text("file_path"), "file_path");
    Path path = file.path();
    if (Files.isDirectory(path)) {
      return ToolResult.error(file.shown() + " is a folder; give the path of a file.");
    }
    byte[] bytes = input.text("content", "").getBytes(StandardCharsets.UTF_8);
    boolean existed = Files.exists(path);
    Path parent = path.getParent();
    if (parent != null) {
      try {
        Files.createDirectories(parent);
      } catch (FileAlreadyExistsException e) {
        Path root = PathGuard.realFolder(context.projectFolder());
        return ToolResult.error("Cannot write " + file.shown() + ": "
            + PathGuard.relative(root, Path.of(e.getFile())) + " is a file, not a folder.");
      }
    }
    AtomicFile.write(path, bytes);
    return ToolResult.ok((existed ? "Overwrote " : "Created ") + file.shown() + " (" + bytes.length + " bytes written).");
  }
}
