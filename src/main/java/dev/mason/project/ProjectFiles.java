package dev.mason.project;

import dev.mason.agent.tool.PathGuard;
import dev.mason.agent.tool.ToolFailure;
import dev.mason.web.ApiError;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Read-only views of a project folder: a recursive listing and the text of one file. Paths are
 * confined to the folder: {@code ..} and symbolic links that lead outside are refused, and so is
 * the text of a file with more than one hard link ({@link PathGuard#hardLinks}).
 */
public final class ProjectFiles {
  static final int MAX_LISTED = 5_000;
  static final long MAX_TEXT_BYTES = 1024 * 1024;

  private ProjectFiles() {}

  public record FileEntry(String path, String name, long size, Instant modified) {}

  public record Listing(List<FileEntry> files, boolean truncated) {}

  public record TextFile(String path, String content, long size) {}

  static Listing list(Path folder) throws IOException {
    List<FileEntry> files = new ArrayList<>();
    boolean[] truncated = {false};
    Files.walkFileTree(folder, new SimpleFileVisitor<>() {
      @Override
      public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) {
        return dir.equals(folder) || !dir.getFileName().toString().equals(".git") ? FileVisitResult.CONTINUE : FileVisitResult.SKIP_SUBTREE;
      }

      @Override
      public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
        if (!attrs.isRegularFile()) {
          return FileVisitResult.CONTINUE;
        }
        if (files.size() >= MAX_LISTED) {
          truncated[0] = true;
          return FileVisitResult.TERMINATE;
        }
        String relative = folder.relativize(file).toString().replace('\\', '/');
        files.add(new FileEntry(relative, file.getFileName().toString(), attrs.size(), attrs.lastModifiedTime().toInstant()));
        return FileVisitResult.CONTINUE;
      }

      @Override
      public FileVisitResult visitFileFailed(Path file, IOException exc) {
        return FileVisitResult.CONTINUE;
      }
    });
    files.sort((a, b) -> a.path().compareTo(b.path()));
    return new Listing(files, truncated[0]);
  }

  static TextFile read(Path folder, String relative) throws IOException {
    Path file = confine(folder, relative, "path");
    if (!Files.isRegularFile(file)) {
      throw Files.isDirectory(file) ? ApiError.badRequest("path", relative + " is a folder, not a file") : ApiError.notFound("file " + relative);
    }
    long links = PathGuard.hardLinks(file);
    if (links > 1) {
      throw ApiError.badRequest("path", PathGuard.hardLinkRefusal(relative, links));
    }
    long size = Files.size(file);
    if (size > MAX_TEXT_BYTES) {
      throw new ApiError(413, relative + " is " + size + " bytes; files over " + MAX_TEXT_BYTES + " bytes are not shown", "path");
    }
    byte[] bytes;
    try (InputStream in = Files.newInputStream(file)) {
      bytes = in.readNBytes((int) MAX_TEXT_BYTES);
    }
    String text = decodeText(bytes);
    if (text == null) {
      throw new ApiError(415, relative + " is a binary file; only text files can be shown", "path");
    }
    return new TextFile(relative, text, size);
  }

  /**
   * Resolves {@code relative} inside {@code folder} by the file tools' one rule ({@link PathGuard}):
   * {@code ..} or a link that leads outside, or a file with other names, is a 400 naming the field.
   */
  private static Path confine(Path folder, String relative, String field) {
    if (relative == null || relative.isBlank()) {
      throw ApiError.badRequest(field, field + " is required");
    }
    try {
      return PathGuard.resolve(folder, relative, field).path();
    } catch (ToolFailure refused) {
      throw ApiError.badRequest(field, refused.getMessage());
    }
  }

  /** UTF-8 text, or null for binary content (a NUL byte, or bytes that are not UTF-8). */
  static String decodeText(byte[] bytes) {
    for (int i = 0; i < Math.min(bytes.length, 8192); i++) {
      if (bytes[i] == 0) {
        return null;
      }
    }
    try {
      return StandardCharsets.UTF_8.newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(bytes)).toString();
    } catch (CharacterCodingException e) {
      return null;
    }
  }
}
