package dev.mason.skill;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mason.Application;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The skills in the jar: the index agrees with the folders, every skill passes every rule of
 * {@link SkillCheck} (the rules {@code mason skills check} applies, plus the SQL parser), and the
 * names of both reference systems select the same areas.
 */
class ShippedSkillsTest {
  static final Path SOURCE = Path.of("src/main/resources/skills");

  /** The builder app's own app.yaml: {@code ENABLED_SKILLS}. */
  static final List<String> BUILDER_APP_YAML = List.of(
      "databricks-agent-bricks", "databricks-python-sdk", "databricks-spark-declarative-pipelines");
  /** The builder app's README lists these skills. */
  static final List<String> BUILDER_SKILLS = List.of("databricks-asset-bundles", "databricks-app-apx",
      "databricks-app-python", "databricks-python-sdk", "databricks-mlflow-evaluation",
      "databricks-spark-declarative-pipelines", "databricks-synthetic-data-generation", "databricks-agent-bricks");
  /** The terminal app's short names, by the area each selects. */
  static final Map<String, String> TERMINAL_NAMES = Map.ofEntries(
      Map.entry("agent-bricks", "databricks-agent-bricks"), Map.entry("genie", "databricks-genie"),
      Map.entry("mlflow-eval", "databricks-mlflow-evaluation"), Map.entry("model-serving", "databricks-model-serving"),
      Map.entry("aibi-dashboards", "databricks-aibi-dashboards"), Map.entry("unity-catalog", "databricks-unity-catalog"),
      Map.entry("metric-views", "databricks-metric-views"),
      Map.entry("declarative-pipelines", "databricks-spark-declarative-pipelines"), Map.entry("jobs", "databricks-jobs"),
      Map.entry("structured-streaming", "databricks-spark-structured-streaming"),
      Map.entry("synthetic-data", "databricks-synthetic-data-generation"), Map.entry("zerobus-ingest", "databricks-zerobus-ingest"),
      Map.entry("asset-bundles", "databricks-asset-bundles"), Map.entry("app-apx", "databricks-app-apx"),
      Map.entry("app-python", "databricks-app-python"), Map.entry("python-sdk", "databricks-python-sdk"),
      Map.entry("config", "databricks-config"), Map.entry("spark-python-data-source", "spark-python-data-source"),
      Map.entry("lakebase-autoscale", "databricks-lakebase-autoscale"),
      Map.entry("lakebase-provisioned", "databricks-lakebase-provisioned"), Map.entry("vector-search", "databricks-vector-search"),
      Map.entry("dbsql", "databricks-dbsql"), Map.entry("brainstorming", "brainstorming"),
      Map.entry("writing-plans", "writing-plans"), Map.entry("executing-plans", "executing-plans"),
      Map.entry("test-driven-dev", "test-driven-development"), Map.entry("systematic-debugging", "systematic-debugging"),
      Map.entry("verification", "verification-before-completion"), Map.entry("requesting-review", "requesting-code-review"),
      Map.entry("receiving-review", "receiving-code-review"));
  /** The names Mason shipped before this catalog: projects may have stored them. */
  static final Map<String, String> MASON_OLD_NAMES = Map.of(
      "databricks-sql", "databricks-dbsql", "spark-declarative-pipelines", "databricks-spark-declarative-pipelines",
      "unity-catalog", "databricks-unity-catalog", "databricks-jobs", "databricks-jobs");

  static SkillCatalog catalog(SkillSettings settings) {
    return SkillCatalog.load(settings, (caller, project) -> null);
  }

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
  void atLeastThirtyShippedSkillsLoadWithoutProblems() {
    SkillCatalog catalog = catalog(SkillSettings.DEFAULTS);
    assertThat(catalog.problems()).isEmpty();
    assertThat(catalog.all()).hasSizeGreaterThanOrEqualTo(30);
    assertThat(catalog.all()).allSatisfy(s -> assertThat(s.description()).hasSizeGreaterThan(80).doesNotContain("\n"));
  }

  @Test
  void everyShippedSkillPassesEveryQualityRule() {
    List<SkillCheck.ExampleCheck> examples = List.of(
        PythonCompile.find().orElseThrow(() -> new AssertionError("python3 is needed to compile the Python examples")),
        new DatabricksSqlCheck());
    SkillCheck.Report report = SkillCheck.check("skills", SOURCE, knownTools(), examples);
    assertThat(report.problems()).as("problems").isEmpty();
    assertThat(report.skills()).hasSizeGreaterThanOrEqualTo(30);
  }

