package dev.mason.agent.tool;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EditToolTest {
  @TempDir
  Path folder;
  ToolFixture fixture;
  Path file;

  @BeforeEach
  void setUp() throws Exception {
    fixture = new ToolFixture(folder);
    file = folder.resolve("job.py");
    Files.writeString(file, "x = 1\ny = 1\nprint(x)\n");
  }

  @Test
  void aUniqueStringIsReplaced() throws Exception {
    ToolResult result = fixture.call("Edit", "file_path", "job.py", "old_string", "y = 1", "new_string", "y = 2");

    assertThat(result.isError()).isFalse();
    assertThat(result.content()).isEqualTo("Edited job.py: replaced 1 occurrence.");
    assertThat(Files.readString(file)).isEqualTo("x = 1\ny = 2\nprint(x)\n");
  }

  @Test
  void anAbsentStringIsReportedAndTheFileLeftAlone() throws Exception {
    ToolResult result = fixture.call("Edit", "file_path", "job.py", "old_string", "z = 1", "new_string", "z = 2");

    assertThat(result.isError()).isTrue();
    assertThat(result.content()).startsWith("old_string not found in job.py");
    assertThat(Files.readString(file)).isEqualTo("x = 1\ny = 1\nprint(x)\n");
  }

  @Test
  void anAmbiguousStringIsRefusedWithItsCount() throws Exception {
    ToolResult result = fixture.call("Edit", "file_path", "job.py", "old_string", " = 1", "new_string", " = 3");

    assertThat(result.isError()).isTrue();
    assertThat(result.content()).contains("found 2 times in job.py").contains("add context").contains("replace_all");
    assertThat(Files.readString(file)).isEqualTo("x = 1\ny = 1\nprint(x)\n");
  }

  @Test
  void replaceAllChangesEveryOccurrence() throws Exception {
    ToolResult result = fixture.call("Edit", "file_path", "job.py", "old_string", " = 1", "new_string", " = 3", "replace_all", true);

    assertThat(result.content()).isEqualTo("Edited job.py: replaced 2 occurrences.");
    assertThat(Files.readString(file)).isEqualTo("x = 3\ny = 3\nprint(x)\n");
  }

  @Test
  void anEmptyNewStringDeletesTheText() throws Exception {
    ToolResult result = fixture.call("Edit", "file_path", "job.py", "old_string", "y = 1\n", "new_string", "");

    assertThat(result.isError()).isFalse();
    assertThat(Files.readString(file)).isEqualTo("x = 1\nprint(x)\n");
  }

  @Test
  void identicalOldAndNewStringsAreRefused() throws Exception {
    ToolResult result = fixture.call("Edit", "file_path", "job.py", "old_string", "x = 1", "new_string", "x = 1");

    assertThat(result.isError()).isTrue();
    assertThat(result.content()).contains("old_string and new_string are the same");
  }

  @Test
  void replacementTextIsTakenLiterallyNotAsARegex() throws Exception {
    ToolResult result = fixture.call("Edit", "file_path", "job.py", "old_string", "print(x)", "new_string", "print($1 \\ x)");

    assertThat(result.isError()).isFalse();
    assertThat(Files.readString(file)).endsWith("print($1 \\ x)\n");
  }

  @Test
  void aMissingFileIsNamed() throws Exception {
    ToolResult result = fixture.call("Edit", "file_path", "nope.py", "old_string", "a", "new_string", "b");

    assertThat(result.isError()).isTrue();
    assertThat(result.content()).isEqualTo("File does not exist: nope.py");
  }

  @Test
  void aBinaryFileIsNotEdited() throws Exception {
    Files.write(folder.resolve("data.bin"), new byte[] {'a', 0, 'b'});

    ToolResult result = fixture.call("Edit", "file_path", "data.bin", "old_string", "a", "new_string", "b");

    assertThat(result.isError()).isTrue();
    assertThat(result.content()).contains("data.bin is a binary file");
  }
}
