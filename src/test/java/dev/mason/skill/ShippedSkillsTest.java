package dev.mason.skill;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The skills in the jar: the index agrees with the folders, and every skill is valid. */
class ShippedSkillsTest {
  static final Path SOURCE = Path.of("src/main/resources/skills");

  @Test
  void theIndexListsExactlyTheFilesOfTheShippedSkillFolders() throws IOException {
    List<String> indexed = Files.readAllLines(SOURCE.resolve("index.txt")).stream()
        .map(String::strip).filter(l -> !l.isEmpty() && !l.startsWith("#")).sorted().toList();
    List<String> onDisk;
    try (Stream<Path> files = Files.walk(SOURCE)) {
      onDisk = files.filter(Files::isRegularFile).map(f -> SOURCE.relativize(f).toString().replace('\\', '/'))
          .filter(f -> f.contains("/")).sorted().toList();
    }
    assertThat(indexed).isEqualTo(onDisk);
  }

  @Test
  void everyShippedSkillLoadsWithoutProblems() {
    SkillCatalog catalog = SkillCatalog.load(SkillSettings.DEFAULTS, (caller, project) -> null);
    assertThat(catalog.problems()).isEmpty();
    assertThat(catalog.all()).extracting(SkillSummary::name)
        .containsExactly("databricks-jobs", "databricks-sql", "spark-declarative-pipelines", "unity-catalog");
    assertThat(catalog.all()).allSatisfy(s -> assertThat(s.description()).hasSizeGreaterThan(80).doesNotContain("\n"));
  }

  @Test
  void noShippedSkillGrantsToEveryone() throws IOException {
    // SQL statements in the skills, not the prose that forbids them.
    Pattern grantToAll = Pattern.compile("(?m)^\\s*GRANT [^;\\n]* TO\\s+`?(account users|users)\\b");
    Pattern allPrivileges = Pattern.compile("(?m)^\\s*GRANT\\s+ALL\\s+PRIVILEGES");
    try (Stream<Path> files = Files.walk(SOURCE)) {
      for (Path file : files.filter(f -> f.toString().endsWith(".md")).toList()) {
        String text = Files.readString(file);
        assertThat(grantToAll.matcher(text).find()).as(file.toString()).isFalse();
        assertThat(allPrivileges.matcher(text).find()).as(file.toString()).isFalse();
      }
    }
  }
}
