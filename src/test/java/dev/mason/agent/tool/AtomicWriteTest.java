package dev.mason.agent.tool;

import dev.mason.common.AtomicFile;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mason.testing.Eventually;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Write replaces a file all at once: a JVM killed with SIGKILL in the middle of writing a large
 * file leaves the original whole under its name, with its mode.
 */
class AtomicWriteTest {
  private static final int MEGABYTES = 160;
  private static final int ATTEMPTS = 3;
  private static final String ORIGINAL = "the original content, which must survive\n";

  @TempDir
  Path folder;

  @Test
  void aKillInTheMiddleOfAWriteLeavesTheOriginalWholeWithItsMode() throws Exception {
    Path file = folder.resolve("big.txt");
    Files.writeString(file, ORIGINAL);
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-x---"));

    // The kill must land while the new content is partly on disk; a child that finished first
    // proves nothing, so it is tried again.
    for (int attempt = 1; attempt <= ATTEMPTS; attempt++) {
      Process child = startWriter(attempt);
      try {
        Eventually.await(Duration.ofSeconds(90), "the child to write part of the new content, or finish",
            () -> partlyWritten(file) || !child.isAlive());
        if (child.isAlive() && partlyWritten(file)) {
          child.destroyForcibly();
          assertThat(child.waitFor(10, TimeUnit.SECONDS)).isTrue();
          assertThat(Files.readString(file)).as("the file under its own name after a kill").isEqualTo(ORIGINAL);
          assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rwxr-x---");
          return;
        }
      } finally {
        child.destroyForcibly();
        child.waitFor(10, TimeUnit.SECONDS);
      }
      Files.writeString(file, ORIGINAL);
    }
    throw new AssertionError("no kill landed in the middle of a write in " + ATTEMPTS + " attempts");
  }

  @Test
  void aCompletedWriteKeepsTheModeAndLeavesNoTemporaryFile() throws Exception {
    Path file = folder.resolve("run.sh");
    Files.writeString(file, "echo old\n");
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr--"));

    ToolResult result = new ToolFixture(folder).call("Write", "file_path", "run.sh", "content", "echo new\n");
    ToolResult edited = new ToolFixture(folder).call("Edit", "file_path", "run.sh", "old_string", "new", "new_string", "newer");

    assertThat(result.isError()).as(result.content()).isFalse();
    assertThat(edited.isError()).as(edited.content()).isFalse();
    assertThat(Files.readString(file)).isEqualTo("echo newer\n");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rwxr-xr--");
    try (Stream<Path> files = Files.list(folder)) {
      assertThat(files.map(p -> p.getFileName().toString()).toList()).containsExactly("run.sh");
    }
  }

  @Test
  void aWriteThatFailsLeavesTheOriginalAndNoTemporaryFile() throws Exception {
    Path file = folder.resolve("notes.md");
    Files.writeString(file, ORIGINAL);
    InputStream failing = new SequenceInputStream(new ByteArrayInputStream(new byte[64 * 1024]), new InputStream() {
      @Override
      public int read() throws IOException {
        throw new IOException("the source broke off");
      }
    });

    assertThatThrownBy(() -> AtomicFile.write(file, failing)).hasMessageContaining("the source broke off");

    assertThat(Files.readString(file)).isEqualTo(ORIGINAL);
    try (Stream<Path> files = Files.list(folder)) {
      assertThat(files.map(p -> p.getFileName().toString()).toList()).containsExactly("notes.md");
    }
  }

  private Process startWriter(int attempt) throws IOException {
    return new ProcessBuilder(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx1g",
        "-cp", System.getProperty("java.class.path"),
        WriteInAChild.class.getName(), folder.toString(), "big.txt", Integer.toString(MEGABYTES))
        .redirectErrorStream(true)
        .redirectOutput(Path.of("target", "atomic-write-child-" + attempt + ".log").toFile())
        .start();
  }

  /**
   * Whether the new content is partly on disk, under the file's own name or a temporary one: a
   * file of the folder neither the original's size nor the new content's.
   */
  private static boolean partlyWritten(Path file) {
    long original = ORIGINAL.getBytes(StandardCharsets.UTF_8).length;
    long complete = MEGABYTES * 1024L * 1024;
    try (Stream<Path> files = Files.list(file.getParent())) {
      return files.filter(Files::isRegularFile).map(AtomicWriteTest::sizeOf)
          .anyMatch(size -> size != original && size != complete && size >= 0);
    } catch (IOException e) {
      return false;
    }
  }

  private static long sizeOf(Path path) {
    try {
      return Files.size(path);
    } catch (IOException e) {
      return -1;
    }
  }

  /** The child JVM: one Write of {@code args[2]} MB of text to {@code args[1]} in folder {@code args[0]}. */
  static final class WriteInAChild {
    public static void main(String[] args) throws Exception {
      String content = "0123456789abcdef".repeat(Integer.parseInt(args[2]) * 1024 * 1024 / 16);
      ToolResult result = new ToolFixture(Path.of(args[0])).call("Write", "file_path", args[1], "content", content);
      System.out.println(result.content());
    }
  }
}
