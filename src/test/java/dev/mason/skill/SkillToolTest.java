package dev.mason.skill;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mason.agent.tool.ToolContext;
import dev.mason.agent.tool.ToolResult;
import dev.mason.identity.Caller;
import dev.mason.testing.Api;
import dev.mason.testing.TestMason;
import dev.mason.web.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** ENABLED_SKILLS, and the Skill tool and system-prompt list against a project's real choice. */
class SkillToolTest {
  static final Caller ALICE = new Caller("alice@example.com", null, Caller.Source.FORWARDED_HEADERS);
  static final Caller BOB = new Caller("bob@example.com", null, Caller.Source.FORWARDED_HEADERS);

  @TempDir
  static Path skillsDir;
  static TestMason mason;
  static Api alice;
  static SkillTool tool;

  @BeforeAll
  static void start() throws IOException {
    Path demo = Files.createDirectories(skillsDir.resolve("tool-demo/examples"));
    Files.writeString(demo.resolve("../SKILL.md"), """
        ---
        name: tool-demo
        description: |
          A literal block
          keeps its line breaks.
        ---
        # Tool demo
        Step one: read the examples.
        """);
    Files.writeString(demo.resolve("../reference.md"), "Reference text.\n");
    Files.writeString(demo.resolve("query.sql"), "SELECT 1;\n");
    mason = TestMason.start(Map.of(
        "SKILLS_DIR", skillsDir.toString(),
        "ENABLED_SKILLS", " databricks-sql, unity-catalog,,tool-demo ,missing-one"));
    alice = mason.as("alice@example.com");
    tool = new SkillTool(mason.app().skills());
  }

  @AfterAll
  static void stop() {
    mason.close();
  }

  @Test
  void enabledSkillsNarrowsTheCatalogByNamesAndAliasesAndReportsNamesItDoesNotFind() {
    JsonNode body = alice.get("/api/projects/" + newProject() + "/skills/available").json();
    assertThat(SkillApiTest.names(body.get("skills"))).containsExactly("databricks-dbsql", "databricks-unity-catalog", "tool-demo");
    assertThat(body.get("total_count").asInt()).isEqualTo(3);
    assertThat(SkillApiTest.description(body, "tool-demo")).isEqualTo("A literal block\nkeeps its line breaks.");
    assertThat(SkillApiTest.problems(body.get("problems")).get("ENABLED_SKILLS")).contains("'missing-one'");
  }

  @Test
  void theSkillToolReturnsTheInstructionsAndListsTheOtherFiles() throws Exception {
    ToolResult result = tool.execute(context(ALICE, newProject()), input("{\"skill\": \"tool-demo\"}"));
    assertThat(result.isError()).as(result.content()).isFalse();
    assertThat(result.content())
        .contains("# Tool demo\nStep one: read the examples.")
        .doesNotContain("description:")
        .contains("- examples/query.sql\n- reference.md\n")
        .doesNotContain("- SKILL.md");
  }

  @Test
  void theSkillToolReadsOneOfTheSkillsFiles() throws Exception {
    UUID project = newProject();
    assertThat(tool.execute(context(ALICE, project), input("{\"skill\": \"tool-demo\", \"file\": \"examples/query.sql\"}")))
        .isEqualTo(ToolResult.ok("SELECT 1;\n"));
    ToolResult outside = tool.execute(context(ALICE, project), input("{\"skill\": \"tool-demo\", \"file\": \"../tool-demo/reference.md\"}"));
    assertThat(outside.isError()).isTrue();
    assertThat(outside.content()).contains("has no file").contains("examples/query.sql, reference.md");
  }

  @Test
  void theSkillToolRefusesASkillTheProjectDisabledAndNamesTheAvailableOnes() throws Exception {
    UUID project = newProject();
    var put = alice.put("/api/projects/" + project + "/skills/enabled", "{\"enabled_skills\": [\"databricks-sql\", \"unity-catalog\"]}");
    assertThat(put.status()).as(put.toString()).isEqualTo(200);

    ToolResult disabled = tool.execute(context(ALICE, project), input("{\"skill\": \"tool-demo\"}"));
    assertThat(disabled.isError()).isTrue();
    assertThat(disabled.content()).contains("'tool-demo' is disabled in this project")
        .contains("Available skills: databricks-dbsql, databricks-unity-catalog.");
    assertThat(mason.app().skills().enabledFor(ALICE, project))
        .extracting(SkillSummary::name).containsExactly("databricks-dbsql", "databricks-unity-catalog");

    // Mason's old name of the SQL skill is an alias of it.
    ToolResult enabled = tool.execute(context(ALICE, project), input("{\"skill\": \"databricks-sql\"}"));
    assertThat(enabled.isError()).as(enabled.content()).isFalse();
    assertThat(enabled.content()).startsWith("# Skill: databricks-dbsql");
    assertThat(enabled.content()).contains("# SQL on Databricks").contains("- functions.md");
  }

  @Test
  void theSkillToolRefusesUnknownSkillsAndMissingInput() throws Exception {
    UUID project = newProject();
    ToolResult filteredOut = tool.execute(context(ALICE, project), input("{\"skill\": \"databricks-jobs\"}"));
    assertThat(filteredOut.isError()).isTrue();
    assertThat(filteredOut.content()).contains("'databricks-jobs' does not exist")
        .contains("Available skills: databricks-dbsql, databricks-unity-catalog, tool-demo.");
    ToolResult missing = tool.execute(context(ALICE, project), input("{}"));
    assertThat(missing.isError()).isTrue();
    assertThat(missing.content()).contains("'skill' is required");
  }

  @Test
  void theSkillToolFindsNothingInAnotherUsersProject() throws Exception {
    ToolResult result = tool.execute(context(BOB, newProject()), input("{\"skill\": \"tool-demo\"}"));
    assertThat(result.isError()).isTrue();
    assertThat(result.content()).contains("not found").doesNotContain("Step one");
  }

  @Test
  void theToolSchemaRequiresTheSkillName() {
    assertThat(tool.name()).isEqualTo("Skill");
    assertThat(tool.readOnly()).isTrue();
    JsonNode schema = tool.inputSchema();
    assertThat(schema.get("type").asText()).isEqualTo("object");
    assertThat(schema.get("required").toString()).isEqualTo("[\"skill\"]");
    List<String> properties = new ArrayList<>();
    schema.get("properties").fieldNames().forEachRemaining(properties::add);
    assertThat(properties).containsExactly("skill", "file");
  }

  static UUID newProject() {
    var created = alice.post("/api/projects", "{\"name\": \"Tool\"}");
    assertThat(created.status()).isEqualTo(201);
    return UUID.fromString(created.json().get("id").asText());
  }

  static ToolContext context(Caller caller, UUID project) {
    return new ToolContext(caller, project, mason.home(), null, null, null);
  }

  static JsonNode input(String json) throws IOException {
    return Json.MAPPER.readTree(json);
  }
}
