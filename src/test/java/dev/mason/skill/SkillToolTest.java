package dev.mason.skill;

import static dev.mason.agent.llm.FakeAnthropicServer.message;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mason.agent.llm.FakeAnthropicServer;
import dev.mason.testing.Api;
import dev.mason.testing.SseClient;
import dev.mason.testing.SseClient.Event;
import dev.mason.testing.TestMason;
import dev.mason.web.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * ENABLED_SKILLS, and the Skill tool against a project's real choice: the model calls the tool in
 * a run, and the run's tool_result event is what the model reads back.
 */
class SkillToolTest {
  static final String ALICE = "alice@example.com";
  static final String MODEL = "fake-claude";

  @TempDir
  static Path skillsDir;
  static FakeAnthropicServer model;
  static TestMason mason;
  static Api alice;

  /** What the Skill tool answered the model: its text, and whether it was an error. */
  record Answer(String content, boolean isError) {}

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
    model = new FakeAnthropicServer();
    model.alwaysAnswer("fake-mini", message().text("A title"));
    mason = TestMason.start(Map.of(
        "ANTHROPIC_BASE_URL", model.baseUrl(), "ANTHROPIC_AUTH_TOKEN", "t",
        "ANTHROPIC_MODEL", MODEL, "ANTHROPIC_MODEL_MINI", "fake-mini",
        "SKILLS_DIR", skillsDir.toString(),
        "ENABLED_SKILLS", " databricks-sql, unity-catalog,,tool-demo ,missing-one"));
    alice = mason.as(ALICE);
  }

  @AfterAll
  static void stop() {
    mason.close();
    model.close();
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
  void theSkillToolReturnsTheInstructionsAndListsTheOtherFiles() {
    Answer result = skill(newProject(), "{\"skill\": \"tool-demo\"}");
    assertThat(result.isError()).as(result.content()).isFalse();
    assertThat(result.content())
        .contains("# Tool demo\nStep one: read the examples.")
        .doesNotContain("description:")
        .contains("- examples/query.sql\n- reference.md\n")
        .doesNotContain("- SKILL.md");
  }

  @Test
  void theSkillToolReadsOneOfTheSkillsFiles() {
    UUID project = newProject();
    assertThat(skill(project, "{\"skill\": \"tool-demo\", \"file\": \"examples/query.sql\"}"))
        .isEqualTo(new Answer("SELECT 1;\n", false));
    Answer outside = skill(project, "{\"skill\": \"tool-demo\", \"file\": \"../tool-demo/reference.md\"}");
    assertThat(outside.isError()).isTrue();
    assertThat(outside.content()).contains("has no file").contains("examples/query.sql, reference.md");
  }

  @Test
  void theSkillToolRefusesASkillTheProjectDisabledAndNamesTheAvailableOnes() {
    UUID project = newProject();
    var put = alice.put("/api/projects/" + project + "/skills/enabled", "{\"enabled_skills\": [\"databricks-sql\", \"unity-catalog\"]}");
    assertThat(put.status()).as(put.toString()).isEqualTo(200);

    Answer disabled = skill(project, "{\"skill\": \"tool-demo\"}");
    assertThat(disabled.isError()).isTrue();
    assertThat(disabled.content()).contains("'tool-demo' is disabled in this project")
        .contains("Available skills: databricks-dbsql, databricks-unity-catalog.");
    assertThat(model.requestsFor(MODEL).getLast().body().get("system").toString())
        .as("the system prompt lists the project's enabled skills alone")
        .contains("databricks-dbsql", "databricks-unity-catalog").doesNotContain("tool-demo");

    // Mason's old name of the SQL skill is an alias of it.
    Answer enabled = skill(project, "{\"skill\": \"databricks-sql\"}");
    assertThat(enabled.isError()).as(enabled.content()).isFalse();
    assertThat(enabled.content()).startsWith("# Skill: databricks-dbsql");
    assertThat(enabled.content()).contains("# SQL on Databricks").contains("- functions.md");
  }

  @Test
  void theSkillToolRefusesUnknownSkillsAndMissingInput() {
    UUID project = newProject();
    Answer filteredOut = skill(project, "{\"skill\": \"databricks-jobs\"}");
    assertThat(filteredOut.isError()).isTrue();
    assertThat(filteredOut.content()).contains("'databricks-jobs' does not exist")
        .contains("Available skills: databricks-dbsql, databricks-unity-catalog, tool-demo.");
    Answer missing = skill(project, "{}");
    assertThat(missing.isError()).isTrue();
    assertThat(missing.content()).as("the schema check the model's input passes before any tool").contains("skill is required");
  }

  @Test
  void anotherUsersProjectAnswers404BeforeAnyToolRuns() {
    var refused = mason.as("bob@example.com").post("/api/invoke_agent",
        "{\"project_id\": \"" + newProject() + "\", \"message\": \"use the skill\"}");
    assertThat(refused.status()).isEqualTo(404);
  }

  @Test
  void theToolSchemaTheModelIsOfferedRequiresTheSkillName() {
    skill(newProject(), "{\"skill\": \"tool-demo\"}");
    JsonNode offered = null;
    for (JsonNode tool : model.requestsFor(MODEL).getFirst().body().get("tools")) {
      if (tool.path("name").asText().equals("Skill")) {
        offered = tool;
      }
    }
    assertThat(offered).as("the Skill tool among the tools offered").isNotNull();
    JsonNode schema = offered.get("input_schema");
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

  /** Runs a message in which the model calls the Skill tool with {@code input}; what the tool answered. */
  static Answer skill(UUID project, String input) {
    model.enqueue(message().toolUse("tu_skill", "Skill", input), message().text("Read."));
    var started = alice.post("/api/invoke_agent", "{\"project_id\": \"" + project + "\", \"message\": \"use the skill\"}");
    assertThat(started.status()).as(started.body()).isEqualTo(202);
    List<Event> events = SseClient.read(mason.baseUrl() + "/api/executions/" + started.json().get("execution_id").asText()
        + "/events?after=0", Map.of("X-Forwarded-Email", ALICE), e -> e.type().equals("done"), Duration.ofSeconds(30));
    JsonNode result = events.stream().filter(e -> e.type().equals("tool_result")).findFirst().orElseThrow().data();
    return new Answer(result.get("content").asText(), result.get("is_error").asBoolean());
  }
}
