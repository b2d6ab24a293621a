package dev.mason.databricks;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mason.agent.tool.ToolResult;
import dev.mason.identity.Caller;
import java.nio.file.Files;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class JobAndPipelineToolsTest {
  static FakeWorkspace fake;
  static ToolTesting tools;
  static final Caller ALICE = ToolTesting.caller("alice@example.com", "alice-token");

  @BeforeAll
  static void start() {
    fake = FakeWorkspace.start().addUser("alice-token", "alice@example.com").addUser("mason-token", "mason-sp");
    tools = new ToolTesting(fake, ToolTesting.fastPolls());
  }

  @AfterAll
  static void stop() {
    fake.close();
  }

  @BeforeEach
  void clear() {
    fake.clearRequests();
  }

  @Test
  void aJobIsCreatedServerlessOnceByNameAndTrackedInTheProject() throws Exception {
    String input = """
        {"action": "create", "name": "nightly etl", "tasks": [
          {"task_key": "ingest", "notebook_task": {"notebook_path": "/Workspace/Users/alice@example.com/ingest"}},
          {"task_key": "score", "spark_python_task": {"python_file": "/Workspace/Users/alice@example.com/score.py"},
           "depends_on": [{"task_key": "ingest"}]}]}""";
    JsonNode created = ToolTesting.json(tools.ok(ALICE, "manage_jobs", input));
    long id = created.path("job_id").asLong();
    assertThat(created.path("created").asBoolean()).isTrue();
    JsonNode settings = fake.jobs.job(id).path("settings");
    assertThat(settings.path("tasks").get(0).has("environment_key")).as("notebooks need no environment").isFalse();
    assertThat(settings.path("tasks").get(1).path("environment_key").asText()).isEqualTo("default");
    assertThat(settings.path("environments").get(0).path("environment_key").asText()).isEqualTo("default");
    assertThat(settings.path("tags").path("created_by").asText()).isEqualTo("mason");

    JsonNode again = ToolTesting.json(tools.ok(ALICE, "manage_jobs", input));
    assertThat(again.path("created").asBoolean()).isFalse();
    assertThat(again.path("job_id").asLong()).isEqualTo(id);
    assertThat(fake.requests("/api/2.2/jobs/create")).hasSize(1);
    assertThat(Files.readString(tools.projectFolder.resolve(".mason/resources.json"))).contains("\"" + id + "\"").contains("nightly etl");

    JsonNode found = ToolTesting.json(tools.ok(ALICE, "manage_jobs", "{\"action\": \"find_by_name\", \"name\": \"nightly etl\"}"));
    assertThat(found.path("jobs").findValuesAsText("job_id")).containsExactly(Long.toString(id));
    tools.ok(ALICE, "manage_jobs", "{\"action\": \"update\", \"job_id\": " + id + ", \"settings\": {\"max_concurrent_runs\": 2}}");
    assertThat(fake.jobs.job(id).path("settings").path("max_concurrent_runs").asInt()).isEqualTo(2);
    assertThat(ToolTesting.json(tools.ok(ALICE, "manage_jobs", "{\"action\": \"get\", \"job_id\": \"" + id + "\"}"))
        .path("settings").path("name").asText()).isEqualTo("nightly etl");
    assertThat(ToolTesting.json(tools.ok(ALICE, "manage_jobs", "{\"action\": \"list\"}")).path("count").asInt()).isGreaterThanOrEqualTo(1);

    tools.ok(ALICE, "manage_jobs", "{\"action\": \"delete\", \"job_id\": " + id + "}");
    assertThat(fake.jobs.hasJob(id)).isFalse();
    assertThat(Files.readString(tools.projectFolder.resolve(".mason/resources.json"))).doesNotContain("\"" + id + "\"");
    assertThat(fake.requests()).allMatch(r -> "alice-token".equals(r.token()));
  }

  @Test
  void aRunIsStartedWaitedForAndItsOutputReadPerTask() {
    long id = ToolTesting.json(tools.ok(ALICE, "manage_jobs", """
        {"action": "create", "name": "report", "notebook_path": "/Workspace/Users/alice@example.com/report"}""")).path("job_id").asLong();
    JsonNode started = ToolTesting.json(tools.ok(ALICE, "manage_job_runs",
        "{\"action\": \"run_now\", \"job_id\": " + id + ", \"job_parameters\": {\"day\": \"2024-01-01\"}}"));
    long runId = started.path("run_id").asLong();
    JsonNode waited = ToolTesting.json(tools.ok(ALICE, "manage_job_runs", "{\"action\": \"wait\", \"run_id\": " + runId + "}"));
    assertThat(waited.path("life_cycle_state").asText()).isEqualTo("TERMINATED");
    assertThat(waited.path("result_state").asText()).isEqualTo("SUCCESS");

    JsonNode output = ToolTesting.json(tools.ok(ALICE, "manage_job_runs", "{\"action\": \"get_output\", \"run_id\": " + runId + "}"));
    assertThat(output.path("outputs").get(0).path("task_key").asText()).isEqualTo("main");
    assertThat(fake.requests("/api/2.2/jobs/runs/get-output").getFirst().query()).doesNotContain("run_id=" + runId + "&")
        .isNotEqualTo("run_id=" + runId);

    JsonNode list = ToolTesting.json(tools.ok(ALICE, "manage_job_runs", "{\"action\": \"list\", \"job_id\": " + id + "}"));
    assertThat(list.path("runs").findValuesAsText("run_id")).contains(Long.toString(runId));
    assertThat(fake.requests("/api/2.2/jobs/run-now").getFirst().json().path("job_parameters").path("day").asText()).isEqualTo("2024-01-01");
  }

  @Test
  void aFailedRunPointsAtItsOutputAndACancelStopsARun() {
    long id = ToolTesting.json(tools.ok(ALICE, "manage_jobs", """
        {"action": "create", "name": "will fail", "notebook_path": "/Workspace/Users/alice@example.com/fail-here"}""")).path("job_id").asLong();
    long runId = ToolTesting.json(tools.ok(ALICE, "manage_job_runs", "{\"action\": \"run_now\", \"job_id\": " + id + "}")).path("run_id").asLong();
    JsonNode waited = ToolTesting.json(tools.ok(ALICE, "manage_job_runs", "{\"action\": \"wait\", \"run_id\": " + runId + "}"));
    assertThat(waited.path("result_state").asText()).isEqualTo("FAILED");
    assertThat(waited.path("hint").asText()).contains("get_output");
    JsonNode output = ToolTesting.json(tools.ok(ALICE, "manage_job_runs", "{\"action\": \"get_output\", \"run_id\": " + runId + "}"));
    assertThat(output.path("outputs").get(0).path("error").asText()).contains("notebook failed");

    long second = ToolTesting.json(tools.ok(ALICE, "manage_job_runs", "{\"action\": \"run_now\", \"job_id\": " + id + "}")).path("run_id").asLong();
    tools.ok(ALICE, "manage_job_runs", "{\"action\": \"cancel\", \"run_id\": " + second + "}");
    JsonNode cancelled = ToolTesting.json(tools.ok(ALICE, "manage_job_runs", "{\"action\": \"get\", \"run_id\": " + second + "}"));
    assertThat(cancelled.path("result_state").asText()).isEqualTo("CANCELED");

    ToolResult missing = tools.call(ALICE, "manage_job_runs", "{\"action\": \"get\"}");
    assertThat(missing.isError()).isTrue();
    assertThat(missing.content()).isEqualTo("run_id is required for action get");
  }

  @Test
  void aFailedRunIsRepairedInPlaceAndASecondRepairNamesTheFirst() {
    long id = ToolTesting.json(tools.ok(ALICE, "manage_jobs", """
        {"action": "create", "name": "flaky load", "notebook_path": "/Workspace/Users/alice@example.com/flaky-load"}""")).path("job_id").asLong();
    long runId = ToolTesting.json(tools.ok(ALICE, "manage_job_runs", "{\"action\": \"run_now\", \"job_id\": " + id + "}")).path("run_id").asLong();
    ToolResult early = tools.call(ALICE, "manage_job_runs", "{\"action\": \"repair\", \"run_id\": " + runId + "}");
    assertThat(early.isError()).isTrue();
    assertThat(early.content()).contains("only a finished run can be repaired");
    assertThat(ToolTesting.json(tools.ok(ALICE, "manage_job_runs", "{\"action\": \"wait\", \"run_id\": " + runId + "}"))
        .path("result_state").asText()).isEqualTo("FAILED");

    JsonNode repaired = ToolTesting.json(tools.ok(ALICE, "manage_job_runs", "{\"action\": \"repair\", \"run_id\": " + runId + "}"));
    assertThat(repaired.path("repair_id").asLong()).isPositive();
    assertThat(fake.requests("/api/2.2/jobs/runs/repair").getLast().json().path("rerun_all_failed_tasks").asBoolean()).isTrue();
    assertThat(ToolTesting.json(tools.ok(ALICE, "manage_job_runs", "{\"action\": \"wait\", \"run_id\": " + runId + "}"))
        .path("result_state").asText()).isEqualTo("SUCCESS");

    tools.ok(ALICE, "manage_job_runs", "{\"action\": \"repair\", \"run_id\": " + runId + ", \"rerun_tasks\": [\"main\"]}");
    JsonNode second = fake.requests("/api/2.2/jobs/runs/repair").getLast().json();
    assertThat(second.path("latest_repair_id").asLong()).isEqualTo(repaired.path("repair_id").asLong());
    assertThat(second.path("rerun_tasks").toString()).isEqualTo("[\"main\"]");

    ToolResult unknown = tools.call(ALICE, "manage_job_runs", "{\"action\": \"repair\", \"run_id\": 999999}");
    assertThat(unknown.isError()).isTrue();
    assertThat(unknown.content()).contains("does not exist");
  }

  @Test
  void createNeverDuplicatesAPipelineAndUpdateChangesOneById() {
    String create = """
        {"action": "create", "name": "refunds", "catalog": "main", "schema": "sales",
         "workspace_file_paths": ["/Workspace/Users/alice@example.com/refunds/refunds.sql"]}""";
    JsonNode created = ToolTesting.json(tools.ok(ALICE, "manage_pipeline", create));
    String id = created.path("pipeline_id").asText();
    assertThat(created.path("created").asBoolean()).isTrue();
    JsonNode again = ToolTesting.json(tools.ok(ALICE, "manage_pipeline", create));
    assertThat(again.path("created").asBoolean()).isFalse();
    assertThat(again.path("pipeline_id").asText()).isEqualTo(id);
    assertThat(again.path("message").asText()).contains("action=update");

    tools.ok(ALICE, "manage_pipeline", "{\"action\": \"update\", \"pipeline_id\": \"" + id + "\", \"name\": \"refunds v2\", \"continuous\": true}");
    JsonNode spec = fake.pipelines.pipeline(id).path("spec");
    assertThat(spec.path("name").asText()).isEqualTo("refunds v2");
    assertThat(spec.path("continuous").asBoolean()).isTrue();
    assertThat(spec.path("schema").asText()).as("kept").isEqualTo("sales");
    JsonNode found = ToolTesting.json(tools.ok(ALICE, "manage_pipeline", "{\"action\": \"find_by_name\", \"name\": \"refunds v2\"}"));
    assertThat(found.path("pipelines").findValuesAsText("pipeline_id")).containsExactly(id);

    ToolResult missing = tools.call(ALICE, "manage_pipeline", "{\"action\": \"update\", \"pipeline_id\": \"no-such-pipeline\"}");
    assertThat(missing.isError()).isTrue();
    assertThat(missing.content()).contains("RESOURCE_DOES_NOT_EXIST");
    ToolResult noSource = tools.call(ALICE, "manage_pipeline", "{\"action\": \"create\", \"name\": \"x\", \"catalog\": \"main\", \"schema\": \"s\"}");
    assertThat(noSource.content()).isEqualTo("workspace_file_paths is required for action create: the pipeline's source files in the workspace");
  }

  @Test
  void aPipelineIsCreatedThenUpdatedByNameAndItsRunFollowed() throws Exception {
    String input = """
        {"action": "create_or_update", "name": "orders", "catalog": "main", "schema": "sales",
         "workspace_file_paths": ["/Workspace/Users/alice@example.com/orders/bronze.py",
                                  "/Workspace/Users/alice@example.com/orders/silver.sql",
                                  "/Workspace/Users/alice@example.com/orders/transformations/**"]}""";
    JsonNode created = ToolTesting.json(tools.ok(ALICE, "manage_pipeline", input));
    String id = created.path("pipeline_id").asText();
    assertThat(created.path("created").asBoolean()).isTrue();
    JsonNode spec = fake.pipelines.pipeline(id).path("spec");
    assertThat(spec.path("serverless").asBoolean()).isTrue();
    assertThat(spec.path("catalog").asText()).isEqualTo("main");
    assertThat(spec.path("schema").asText()).isEqualTo("sales");
    assertThat(spec.path("libraries").get(0).path("file").path("path").asText()).endsWith("bronze.py");
    assertThat(spec.path("libraries").get(2).path("glob").path("include").asText()).endsWith("/**");
    assertThat(Files.readString(tools.projectFolder.resolve(".mason/resources.json"))).contains(id);

    JsonNode updated = ToolTesting.json(tools.ok(ALICE, "manage_pipeline", """
        {"action": "create_or_update", "name": "orders", "development": false, "start_run": true}"""));
    assertThat(updated.path("created").asBoolean()).isFalse();
    assertThat(updated.path("pipeline_id").asText()).isEqualTo(id);
    assertThat(fake.pipelines.pipeline(id).path("spec").path("development").asBoolean()).isFalse();
    assertThat(fake.pipelines.pipeline(id).path("spec").path("catalog").asText()).as("kept from before").isEqualTo("main");
    assertThat(fake.requests("/api/2.0/pipelines").stream().filter(r -> r.method().equals("POST") && r.path().equals("/api/2.0/pipelines")))
        .hasSize(1);

    JsonNode update = ToolTesting.json(tools.ok(ALICE, "manage_pipeline_run", "{\"action\": \"get\", \"pipeline_id\": \"" + id + "\"}"));
    assertThat(update.path("update_id").asText()).isEqualTo(updated.path("update_id").asText());
    JsonNode found = ToolTesting.json(tools.ok(ALICE, "manage_pipeline", "{\"action\": \"find_by_name\", \"name\": \"orders\"}"));
    assertThat(found.path("pipelines").findValuesAsText("pipeline_id")).containsExactly(id);
    JsonNode described = ToolTesting.json(tools.ok(ALICE, "manage_pipeline", "{\"action\": \"get\", \"pipeline_id\": \"" + id + "\"}"));
    assertThat(described.path("latest_updates")).isNotEmpty();
    assertThat(fake.requests()).allMatch(r -> "alice-token".equals(r.token()));
  }

  @Test
  void aFailedUpdateIsSummarisedFromTheEventLogAndARunningOneCanBeStopped() {
    String id = ToolTesting.json(tools.ok(ALICE, "manage_pipeline", """
        {"action": "create_or_update", "name": "broken one", "catalog": "main", "schema": "sales",
         "workspace_file_paths": ["/Workspace/Users/alice@example.com/broken.sql"]}""")).path("pipeline_id").asText();
    JsonNode finished = ToolTesting.json(tools.ok(ALICE, "manage_pipeline_run",
        "{\"action\": \"start\", \"pipeline_id\": \"" + id + "\", \"full_refresh\": true, \"wait_for_completion\": true}"));
    assertThat(finished.path("state").asText()).isEqualTo("FAILED");
    assertThat(fake.requests("/api/2.0/pipelines/" + id + "/updates").getFirst().json().path("full_refresh").asBoolean()).isTrue();

    JsonNode events = ToolTesting.json(tools.ok(ALICE, "manage_pipeline_run", "{\"action\": \"get_events\", \"pipeline_id\": \"" + id + "\"}"));
    JsonNode summary = events.path("error_summary");
    assertThat(summary.path("error_events").asInt()).isEqualTo(2);
    assertThat(summary.path("errors")).hasSize(1);
    assertThat(summary.path("errors").get(0).path("error").asText()).contains("AnalysisException").contains("TABLE_OR_VIEW_NOT_FOUND");
    assertThat(summary.path("errors").get(0).path("count").asInt()).isEqualTo(2);

    String ok = ToolTesting.json(tools.ok(ALICE, "manage_pipeline", """
        {"action": "create_or_update", "name": "stoppable", "catalog": "main", "schema": "sales",
         "workspace_file_paths": ["/Workspace/Users/alice@example.com/fine.sql"]}""")).path("pipeline_id").asText();
    tools.ok(ALICE, "manage_pipeline_run", "{\"action\": \"start\", \"pipeline_id\": \"" + ok + "\"}");
    tools.ok(ALICE, "manage_pipeline_run", "{\"action\": \"stop\", \"pipeline_id\": \"" + ok + "\"}");
    assertThat(ToolTesting.json(tools.ok(ALICE, "manage_pipeline_run", "{\"action\": \"get\", \"pipeline_id\": \"" + ok + "\"}"))
        .path("state").asText()).isEqualTo("CANCELED");

    tools.ok(ALICE, "manage_pipeline", "{\"action\": \"delete\", \"pipeline_id\": \"" + ok + "\"}");
    ToolResult gone = tools.call(ALICE, "manage_pipeline", "{\"action\": \"get\", \"pipeline_id\": \"" + ok + "\"}");
    assertThat(gone.isError()).isTrue();
    assertThat(gone.content()).startsWith("RESOURCE_DOES_NOT_EXIST (HTTP 404)");
  }
}
