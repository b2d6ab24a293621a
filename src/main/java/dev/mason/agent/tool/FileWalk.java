package dev.mason.agent.tool;

import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;

/**
 * The files under a folder, as Glob and Grep see them: '.git' folders are skipped, symbolic links
 * are listed but never followed (a link cannot lead a search outside the project), unreadable
 * folders are passed over, and the walk stops at a cap or when the run is cancelled.
 */
final class FileWalk {
  /** Files visited before a walk gives up, so one call cannot scan a huge tree for minutes. */
  static final int MAX_VISITED = 200_000;

  /**
   * One file found.
   *
   * @param path its absolute location
   * @param relative its path relative to the walked folder, '/'-separated
   * @param link whether it is a symbolic link (whose target was not checked)
   */
  record Found(Path path, String relative, FileTime modified, long size, boolean link) {}

  /** The files found, and why the walk stopped early (null when it saw everything). */
  record Result(List<Found> files, String stoppedBecause) {}

  private FileWalk() {}

  static Result walk(Path folder, Cancellation cancellation) throws IOException {
    List<Found> files = new ArrayList<>();
    String[] stopped = {null};
    Files.walkFileTree(folder, new SimpleFileVisitor<>() {
      @Override
      public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) {
        boolean git = !dir.equals(folder) && dir.getFileName().toString().equals(".git");
        return git ? FileVisitResult.SKIP_SUBTREE : FileVisitResult.CONTINUE;
      }

      @Override
      public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
        if (cancellation.isCancelled()) {
          stopped[0] = "the run was cancelled";
          return FileVisitResult.TERMINATE;
        }
        if (files.size() >= MAX_VISITED) {
          stopped[0] = "only the first " + MAX_VISITED + " files were searched; give a narrower path";
          return FileVisitResult.TERMINATE;
        }
        if (attrs.isRegularFile() || attrs.isSymbolicLink()) {
          String relative = folder.relativize(file).toString().replace('\\', '/');
          files.add(new Found(file, relative, attrs.lastModifiedTime(), attrs.size(), attrs.isSymbolicLink()));
        }
        return FileVisitResult.CONTINUE;
      }

      @Override
      public FileVisitResult visitFileFailed(Path file, IOException e) {
        return FileVisitResult.CONTINUE;
      }
    });
    return new Result(files, stopped[0]);
  }
}
