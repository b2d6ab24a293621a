package dev.mason.agent.tool;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Every file tool refuses paths that leave the project folder, and names the path it refused. */
class ConfinementTest {
  @TempDir
  Path base;
  Path folder;
  Path outside;
  ToolFixture fixture;

  @BeforeEach
  void setUp() throws Exception {
    folder = Files.createDirectories(base.resolve("project"));
    outside = Files.createDirectories(base.resolve("elsewhere"));
    Files.writeString(outside.resolve("secret.txt"), "the other user's secret\n");
    Files.writeString(base.resolve("x"), "next to the project\n");
    Files.createSymbolicLink(folder.resolve("leak.txt"), outside.resolve("secret.txt"));
    Files.createSymbolicLink(folder.resolve("leakdir"), outside);
    Files.createSymbolicLink(folder.resolve("dangling.txt"), outside.resolve("created-through-link.txt"));
    fixture = new ToolFixture(folder);
  }

  /** Each tool with the field that takes a path, and the other fields it needs. */
  static Stream<Arguments> fileTools() {
    return Stream.of(
        Arguments.of("Read", "file_path", List.of()),
        Arguments.of("Write", "file_path", List.of("content", "overwritten")),
        Arguments.of("Edit", "file_path", List.of("old_string", "secret", "new_string", "public")),
        Arguments.of("Glob", "path", List.of("pattern", "**/*")),
        Arguments.of("Grep", "path", List.of("pattern", "secret")));
  }

  @ParameterizedTest(name = "{0} refuses a path that climbs out with ..")
  @MethodSource("fileTools")
  void aPathThatClimbsOutIsRefused(String tool, String field, List<Object> others) throws Exception {
    assertRefused(tool, field, "../x", others, "outside the project folder");
    assertRefused(tool, field, "src/../../elsewhere/secret.txt", others, "outside the project folder");
  }

  @ParameterizedTest(name = "{0} refuses an absolute path outside the folder")
  @MethodSource("fileTools")
  void anAbsolutePathOutsideIsRefused(String tool, String field, List<Object> others) throws Exception {
    assertRefused(tool, field, "/etc/passwd", others, "outside the project folder");
    assertRefused(tool, field, outside.resolve("secret.txt").toString(), others, "outside the project folder");
  }

  @ParameterizedTest(name = "{0} refuses a symbolic link that leads outside")
  @MethodSource("fileTools")
  void aSymbolicLinkLeadingOutsideIsRefused(String tool, String field, List<Object> others) throws Exception {
    assertRefused(tool, field, "leak.txt", others, "through a symbolic link");
    assertRefused(tool, field, "leakdir", others, "through a symbolic link");
    assertRefused(tool, field, "leakdir/secret.txt", others, "through a symbolic link");
  }

  @Test
  void writingThroughADanglingLinkThatPointsOutsideIsRefused() throws Exception {
    assertRefused("Write", "file_path", "dangling.txt", List.of("content", "x"), "through a symbolic link");
    assertRefused("Write", "file_path", "leakdir/new/file.txt", List.of("content", "x"), "through a symbolic link");

    assertThat(outside.resolve("created-through-link.txt")).doesNotExist();
    assertThat(outside.resolve("new")).doesNotExist();
  }

  @Test
  void searchingTheWholeFolderNeverFollowsALinkOutside() throws Exception {
    ToolResult grep = fixture.call("Grep", "pattern", "secret", "output_mode", "content");

    assertThat(grep.content()).doesNotContain("other user's");
  }

  @Test
  void aPlantedHardLinkToAFileOutsideIsNeitherReadNorWrittenThrough() throws Exception {
    Files.createLink(folder.resolve("planted.txt"), outside.resolve("secret.txt"));

    assertRefused("Read", "file_path", "planted.txt", List.of(), "hard link");
    assertRefused("Write", "file_path", "planted.txt", List.of("content", "overwritten"), "hard link");
    assertRefused("Edit", "file_path", "planted.txt", List.of("old_string", "secret", "new_string", "public"), "hard link");
    assertRefused("Grep", "path", "planted.txt", List.of("pattern", "secret"), "hard link");
    ToolResult grep = fixture.call("Grep", "pattern", "secret", "output_mode", "content");
    ToolResult read = fixture.call("Read", "file_path", "planted.txt");

    assertThat(grep.content()).as("a search of the whole folder skips it").doesNotContain("other user's");
    assertThat(read.content()).contains("2 names", "copy it");
    assertThat(Files.getAttribute(outside.resolve("secret.txt"), "unix:nlink")).as("the outside file is still linked").isEqualTo(2);
  }

  @Test
  void aLinkThatStaysInsideIsFollowed() throws Exception {
    Files.writeString(folder.resolve("real.txt"), "inside\n");
    Files.createSymbolicLink(folder.resolve("alias.txt"), folder.resolve("real.txt"));

    ToolResult result = fixture.call("Read", "file_path", "alias.txt");

    assertThat(result.content()).isEqualTo("     1\tinside\n");
  }

  @Test
  void dotDotThatStaysInsideIsAllowed() throws Exception {
    Files.createDirectories(folder.resolve("src"));
    Files.writeString(folder.resolve("top.txt"), "top\n");

    ToolResult result = fixture.call("Read", "file_path", "src/../top.txt");

    assertThat(result.content()).isEqualTo("     1\ttop\n");
  }

  private void assertRefused(String tool, String field, String path, List<Object> others, String reason) throws Exception {
    Object[] fields = Stream.concat(Stream.of(field, path), others.stream()).toArray();

    ToolResult result = fixture.call(tool, fields);

    assertThat(result.isError()).as(tool + " with " + path).isTrue();
    assertThat(result.content()).as(tool + " with " + path).contains("'" + path + "'").contains(reason);
    assertThat(Files.readString(outside.resolve("secret.txt"))).isEqualTo("the other user's secret\n");
    assertThat(Files.readString(base.resolve("x"))).isEqualTo("next to the project\n");
  }
}
