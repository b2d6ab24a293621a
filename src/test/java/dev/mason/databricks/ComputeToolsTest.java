package dev.mason.databricks;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mason.agent.tool.ToolResult;
import dev.mason.identity.Caller;
import java.nio.file.Files;
import java.util.Base64;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ComputeToolsTest {
  static FakeWorkspace fake;
  static ToolTesting tools;
  static final Caller ALICE = ToolTesting.caller("alice@example.com", "alice-token");

  @BeforeAll
  static void start() {
    fake = FakeWorkspace.start().addUser("alice-token", "alice@example.com").addUser("mason-token", "mason-sp");
    fake.compute.addCluster("c-shared", "Shared cluster", "RUNNING", "admin@example.com");
    fake.compute.addCluster("c-own", "Alice dev", "RUNNING", "alice@example.com");
    fake.compute.addCluster("c-off", "Alice old", "TERMINATED", "alice@example.com");
    fake.compute.addCluster("c-bob", "Bob private", "RUNNING", "bob@example.com")
        .put("data_security_mode", "SINGLE_USER").put("single_user_name", "bob@example.com");
    fake.compute.addCluster("c-job", "job-123-run", "RUNNING", "alice@example.com").put("cluster_source", "JOB");
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
  void listComputeMarksWhatTheCallerCanUseAndAutoSelectsTheirRunningCluster() {
    JsonNode clusters = ToolTesting.json(tools.ok(ALICE, "list_compute", "{}"));
    JsonNode bob = find(clusters.path("clusters"), "c-bob");
    assertThat(bob.path("usable_by_you").asBoolean()).isFalse();
    assertThat(find(clusters.path("clusters"), "c-shared").path("usable_by_you").asBoolean()).isTrue();

    JsonNode best = ToolTesting.json(tools.ok(ALICE, "list_compute", "{\"auto_select\": true}"));
    assertThat(best.path("cluster_id").asText()).isEqualTo("c-own");
    assertThat(ToolTesting.json(tools.ok(ALICE, "list_compute", "{\"resource\": \"node_types\", \"auto_select\": true}"))
        .path("node_type_id").asText()).isEqualTo("i3.xlarge");
    assertThat(ToolTesting.json(tools.ok(ALICE, "list_compute", "{\"resource\": \"spark_versions\", \"auto_select\": true}"))
        .path("spark_version").asText()).isEqualTo("16.4.x-scala2.12");
    JsonNode types = ToolTesting.json(tools.ok(ALICE, "list_compute", "{\"resource\": \"node_types\"}"));
    assertThat(types.path("node_types").findValuesAsText("node_type_id")).containsExactly("m5d.large", "i3.xlarge");
    assertThat(fake.requests()).allMatch(r -> "alice-token".equals(r.token()));
  }

  @Test
  void aClusterIsStartedTerminatedAndDescribed() {
    fake.compute.addCluster("c-cycle", "Cycle", "TERMINATED", "alice@example.com");
    JsonNode started = ToolTesting.json(tools.ok(ALICE, "manage_cluster", "{\"action\": \"start\", \"cluster_id\": \"c-cycle\"}"));
    assertThat(started.path("state").asText()).isEqualTo("PENDING");
    tools.ok(ALICE, "manage_cluster", "{\"action\": \"get\", \"cluster_id\": \"c-cycle\"}");
    JsonNode running = ToolTesting.json(tools.ok(ALICE, "manage_cluster", "{\"action\": \"get\", \"cluster_id\": \"c-cycle\"}"));
    assertThat(running.path("state").asText()).isEqualTo("RUNNING");
    assertThat(ToolTesting.json(tools.ok(ALICE, "manage_cluster", "{\"action\": \"start\", \"cluster_id\": \"c-cycle\"}"))
        .path("message").asText()).contains("already running");
    tools.ok(ALICE, "manage_cluster", "{\"action\": \"terminate\", \"cluster_id\": \"c-cycle\"}");
    assertThat(fake.compute.cluster("c-cycle").path("state").asText()).isEqualTo("TERMINATED");
    assertThat(fake.requests()).allMatch(r -> "alice-token".equals(r.token()));
  }

  @Test
  void createUsesDefaultsForTheCallerAndIsTrackedAndModifyKeepsTheRestOfTheSpec() throws Exception {
    JsonNode created = ToolTesting.json(tools.ok(ALICE, "manage_cluster", "{\"action\": \"create\", \"cluster_name\": \"etl\"}"));
    String id = created.path("cluster_id").asText();
    JsonNode spec = fake.compute.cluster(id);
    assertThat(spec.path("spark_version").asText()).isEqualTo("16.4.x-scala2.12");
    assertThat(spec.path("node_type_id").asText()).isEqualTo("i3.xlarge");
    assertThat(spec.path("single_user_name").asText()).isEqualTo("alice@example.com");
    assertThat(spec.path("autotermination_minutes").asInt()).isEqualTo(60);
    assertThat(spec.path("custom_tags").path("created_by").asText()).isEqualTo("mason");
    assertThat(Files.readString(tools.projectFolder.resolve(".mason/resources.json"))).contains(id).contains("\"cluster\"");

    tools.ok(ALICE, "manage_cluster", "{\"action\": \"modify\", \"cluster_id\": \"" + id + "\", \"num_workers\": 3}");
    JsonNode edit = fake.requests("/api/2.1/clusters/edit").getFirst().json();
    assertThat(edit.path("num_workers").asInt()).isEqualTo(3);
    assertThat(edit.path("spark_version").asText()).isEqualTo("16.4.x-scala2.12");
    assertThat(edit.path("cluster_name").asText()).isEqualTo("etl");

    JsonNode deleted = ToolTesting.json(tools.ok(ALICE, "manage_cluster", "{\"action\": \"delete\", \"cluster_id\": \"" + id + "\"}"));
    assertThat(deleted.path("state").asText()).isEqualTo("DELETED");
    assertThat(fake.requests("/api/2.1/clusters/permanent-delete")).hasSize(1);
    assertThat(Files.readString(tools.projectFolder.resolve(".mason/resources.json"))).doesNotContain(id);
    ToolResult gone = tools.call(ALICE, "manage_cluster", "{\"action\": \"delete\", \"cluster_id\": \"" + id + "\"}");
    assertThat(gone.isError()).isTrue();
    assertThat(gone.content()).contains("does not exist");

    ToolResult missingName = tools.call(ALICE, "manage_cluster", "{\"action\": \"create\"}");
    assertThat(missingName.isError()).isTrue();
    assertThat(missingName.content()).contains("cluster_name is required for action create");
  }

  @Test
  void codeRunsOnAClusterAndItsContextIsReusedOnTheNextCall() {
    JsonNode first = ToolTesting.json(tools.ok(ALICE, "execute_code", """
        {"code": "x = 1\\nprint('hello from the cluster')", "cluster_id": "c-own"}"""));
    assertThat(first.path("status").asText()).isEqualTo("SUCCESS");
    assertThat(first.path("output").asText()).isEqualTo("hello from the cluster");
    String context = first.path("context_id").asText();
    assertThat(context).isNotEmpty();

    fake.clearRequests();
    JsonNode second = ToolTesting.json(tools.ok(ALICE, "execute_code",
        "{\"code\": \"print('again')\", \"cluster_id\": \"c-own\", \"context_id\": \"" + context + "\", \"destroy_context_on_completion\": true}"));
    assertThat(second.path("output").asText()).isEqualTo("again");
    assertThat(fake.requests("/api/1.2/contexts/create")).isEmpty();
    assertThat(fake.requests("/api/1.2/contexts/destroy")).hasSize(1);
    assertThat(second.has("context_id")).isFalse();
    assertThat(fake.requests()).allMatch(r -> "alice-token".equals(r.token()));
  }

  @Test
  void clusterErrorsAndStoppedClustersAreToldPlainly() {
    ToolResult error = tools.call(ALICE, "execute_code", "{\"code\": \"raise ValueError('boom')\", \"cluster_id\": \"c-own\"}");
    assertThat(error.isError()).isTrue();
    assertThat(error.content()).contains("ValueError: boom").doesNotContain("\u001b[").doesNotContain("<span");

    ToolResult stopped = tools.call(ALICE, "execute_code", "{\"code\": \"print(1)\", \"cluster_id\": \"c-off\"}");
    assertThat(stopped.isError()).isTrue();
    assertThat(stopped.content()).contains("TERMINATED").contains("manage_cluster action=start");

    JsonNode sql = ToolTesting.json(tools.ok(ALICE, "execute_code", "{\"code\": \"SELECT 42 AS answer\", \"language\": \"sql\", \"cluster_id\": \"c-own\"}"));
    assertThat(sql.path("output").asText()).contains("| answer |").contains("| 42 |");
  }

  @Test
  void scalaWithoutAClusterIdRunsOnTheBestRunningCluster() {
    JsonNode out = ToolTesting.json(tools.ok(ALICE, "execute_code", "{\"code\": \"println(\\\"hi\\\")\", \"language\": \"scala\"}"));
    assertThat(out.path("cluster_id").asText()).isEqualTo("c-own");
    assertThat(fake.requests("/api/1.2/commands/execute").getFirst().json().path("language").asText()).isEqualTo("scala");
  }

  @Test
  void serverlessCodeRunsAsAOneTimeNotebookRunThatIsRemovedAfterwards() {
    JsonNode out = ToolTesting.json(tools.ok(ALICE, "execute_code", """
        {"code": "import os\\nprint(\\"on serverless\\")", "compute_type": "serverless"}"""));
    assertThat(out.path("status").asText()).isEqualTo("SUCCESS");
    assertThat(out.path("output").asText()).isEqualTo("on serverless\n");
    assertThat(out.path("compute").asText()).isEqualTo("serverless");

    JsonNode imported = fake.requests("/api/2.0/workspace/import").getFirst().json();
    String path = imported.path("path").asText();
    assertThat(path).startsWith("/Workspace/Users/alice@example.com/.mason/tmp/execute_code-");
    String source = new String(Base64.getDecoder().decode(imported.path("content").asText()));
    assertThat(source).startsWith("# Databricks notebook source").contains("dbutils.notebook.exit");
    JsonNode submitted = fake.requests("/api/2.2/jobs/runs/submit").getFirst().json();
    JsonNode task = submitted.path("tasks").get(0);
    assertThat(task.path("notebook_task").path("notebook_path").asText()).isEqualTo(path);
    assertThat(task.has("existing_cluster_id") || task.has("new_cluster")).as("no cluster: serverless").isFalse();
    assertThat(fake.tree.node(path)).as("the temporary notebook is deleted").isNull();
    assertThat(fake.requests()).allMatch(r -> "alice-token".equals(r.token()));
  }

  @Test
  void serverlessFailuresAndTimeoutsCancelTheRunAndStillRemoveTheNotebook() {
    ToolResult error = tools.call(ALICE, "execute_code", "{\"code\": \"print('before')\\nraise ValueError('boom')\", \"compute_type\": \"serverless\"}");
    assertThat(error.isError()).isTrue();
    assertThat(error.content()).contains("ValueError: boom").contains("before");

    fake.clearRequests();
    ToolResult late = tools.call(ALICE, "execute_code", "{\"code\": \"import time\\ntime.sleep(600)\", \"compute_type\": \"serverless\", \"timeout\": 1}");
    assertThat(late.isError()).isTrue();
    assertThat(late.content()).contains("TIMEOUT").contains("may have had effects");
    assertThat(fake.requests("/api/2.2/jobs/runs/cancel")).hasSize(1);
    String path = fake.requests("/api/2.0/workspace/import").getFirst().json().path("path").asText();
    assertThat(fake.tree.node(path)).isNull();

    ToolResult scala = tools.call(ALICE, "execute_code", "{\"code\": \"1\", \"language\": \"scala\", \"compute_type\": \"serverless\"}");
    assertThat(scala.content()).contains("serverless runs python and sql only");
  }

  @Test
  void codeFromAProjectFileRunsAndPathsOutsideTheProjectAreRefused() throws Exception {
    Files.writeString(tools.projectFolder.resolve("job.py"), "print('from a file')\n");
    JsonNode out = ToolTesting.json(tools.ok(ALICE, "execute_code", "{\"file_path\": \"job.py\", \"cluster_id\": \"c-own\"}"));
    assertThat(out.path("output").asText()).isEqualTo("from a file");
    ToolResult escape = tools.call(ALICE, "execute_code", "{\"file_path\": \"../../etc/passwd\", \"cluster_id\": \"c-own\"}");
    assertThat(escape.isError()).isTrue();
    assertThat(escape.content()).contains("outside the project folder");
  }

  private static JsonNode find(JsonNode array, String id) {
    for (JsonNode item : array) {
      if (item.path("cluster_id").asText().equals(id)) {
        return item;
      }
    }
    throw new AssertionError("no " + id + " in " + array);
  }
}
