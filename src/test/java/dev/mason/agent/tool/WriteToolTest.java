package dev.mason.agent.tool;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WriteToolTest {
  @TempDir
  Path folder;
  ToolFixture fixture;

  @BeforeEach
  void setUp() {
    fixture = new ToolFixture(folder);
  }

  @Test
  void aNewFileIsCreatedWithItsParentFoldersAndItsSizeReported() throws Exception {
    ToolResult result = fixture.call("Write", "file_path", "src/etl/job.py", "content", "café\n");

    assertThat(result.isError()).isFalse();
    assertThat(result.content()).isEqualTo("Created src/etl/job.py (6 bytes written).");
    assertThat(Files.readString(folder.resolve("src/etl/job.py"))).isEqualTo("café\n");
  }

  @Test
  void anExistingFileIsReplacedWhole() throws Exception {
    Files.writeString(folder.resolve("a.txt"), "a much longer original text\n");

    ToolResult result = fixture.call("Write", "file_path", "a.txt", "content", "new");

    assertThat(result.content()).isEqualTo("Overwrote a.txt (3 bytes written).");
    assertThat(Files.readString(folder.resolve("a.txt"))).isEqualTo("new");
  }

  @Test
  void emptyContentMakesAnEmptyFile() throws Exception {
    ToolResult result = fixture.call("Write", "file_path", "empty.txt", "content", "");

    assertThat(result.isError()).isFalse();
    assertThat(Files.size(folder.resolve("empty.txt"))).isZero();
  }

  @Test
  void aFolderCannotBeWrittenAsAFile() throws Exception {
    Files.createDirectories(folder.resolve("src"));

    ToolResult result = fixture.call("Write", "file_path", "src", "content", "x");

    assertThat(result.isError()).isTrue();
    assertThat(result.content()).contains("src is a folder");
  }

  @Test
  void aFileStandingWhereAFolderIsNeededIsNamed() throws Exception {
    Files.writeString(folder.resolve("config"), "x");

    ToolResult result = fixture.call("Write", "file_path", "config/app.yml", "content", "x");

    assertThat(result.isError()).isTrue();
    assertThat(result.content()).contains("config is a file, not a folder");
  }

  @Test
  void missingContentIsRefusedBeforeAnythingIsWritten() throws Exception {
    ToolResult result = fixture.call("Write", "file_path", "a.txt");

    assertThat(result.isError()).isTrue();
    assertThat(result.content()).isEqualTo("Invalid input for Write: content is required.");
    assertThat(folder.resolve("a.txt")).doesNotExist();
  }
}
