package dev.mason.databricks;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mason.agent.tool.Tool;
import dev.mason.agent.tool.ToolResult;
import dev.mason.identity.Caller;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Every Databricks tool, called with a caller's token, reaches the workspace with that token and no other. */
class EveryToolActsAsTheCallerTest {
  static FakeWorkspace fake;
  static ToolTesting tools;
  static final Caller CAROL = ToolTesting.caller("carol@example.com", "carol-token");
  /** Tools that answer from Mason's own state and need not reach the workspace. */
  static final Set<String> LOCAL = Set.of("check_operation_status", "list_operations", "list_tracked_resources");

  @BeforeAll
  static void start() {
    fake = FakeWorkspace.start().addUser("carol-token", "carol@example.com").addUser("mason-token", "mason-sp@example.com")
        .addWarehouse("wh-1", "Shared", "RUNNING", "admin@example.com")
        .addCluster("c-1", "Team", "RUNNING", "admin@example.com")
        .sql("CREATE TABLE \"default\".t (id int)", "INSERT INTO \"default\".t VALUES (1)")
        .addGenieSpace("space-1", "SELECT count(*) AS n FROM main.default.t")
        .addServingEndpoint("chat", "llm/v1/chat");
    ToolScenarios.setUp(fake);
    tools = new ToolTesting(fake, ToolTesting.fastPolls());
  }

  @AfterAll
  static void stop() {
    fake.close();
  }

  @Test
  void everyToolUsesTheCallersOwnToken() {
    tools.ok(CAROL, "manage_uc_objects", "{\"action\": \"create\", \"object_type\": \"volume\", \"catalog_name\": \"main\", "
        + "\"schema_name\": \"default\", \"name\": \"vol\"}");
    long job = ToolTesting.json(tools.ok(CAROL, "manage_jobs", "{\"action\": \"create\", \"name\": \"j\", \"notebook_path\": \"/n\"}"))
        .path("job_id").asLong();
    String pipeline = ToolTesting.json(tools.ok(CAROL, "manage_pipeline", "{\"action\": \"create_or_update\", \"name\": \"p\", "
        + "\"catalog\": \"main\", \"schema\": \"default\", \"workspace_file_paths\": [\"/Workspace/p.sql\"]}")).path("pipeline_id").asText();

    Map<String, String> calls = new LinkedHashMap<>();
    calls.put("execute_sql", "{\"sql_query\": \"SELECT 1 AS x\", \"warehouse_id\": \"wh-1\"}");
    calls.put("execute_sql_multi", "{\"sql_content\": \"SELECT 1; SELECT 2\", \"warehouse_id\": \"wh-1\"}");
    calls.put("get_table_stats_and_schema", "{\"catalog\": \"main\", \"schema\": \"default\", \"table_names\": [\"t\"], \"warehouse_id\": \"wh-1\"}");
    calls.put("manage_warehouse", "{\"action\": \"get_best\"}");
    calls.put("list_compute", "{}");
    calls.put("execute_code", "{\"code\": \"print('x')\", \"cluster_id\": \"c-1\"}");
    calls.put("manage_cluster", "{\"action\": \"get\", \"cluster_id\": \"c-1\"}");
    calls.put("manage_jobs", "{\"action\": \"get\", \"job_id\": " + job + "}");
    calls.put("manage_job_runs", "{\"action\": \"run_now\", \"job_id\": " + job + "}");
    calls.put("manage_pipeline", "{\"action\": \"get\", \"pipeline_id\": \"" + pipeline + "\"}");
    calls.put("manage_pipeline_run", "{\"action\": \"start\", \"pipeline_id\": \"" + pipeline + "\"}");
    calls.put("manage_workspace_files", "{\"action\": \"list\", \"workspace_path\": \"/Workspace/Users/carol@example.com\"}");
    calls.put("manage_volume_files", "{\"action\": \"list\", \"volume_path\": \"/Volumes/main/default/vol\"}");
    calls.put("manage_uc_objects", "{\"action\": \"list\", \"object_type\": \"schema\", \"catalog_name\": \"main\"}");
    calls.put("manage_uc_grants", "{\"action\": \"get\", \"securable_type\": \"catalog\", \"full_name\": \"main\"}");
    calls.put("get_current_user", "{}");
    calls.put("ask_genie", "{\"space_id\": \"space-1\", \"question\": \"How many?\"}");
    calls.put("manage_serving_endpoint", "{\"action\": \"query\", \"name\": \"chat\", \"messages\": [{\"role\": \"user\", \"content\": \"hi\"}]}");
    calls.put("check_operation_status", "{\"operation_id\": \"op-none\"}");
    calls.put("list_operations", "{}");
    calls.put("list_tracked_resources", "{}");
    calls.put("delete_tracked_resource", "{\"type\": \"job\", \"id\": \"" + job + "\", \"delete_from_databricks\": true}");
    ToolCases cases = new ToolCases(fake, "carol");
    Set<String> covered = new java.util.HashSet<>(calls.keySet());
    covered.addAll(cases.tools());
    assertThat(covered).as("every tool is covered").isEqualTo(tools.tools.all().stream().map(Tool::name).collect(Collectors.toSet()));

    calls.forEach((tool, input) -> {
      fake.clearRequests();
      ToolResult result = tools.call(CAROL, tool, input);
      assertThat(result.isError()).as(tool + ": " + result.content()).isEqualTo(tool.equals("check_operation_status"));
      if (!LOCAL.contains(tool)) {
        assertThat(fake.requests()).as(tool + " reached the workspace").isNotEmpty();
      }
      assertThat(fake.requests()).as(tool).allMatch(r -> "carol-token".equals(r.token()));
    });

    // The newer tools, case by case: every request of every step carries the caller's token.
    for (ToolCases.Case c : cases.all()) {
      Map<String, com.fasterxml.jackson.databind.JsonNode> answers = new java.util.HashMap<>();
      for (ToolCases.Step step : c.steps()) {
        fake.clearRequests();
        String input = step.input().apply(answers);
        ToolResult result = tools.call(CAROL, step.tool(), input);
        assertThat(result.isError()).as(c.name() + ": " + step.tool() + " " + input + " -> " + result.content()).isEqualTo(step.error());
        if (step.key() != null) {
          answers.put(step.key(), ToolTesting.json(result.content()));
        }
        assertThat(fake.requests()).as(step.tool()).allMatch(r -> "carol-token".equals(r.token()));
      }
    }
  }

  @Test
  void aLakebaseCredentialGoesToAnOwnerOnlyPasswordFileNotIntoTheAnswer() throws Exception {
    tools.ok(CAROL, "manage_lakebase_database", "{\"action\": \"create\", \"name\": \"carol-db\"}");
    String answer = tools.ok(CAROL, "generate_lakebase_credential", "{\"instance_name\": \"carol-db\"}");
    String token = fake.lakebase.tokens.getLast();
    assertThat(answer).doesNotContain(token);
    java.nio.file.Path file = tools.projectFolder.resolve(GenerateLakebaseCredentialTool.PGPASS);
    assertThat(java.nio.file.Files.readString(file)).isEqualTo("instance-carol-db.database.example.com:5432:databricks_postgres:carol@example.com:"
        + token + "\n");
    assertThat(java.nio.file.attribute.PosixFilePermissions.toString(java.nio.file.Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
  }
}
