package dev.mason.agent.tool;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GlobToolTest {
  @TempDir
  Path folder;
  ToolFixture fixture;
  final Instant now = Instant.parse("2026-01-01T12:00:00Z");

  @BeforeEach
  void setUp() {
    fixture = new ToolFixture(folder);
  }

  @Test
  void matchesAreListedNewestFirstAndDoubleStarIncludesTheTopFolder() throws Exception {
    write("old.py", 300);
    write("src/newest.py", 0);
    write("src/deep/middle.py", 100);
    write("src/readme.md", 0);

    ToolResult result = fixture.call("Glob", "pattern", "**/*.py");

    assertThat(result.isError()).isFalse();
    assertThat(result.content().lines()).containsExactly("src/newest.py", "src/deep/middle.py", "old.py");
  }

  @Test
  void pathNarrowsTheSearchButResultsStayRelativeToTheProject() throws Exception {
    write("a.sql", 0);
    write("etl/b.sql", 10);
    write("etl/c.SQL", 20);

    ToolResult result = fixture.call("Glob", "pattern", "*.sql", "path", "etl");

    assertThat(result.content().lines()).containsExactly("etl/b.sql");
  }

  @Test
  void bracesOfferAlternatives() throws Exception {
    write("web/app.ts", 0);
    write("web/view.tsx", 10);
    write("web/style.css", 20);

    ToolResult result = fixture.call("Glob", "pattern", "web/*.{ts,tsx}");

    assertThat(result.content().lines()).containsExactly("web/app.ts", "web/view.tsx");
  }

  @Test
  void characterClassesAndQuestionMarksMatchOneCharacter() throws Exception {
    write("data/file1.csv", 0);
    write("data/file2.csv", 10);
    write("data/file7.csv", 20);
    write("data/file10.csv", 30);

    ToolResult result = fixture.call("Glob", "pattern", "data/file[1-3].csv");
    ToolResult negated = fixture.call("Glob", "pattern", "data/file[!1-3].csv");
    ToolResult single = fixture.call("Glob", "pattern", "data/file??.csv");

    assertThat(result.content().lines()).containsExactly("data/file1.csv", "data/file2.csv");
    assertThat(negated.content().lines()).containsExactly("data/file7.csv");
    assertThat(single.content().lines()).containsExactly("data/file10.csv");
  }

  @Test
  void anUnclosedBraceIsExplained() throws Exception {
    ToolResult result = fixture.call("Glob", "pattern", "*.{ts,tsx");

    assertThat(result.isError()).isTrue();
    assertThat(result.content()).isEqualTo("pattern '*.{ts,tsx' has a '{' that is never closed");
  }

  @Test
  void gitFoldersAreSkipped() throws Exception {
    write(".git/config", 0);
    write(".git/hooks/pre-commit", 0);
    write("config", 10);

    ToolResult result = fixture.call("Glob", "pattern", "**/*");

    assertThat(result.content().lines()).containsExactly("config");
  }

  @Test
  void overOneHundredMatchesTheNewestHundredAreShownWithANote() throws Exception {
    for (int i = 0; i < 105; i++) {
      write("data/file" + i + ".csv", i);
    }

    ToolResult result = fixture.call("Glob", "pattern", "**/*.csv");

    assertThat(result.content().lines().filter(line -> line.endsWith(".csv"))).hasSize(100);
    assertThat(result.content()).startsWith("data/file0.csv\n")
        .doesNotContain("data/file100.csv\n").doesNotContain("data/file104.csv")
        .contains("Showing the 100 most recently modified of 105 matching files");
  }

  @Test
  void noMatchIsAnAnswerNotAnError() throws Exception {
    write("a.txt", 0);

    ToolResult result = fixture.call("Glob", "pattern", "**/*.rs");

    assertThat(result.isError()).isFalse();
    assertThat(result.content()).isEqualTo("No files match '**/*.rs' in ..");
  }

  @Test
  void aMissingFolderIsNamed() throws Exception {
    ToolResult result = fixture.call("Glob", "pattern", "*", "path", "nowhere");

    assertThat(result.isError()).isTrue();
    assertThat(result.content()).isEqualTo("Folder does not exist: nowhere");
  }

  @Test
  void anAbsolutePatternIsRefusedWithAHint() throws Exception {
    ToolResult result = fixture.call("Glob", "pattern", "/etc/*");

    assertThat(result.isError()).isTrue();
    assertThat(result.content()).contains("absolute").contains("path");
  }

  @Test
  void aPatternCannotClimbOutOfTheFolder() throws Exception {
    write("a.txt", 0);

    ToolResult result = fixture.call("Glob", "pattern", "../**");

    assertThat(result.content()).startsWith("No files match");
  }

  private void write(String relative, int minutesAgo) throws Exception {
    Path file = folder.resolve(relative);
    Files.createDirectories(file.getParent());
    Files.writeString(file, relative);
    Files.setLastModifiedTime(file, FileTime.from(now.minusSeconds(60L * minutesAgo)));
  }
}
