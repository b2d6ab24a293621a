package dev.mason.agent.tool;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GrepToolTest {
  @TempDir
  Path folder;
  ToolFixture fixture;

  @BeforeEach
  void setUp() throws Exception {
    fixture = new ToolFixture(folder);
    write("src/etl.py", "import spark\n\ndef load():\n    # TODO: retry\n    return spark.read.table('sales')\n", 20);
    write("src/report.py", "def report():\n    todo = 1\n    return todo\n", 10);
    write("docs/notes.md", "TODO write the docs\n", 0);
    Files.write(folder.resolve("src/model.bin"), new byte[] {'T', 'O', 'D', 'O', 0, 1, 2});
    write(".git/COMMIT_EDITMSG", "TODO in git\n", 0);
  }

  @Test
  void byDefaultTheMatchingFilesAreListedNewestFirst() throws Exception {
    ToolResult result = fixture.call("Grep", "pattern", "TODO");

    assertThat(result.isError()).isFalse();
    assertThat(result.content().lines()).containsExactly("docs/notes.md", "src/etl.py");
  }

  @Test
  void ignoringCaseFindsMore() throws Exception {
    ToolResult result = fixture.call("Grep", "pattern", "todo", "-i", true);

    assertThat(result.content().lines()).containsExactly("docs/notes.md", "src/report.py", "src/etl.py");
  }

  @Test
  void contentModeShowsPathLineNumberAndText() throws Exception {
    ToolResult result = fixture.call("Grep", "pattern", "def \\w+", "output_mode", "content");

    assertThat(result.content().lines()).containsExactly("src/etl.py:3:def load():", "src/report.py:1:def report():");
  }

  @Test
  void contentModeWithoutLineNumbers() throws Exception {
    ToolResult result = fixture.call("Grep", "pattern", "def \\w+", "output_mode", "content", "-n", false);

    assertThat(result.content().lines()).containsExactly("src/etl.py:def load():", "src/report.py:def report():");
  }

  @Test
  void contextLinesAreMarkedWithDashesAndGroupsSeparated() throws Exception {
    ToolResult result = fixture.call("Grep", "pattern", "return", "output_mode", "content", "-B", 1, "path", "src");

    assertThat(result.content().lines()).containsExactly(
        "src/etl.py-4-    # TODO: retry",
        "src/etl.py:5:    return spark.read.table('sales')",
        "--",
        "src/report.py-2-    todo = 1",
        "src/report.py:3:    return todo");
  }

  @Test
  void overlappingContextIsShownOnce() throws Exception {
    ToolResult result = fixture.call("Grep", "pattern", "todo", "output_mode", "content", "-C", 1, "path", "src/report.py");

    assertThat(result.content().lines()).containsExactly(
        "src/report.py-1-def report():",
        "src/report.py:2:    todo = 1",
        "src/report.py:3:    return todo");
  }

  @Test
  void afterContextFollowsTheMatch() throws Exception {
    ToolResult result = fixture.call("Grep", "pattern", "^import", "output_mode", "content", "-A", 2);

    assertThat(result.content().lines()).containsExactly("src/etl.py:1:import spark", "src/etl.py-2-", "src/etl.py-3-def load():");
  }

  @Test
  void countModeCountsMatchingLinesPerFile() throws Exception {
    ToolResult result = fixture.call("Grep", "pattern", "todo", "-i", true, "output_mode", "count");

    assertThat(result.content()).isEqualTo("docs/notes.md:1\nsrc/etl.py:1\nsrc/report.py:2\n\n4 matching lines in 3 files.");
  }

  @Test
  void aGlobWithoutSlashFiltersByFileNameAtAnyDepth() throws Exception {
    ToolResult result = fixture.call("Grep", "pattern", "TODO", "glob", "*.py");

    assertThat(result.content().lines()).containsExactly("src/etl.py");
  }

  @Test
  void aGlobWithASlashFiltersByPath() throws Exception {
    ToolResult result = fixture.call("Grep", "pattern", "todo", "-i", true, "glob", "src/**/*.py");

    assertThat(result.content().lines()).containsExactly("src/report.py", "src/etl.py");
  }

  @Test
  void headLimitKeepsTheFirstEntries() throws Exception {
    ToolResult result = fixture.call("Grep", "pattern", ".", "output_mode", "content", "head_limit", 2, "path", "src/etl.py");

    assertThat(result.content()).startsWith("src/etl.py:1:import spark\nsrc/etl.py:3:def load():\n\n(Output cut after 2 lines (head_limit)").contains("head_limit");
  }

  @Test
  void hugeOutputIsCutWithANote() throws Exception {
    write("big.log", ("ERROR something failed in a rather long line of log output\n").repeat(5_000), 0);

    ToolResult result = fixture.call("Grep", "pattern", "ERROR", "output_mode", "content", "path", "big.log");

    assertThat(result.content().length()).isLessThan(GrepReport.MAX_OUTPUT_CHARS + 1_000);
    assertThat(result.content()).contains("Output cut after").contains("Narrow the pattern");
  }

  @Test
  void aBinaryFileNamedAsThePathIsRefused() throws Exception {
    ToolResult result = fixture.call("Grep", "pattern", "TODO", "path", "src/model.bin");

    assertThat(result.isError()).isTrue();
    assertThat(result.content()).contains("model.bin is a binary file");
  }

  @Test
  void anInvalidRegexIsExplained() throws Exception {
    ToolResult result = fixture.call("Grep", "pattern", "interface{}(");

    assertThat(result.isError()).isTrue();
    assertThat(result.content()).startsWith("pattern is not a valid regular expression");
  }

  @Test
  void noMatchIsAnAnswerNotAnError() throws Exception {
    ToolResult result = fixture.call("Grep", "pattern", "nothing-like-this");

    assertThat(result.isError()).isFalse();
    assertThat(result.content()).isEqualTo("No matches for 'nothing-like-this' in ..");
  }

  @Test
  void anUnknownOutputModeIsRefusedWithTheChoices() throws Exception {
    ToolResult result = fixture.call("Grep", "pattern", "x", "output_mode", "lines");

    assertThat(result.isError()).isTrue();
    assertThat(result.content()).isEqualTo(
        "Invalid input for Grep: output_mode must be one of files_with_matches, content, count, not \"lines\".");
  }

  private void write(String relative, String text, int minutesAgo) throws Exception {
    Path file = folder.resolve(relative);
    Files.createDirectories(file.getParent());
    Files.writeString(file, text);
    Files.setLastModifiedTime(file, FileTime.from(Instant.now().minusSeconds(60L * minutesAgo)));
  }
}