  /** Every tool Mason has, from the real registries. */
  static Set<String> knownTools() {
    Set<String> tools = Application.toolNames();
    assertThat(tools).contains("execute_sql", "manage_jobs", "Read", "Bash", "Skill", "mason_run");
    assertThat(tools).contains("manage_dashboard", "manage_vs_index", "generate_lakebase_credential", "manage_app");
    return tools;
  }

  @Test
  void theBuilderAppsOwnEnabledSkillsSelectThoseSkills() {
    SkillCatalog catalog = catalog(new SkillSettings(null, new LinkedHashSet<>(BUILDER_APP_YAML)));
    assertThat(catalog.problems()).isEmpty();
    assertThat(catalog.all()).extracting(SkillSummary::name).containsExactlyInAnyOrderElementsOf(BUILDER_APP_YAML);
    SkillCatalog all = catalog(SkillSettings.DEFAULTS);
    assertThat(BUILDER_SKILLS).allSatisfy(name -> assertThat(all.resolve(name)).as(name).isEqualTo(name));
  }

  @Test
  void theTerminalAppsNamesAndMasonsOldNamesSelectTheSameAreas() {
    SkillCatalog catalog = catalog(SkillSettings.DEFAULTS);
    TERMINAL_NAMES.forEach((alias, skill) -> assertThat(catalog.resolve(alias)).as(alias).isEqualTo(skill));
    MASON_OLD_NAMES.forEach((alias, skill) -> assertThat(catalog.resolve(alias)).as(alias).isEqualTo(skill));

    SkillCatalog shortNames = catalog(new SkillSettings(null, new LinkedHashSet<>(List.of("jobs", "dbsql", "agent-bricks"))));
    assertThat(shortNames.problems()).isEmpty();
    assertThat(shortNames.all()).extracting(SkillSummary::name)
        .containsExactly("databricks-agent-bricks", "databricks-dbsql", "databricks-jobs");
  }

  @Test
  void theReadmeListsEveryShippedSkillWithItsAliasesAndTools() throws IOException {
    String readme = Files.readString(Path.of("README.md"));
    SkillCatalog catalog = catalog(SkillSettings.DEFAULTS);
    for (SkillSummary skill : catalog.all()) {
      String row = readme.lines().filter(l -> l.contains("| `" + skill.name() + "` |")).findFirst()
          .orElseThrow(() -> new AssertionError("README.md does not list " + skill.name()));
      skill.aliases().forEach(alias -> assertThat(row).as(skill.name()).contains("`" + alias + "`"));
      catalog.skill(skill.name()).orElseThrow().tools().forEach(tool -> assertThat(row).as(skill.name()).contains("`" + tool + "`"));
    }
  }

  @Test
  void aProjectChoiceStoredUnderAnOldNameStillEnablesTheSkill() {
    SkillCatalog catalog = SkillCatalog.load(SkillSettings.DEFAULTS,
        (caller, project) -> List.of("databricks-sql", "spark-declarative-pipelines", "gone-skill"));
    assertThat(catalog.enabledFor(null, java.util.UUID.randomUUID())).extracting(SkillSummary::name)
        .containsExactly("databricks-dbsql", "databricks-spark-declarative-pipelines");
    assertThat(catalog.hiddenTools(null, java.util.UUID.randomUUID()))
        .contains("manage_jobs", "manage_job_runs", "manage_dashboard").doesNotContain("manage_pipeline", "execute_sql");
  }

  @Test
  void noShippedSkillGrantsToEveryone() throws IOException {
    assertThat(SkillCheck.overGrants("GRANT SELECT ON TABLE main.s.t TO `account users`;")).isTrue();
    assertThat(SkillCheck.overGrants("  GRANT ALL PRIVILEGES ON SCHEMA main.s TO `analysts`")).isTrue();
    assertThat(SkillCheck.overGrants("{\"principal\": \"users\", \"privileges\": [\"SELECT\"]}")).isTrue();
    assertThat(SkillCheck.overGrants("GRANT SELECT ON TABLE main.s.t TO `sales-analysts`;")).isFalse();
    try (Stream<Path> files = Files.walk(SOURCE)) {
      for (Path file : files.filter(Files::isRegularFile).toList()) {
        assertThat(SkillCheck.overGrants(Files.readString(file))).as(file.toString()).isFalse();
      }
    }
  }
}
