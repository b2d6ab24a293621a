package dev.mason.skill;

import static dev.mason.agent.llm.FakeAnthropicServer.message;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mason.agent.llm.FakeAnthropicServer;
import dev.mason.databricks.FakeWorkspace;
import dev.mason.testing.Api;
import dev.mason.testing.SseClient;
import dev.mason.testing.TestMason;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Tool gating by skill: a tool claimed by skills (front matter {@code tools:}) is offered to a
 * project's runs only while one of those skills is enabled in the project; tools no skill claims
 * are always offered. Seen where the model sees it: the tools of the model request, and the
 * system prompt.
 */
class ToolGatingTest {
  static final String MODEL = "fake-claude";
  static final String MINI = "fake-claude-mini";
  static final String USER = "alice@example.com";

  @TempDir
  static Path skillsDir;
  static FakeWorkspace workspace;
  static FakeAnthropicServer model;
  static TestMason mason;
  static Api alice;

  @BeforeAll
  static void start() throws IOException {
    // A second claimant of manage_jobs: the tool stays while either skill is enabled.
    Path skill = skillsDir.resolve("release-train/SKILL.md");
    Files.createDirectories(skill.getParent());
    Files.writeString(skill, """
        ---
        name: release-train
        description: Our release jobs. Use it when scheduling a release.
        tools: [manage_jobs]
        ---
        Release on Tuesdays.
        """);
    workspace = FakeWorkspace.start().addUser("app-token", "mason-app@example.com");
    model = new FakeAnthropicServer();
    model.alwaysAnswer(MINI, message().text("Tools"));
    mason = TestMason.start(Map.of(
        "DATABRICKS_HOST", workspace.url(),
        "DATABRICKS_TOKEN", "app-token",
        "SKILLS_DIR", skillsDir.toString(),
        "ANTHROPIC_BASE_URL", model.baseUrl(),
        "ANTHROPIC_AUTH_TOKEN", "test-model-token",
        "ANTHROPIC_MODEL", MODEL,
        "ANTHROPIC_MODEL_MINI", MINI));
    alice = mason.as(USER);
  }

  @AfterAll
  static void stop() {
    mason.close();
    model.close();
    workspace.close();
  }

  @Test
  void withEverySkillEnabledEveryToolIsOffered() {
    String project = project();
    assertThat(toolsOfARun(project)).contains("manage_jobs", "manage_job_runs", "manage_pipeline", "manage_pipeline_run",
        "manage_serving_endpoint", "ask_genie", "execute_sql", "Skill", "Read");
  }

  @Test
  void disablingASkillHidesTheToolsOnlyItClaimsFromTheProjectsRuns() {
    String project = project();
    enable(project, "databricks-dbsql", "release-train");

    List<String> offered = toolsOfARun(project);
    assertThat(offered).doesNotContain("manage_job_runs", "manage_pipeline", "manage_pipeline_run",
        "manage_serving_endpoint", "ask_genie");
    assertThat(offered).as("claimed by the enabled release-train too").contains("manage_jobs");
    assertThat(offered).as("claimed by no skill").contains("execute_sql", "manage_uc_objects", "get_current_user", "Skill", "Bash");
    assertThat(systemPrompt(project)).doesNotContain("manage_job_runs").contains("manage_jobs");
  }

  @Test
  void aToolIsHiddenOnlyWhenEverySkillClaimingItIsDisabled() {
    String project = project();
    enable(project, "databricks-dbsql");
    assertThat(toolsOfARun(project)).doesNotContain("manage_jobs", "manage_job_runs").contains("execute_sql");

    enable(project, "jobs"); // the terminal app's short name selects databricks-jobs
    assertThat(toolsOfARun(project)).contains("manage_jobs", "manage_job_runs").doesNotContain("manage_pipeline");
  }

  @Test
  void anotherProjectsChoiceDoesNotChangeThisOnes() {
    String narrow = project();
    String wide = project();
    enable(narrow, "databricks-dbsql");
    assertThat(systemPrompt(wide)).contains("manage_job_runs", "manage_pipeline");
    assertThat(systemPrompt(narrow)).doesNotContain("manage_job_runs");
  }

  static String project() {
    var created = alice.post("/api/projects", "{\"name\": \"Gating\"}");
    assertThat(created.status()).isEqualTo(201);
    return created.json().get("id").asText();
  }

  static void enable(String project, String... skills) {
    String names = String.join("\", \"", skills);
    var put = alice.put("/api/projects/" + project + "/skills/enabled", "{\"enabled_skills\": [\"" + names + "\"]}");
    assertThat(put.status()).as(put.body()).isEqualTo(200);
  }

  static String systemPrompt(String project) {
    var response = alice.get("/api/system_prompt?project_id=" + URLEncoder.encode(project, StandardCharsets.UTF_8));
    assertThat(response.status()).as(response.body()).isEqualTo(200);
    return response.json().get("system_prompt").asText();
  }

  /** Runs the agent once in the project and returns the tool names its model request offered. */
  static List<String> toolsOfARun(String project) {
    int before = model.requestsFor(MODEL).size();
    model.enqueue(message().text("Nothing to do."));
    var started = alice.post("/api/invoke_agent", "{\"project_id\": \"" + project + "\", \"message\": \"list the tools\"}");
    assertThat(started.status()).as(started.body()).isEqualTo(202);
    String execution = started.json().get("execution_id").asText();
    SseClient.read(mason.baseUrl() + "/api/executions/" + execution + "/events", Map.of("X-Forwarded-Email", USER),
        e -> e.type().equals("done"), Duration.ofSeconds(30));
    List<FakeAnthropicServer.ReceivedRequest> requests = model.requestsFor(MODEL);
    assertThat(requests).hasSize(before + 1);
    List<String> names = new ArrayList<>();
    for (JsonNode tool : requests.getLast().body().path("tools")) {
      names.add(tool.path("name").asText());
    }
    return names;
  }
}
