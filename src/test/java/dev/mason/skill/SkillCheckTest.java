package dev.mason.skill;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mason.Application;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code mason skills check DIR}: each rule reports the file and what is wrong, and the exit code says whether any did. */
class SkillCheckTest {
  @TempDir
  Path dir;

  record Run(int exit, String out, String err) {}

  Run check(String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int exit = SkillsCommand.run(List.of(args), Application.toolNames(), new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8));
    return new Run(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  void write(String relative, String content) throws IOException {
    Path file = dir.resolve(relative);
    Files.createDirectories(file.getParent());
    Files.writeString(file, content);
  }

  static String skill(String name, String description, String body) {
    return "---\nname: " + name + "\ndescription: " + description + "\n---\n" + body;
  }

  @Test
  void aGoodSkillPassesWithExitZero() throws IOException {
    write("warehouse-sizing/SKILL.md", skill("warehouse-sizing", "Size SQL warehouses. Use it when queries queue.", """
        # Sizing
        Use `execute_sql` and read [the notes](notes/sizing.md).
        ```python
        print("hello")
        ```
        """));
    write("warehouse-sizing/notes/sizing.md", "Start small.\n");
    Run run = check("check", dir.toString());
    assertThat(run.out()).contains("1 skill checked, 0 problems.");
    assertThat(run.exit()).isZero();
  }

  @Test
  void theShippedSkillsFolderPasses() {
    Run run = check("check", ShippedSkillsTest.SOURCE.toString());
    assertThat(run.out()).doesNotContain(": ").contains("0 problems.");
    assertThat(run.exit()).isZero();
  }

  @Test
  void eachBrokenRuleIsReportedWithTheFileAndExitOne() throws IOException {
    write("no-when/SKILL.md", skill("no-when", "Facts about warehouses.", "Body.\n"));
    write("too-big/SKILL.md", skill("too-big", "Use it when testing the budget.", "x".repeat(SkillCheck.MAX_MAIN_FILE_BYTES)));
    write("bad-links/SKILL.md", skill("bad-links", "Use it when testing links.", "See [gone](missing.md).\n"));
    write("bad-links/unlinked.md", "Nobody links me.\n");
    write("bad-tools/SKILL.md", "---\nname: bad-tools\ndescription: Use it when testing tools.\ntools: [manage_nothing]\n---\n"
        + "Call `manage_dashbord` and then `execute_sql`.\n");
    write("bad-python/SKILL.md", skill("bad-python", "Use it when testing Python.", "```python\ndef broken(:\n    pass\n```\n"));
    write("bad-python/helper.py", "print('unclosed\n");
    write("grants-all/SKILL.md", skill("grants-all", "Use it when testing grants.", "```sql\nGRANT SELECT ON SCHEMA main.s TO `account users`;\n```\n"));
    write("alias-clash/SKILL.md", "---\nname: alias-clash\ndescription: Use it when testing aliases.\naliases: [no-when]\n---\nBody.\n");
    write("Bad_Name/SKILL.md", skill("Bad_Name", "Use it when testing names.", "Body.\n"));

    Run run = check("check", dir.toString());
    String label = dir.getFileName().toString();
    assertThat(run.exit()).isEqualTo(1);
    assertThat(run.out())
        .contains(label + "/no-when/SKILL.md: the description does not say when to use the skill")
        .contains(label + "/too-big/SKILL.md: has ").contains("the budget is 8192")
        .contains(label + "/bad-links/SKILL.md: line 5 links missing.md, which is not a file of this skill")
        .contains(label + "/bad-links/SKILL.md: does not link unlinked.md")
        .contains(label + "/bad-tools/SKILL.md: tools claims 'manage_nothing', which is not a tool of Mason")
        .contains(label + "/bad-tools/SKILL.md: line 6 names the tool 'manage_dashbord', which Mason does not have")
        .contains(label + "/bad-python/SKILL.md: the python example at line 6 fails: ").contains("SyntaxError")
        .contains(label + "/bad-python/helper.py: the python example at line 1 fails: ")
        .contains(label + "/grants-all/SKILL.md: grants to everyone")
        .contains(label + "/alias-clash/SKILL.md: alias 'no-when' is the name of another skill")
        .contains(label + "/Bad_Name/SKILL.md: name 'Bad_Name'")
        .doesNotContain("execute_sql'")
        .doesNotContain(dir.getParent().toString());
  }

  @Test
  void aWrongUsageExitsTwoWithTheUsage() {
    assertThat(check().exit()).isEqualTo(2);
    assertThat(check("lint", dir.toString()).err()).contains("Usage: mason skills check DIR");
    Run missing = check("check", dir.resolve("nope").toString());
    assertThat(missing.exit()).isEqualTo(2);
    assertThat(missing.err()).contains("is not a folder");
  }

  @Test
  void databricksSqlParsesAndBrokenSqlDoesNot() {
    DatabricksSqlCheck sql = new DatabricksSqlCheck();
    assertThat(sql.problem("SELECT a, count(*) FROM main.s.t WHERE b = :b GROUP BY a;")).isNull();
    assertThat(sql.problem("SELECT * FROM read_files('/Volumes/main/s/v/', format => 'csv', header => true) LIMIT 10;")).isNull();
    assertThat(sql.problem("CREATE OR REFRESH MATERIALIZED VIEW daily AS SELECT day, sum(x) AS x FROM main.s.t GROUP BY day;")).isNull();
    assertThat(sql.problem("MERGE INTO main.s.t AS t USING main.s.u AS s ON t.id = s.id "
        + "WHEN MATCHED THEN UPDATE SET * WHEN NOT MATCHED THEN INSERT *;")).isNull();
    assertThat(sql.problem("GRANT USE CATALOG ON CATALOG main TO `analysts`;")).isNull();

    assertThat(sql.problem("SELEC a FROM t;")).contains("does not parse");
    assertThat(sql.problem("SELECT a FROM t WHERE (b = 1;")).contains("does not parse");
    assertThat(sql.problem("CREATE OR REFRESH MATERIALIZED VIEW m AS SELECT FROM WHERE;")).isNotNull();
    assertThat(sql.problem("GRANT SELECT ON TABLE main.s.t TO `analysts;")).contains("quote is never closed");
    assertThat(sql.problem("SHOW TABLES IN main.s (;")).contains("never closed");
  }
}
