package dev.mason.agent.tool;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReadToolTest {
  @TempDir
  Path folder;
  ToolFixture fixture;

  @BeforeEach
  void setUp() {
    fixture = new ToolFixture(folder);
  }

  @Test
  void aFileIsShownWithRightAlignedLineNumbersAndTabs() throws Exception {
    Files.writeString(folder.resolve("notes.txt"), "alpha\nbeta\r\n\ngamma");

    ToolResult result = fixture.call("Read", "file_path", "notes.txt");

    assertThat(result.isError()).isFalse();
    assertThat(result.content()).isEqualTo("     1\talpha\n     2\tbeta\n     3\t\n     4\tgamma\n");
  }

  @Test
  void anAbsolutePathInsideTheFolderIsAccepted() throws Exception {
    Files.createDirectories(folder.resolve("src"));
    Files.writeString(folder.resolve("src/a.py"), "print(1)\n");

    ToolResult result = fixture.call("Read", "file_path", folder.resolve("src/a.py").toString());

    assertThat(result.content()).isEqualTo("     1\tprint(1)\n");
  }

  @Test
  void offsetAndLimitShowAWindowAndSayWhereToGoOn() throws Exception {
    Files.writeString(folder.resolve("ten.txt"), lines(10));

    ToolResult result = fixture.call("Read", "file_path", "ten.txt", "offset", 3, "limit", 2);

    assertThat(result.content()).startsWith("     3\tline 3\n     4\tline 4\n")
        .contains("Showing lines 3-4").contains("offset=5")
        .doesNotContain("line 2").doesNotContain("line 5");
  }

  @Test
  void withoutALimitAtMost2000LinesAreShown() throws Exception {
    Files.writeString(folder.resolve("long.txt"), lines(2500));

    ToolResult result = fixture.call("Read", "file_path", "long.txt");

    assertThat(result.content()).contains("  2000\tline 2000\n").doesNotContain("line 2001").contains("offset=2001");
  }

  @Test
  void theLastWindowOfAFileHasNoContinuationNote() throws Exception {
    Files.writeString(folder.resolve("ten.txt"), lines(10));

    ToolResult result = fixture.call("Read", "file_path", "ten.txt", "offset", 9);

    assertThat(result.content()).isEqualTo("     9\tline 9\n    10\tline 10\n");
  }

  @Test
  void linesLongerThan2000CharactersAreCutWithANote() throws Exception {
    Files.writeString(folder.resolve("min.js"), "x".repeat(5000) + "\nshort\n");

    ToolResult result = fixture.call("Read", "file_path", "min.js");

    String firstLine = result.content().lines().findFirst().orElseThrow();
    assertThat(firstLine).isEqualTo("     1\t" + "x".repeat(2000));
    assertThat(result.content()).contains("     2\tshort").contains("longer than 2000 characters were cut");
  }

  @Test
  void aFileWithNulBytesIsRefusedAsBinary() throws Exception {
    Files.write(folder.resolve("image.png"), new byte[] {(byte) 0x89, 'P', 'N', 'G', 0, 0, 0, 13});

    ToolResult result = fixture.call("Read", "file_path", "image.png");

    assertThat(result.isError()).isTrue();
    assertThat(result.content()).contains("image.png is a binary file");
  }

  @Test
  void aFileThatIsNotUtf8IsRefusedAsBinary() throws Exception {
    Files.write(folder.resolve("latin1.txt"), new byte[] {'c', 'a', 'f', (byte) 0xE9, '\n'});

    ToolResult result = fixture.call("Read", "file_path", "latin1.txt");

    assertThat(result.isError()).isTrue();
    assertThat(result.content()).contains("latin1.txt is a binary file");
  }

  @Test
  void aNulByteFarIntoTheFileIsStillCaught() throws Exception {
    Files.writeString(folder.resolve("mixed.dat"), "a line of text\n".repeat(1_000) + "\0tail\n");

    ToolResult result = fixture.call("Read", "file_path", "mixed.dat");

    assertThat(result.isError()).isTrue();
    assertThat(result.content()).contains("mixed.dat is a binary file");
  }

  @Test
  void aMissingFileIsNamed() throws Exception {
    ToolResult result = fixture.call("Read", "file_path", "src/nope.py");

    assertThat(result.isError()).isTrue();
    assertThat(result.content()).isEqualTo("File does not exist: src/nope.py");
  }

  @Test
  void aFolderIsNotReadAsAFile() throws Exception {
    Files.createDirectories(folder.resolve("src"));

    ToolResult result = fixture.call("Read", "file_path", "src");

    assertThat(result.isError()).isTrue();
    assertThat(result.content()).contains("src is a folder").contains("Glob");
  }

  @Test
  void anOffsetPastTheEndSaysHowLongTheFileIs() throws Exception {
    Files.writeString(folder.resolve("ten.txt"), lines(10));

    ToolResult result = fixture.call("Read", "file_path", "ten.txt", "offset", 50);

    assertThat(result.isError()).isTrue();
    assertThat(result.content()).contains("has 10 lines").contains("offset 50");
  }

  @Test
  void anEmptyFileSaysSo() throws Exception {
    Files.writeString(folder.resolve("empty.txt"), "");

    ToolResult result = fixture.call("Read", "file_path", "empty.txt");

    assertThat(result.isError()).isFalse();
    assertThat(result.content()).contains("empty.txt is empty");
  }

  @Test
  void aLimitBelowOneIsRefused() throws Exception {
    Files.writeString(folder.resolve("ten.txt"), lines(10));

    ToolResult result = fixture.call("Read", "file_path", "ten.txt", "limit", 0);

    assertThat(result.isError()).isTrue();
    assertThat(result.content()).contains("limit must be between 1");
  }

  static String lines(int count) {
    return IntStream.rangeClosed(1, count).mapToObj(i -> "line " + i).collect(Collectors.joining("\n", "", "\n"));
  }
}
