package dev.mason.databricks;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mason.databricks.ScriptedAgent.Call;
import dev.mason.databricks.ScriptedAgent.Run;
import dev.mason.databricks.ScriptedAgent.Turn;
import dev.mason.databricks.ScriptedAgent.User;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * What a user does with each Databricks tool, as {@link AgentScenario}s: the calls a model would
 * make for a request, with realistic input, and what each call must answer. {@link #setUp} makes
 * the workspace they expect: a running shared warehouse, a shared cluster, a {@code sales} schema
 * with orders, a Genie space, a chat serving endpoint and a landing volume.
 */
final class ToolScenarios {
  static final String WAREHOUSE = "wh-analytics";

  private final FakeWorkspace fake;
  private final User user;

  ToolScenarios(FakeWorkspace fake, User user) {
    this.fake = fake;
    this.user = user;
  }

  static void setUp(FakeWorkspace fake) {
    fake.addWarehouse(WAREHOUSE, "Analytics", "RUNNING", "admin@example.com")
        .addCluster("c-team", "Team cluster", "RUNNING", "admin@example.com")
        .sql("CREATE SCHEMA sales",
            "CREATE TABLE sales.orders (id int, customer text, amount numeric(10,2), paid boolean)",
            "INSERT INTO sales.orders VALUES (1, 'ada', 10.50, true), (2, 'bob', 20.00, false), (3, 'cy', 5.25, true)")
        .addGenieSpace("space-sales", "SELECT sum(amount) AS paid_total FROM main.sales.orders WHERE paid")
        .addServingEndpoint("databricks-claude-sonnet", "llm/v1/chat");
    fake.volumes.mkdirs("/Volumes/main/sales/landing");
    ToolCases.setUp(fake);
  }

  /** Every scenario by name, in the order they run; together they call every Databricks tool. */
  Map<String, Consumer<AgentScenario>> all() {
    Map<String, Consumer<AgentScenario>> all = new LinkedHashMap<>();
    all.put("SQL on a warehouse", this::sqlOnAWarehouse);
    all.put("code on a cluster", this::codeOnACluster);
    all.put("jobs and pipelines", this::jobsAndPipelines);
    all.put("files to the workspace and a volume", this::filesToTheWorkspaceAndAVolume);
    all.put("Unity Catalog objects and grants", this::unityCatalog);
    all.put("the user, Genie and a serving endpoint", this::userGenieAndServing);
    all.put("tracked resources and operations", this::trackedResourcesAndOperations);
    for (ToolCases.Case c : new ToolCases(fake, "agent").all()) {
      all.put(c.name(), s -> play(s, c));
    }
    return all;
  }

  /** A case of {@link ToolCases}: each step a run of one turn in one conversation, so a step can use what earlier ones answered. */
  private static void play(AgentScenario s, ToolCases.Case c) {
    Map<String, JsonNode> answers = new HashMap<>();
    Run first = null;
    for (ToolCases.Step step : c.steps()) {
      Call call = Call.of(step.tool(), step.input().apply(answers));
      boolean reaches = !step.error() && !step.tool().equals("list_tracked_resources");
      Run run = s.step(first, c.name() + ": " + step.tool(), reaches, Turn.of(call));
      first = first == null ? run : first;
      if (step.key() != null && run.outcomes().containsKey(call.id()) && !run.outcome(call).isError()) {
        answers.put(step.key(), run.outcome(call).json());
      }
      if (step.error()) {
        s.expectError(run, call, content -> step.check().accept(new ToolCases.Answer(true, content)));
      } else {
        s.expect(run, call, outcome -> step.check().accept(new ToolCases.Answer(false, outcome.content())));
      }
    }
  }

  private String home() {
    return "/Workspace/Users/" + user.email();
  }

  private void sqlOnAWarehouse(AgentScenario s) {
    Call best = Call.of("manage_warehouse", "{\"action\": \"get_best\"}");
    Call stats = Call.of("get_table_stats_and_schema", """
        {"catalog": "main", "schema": "sales", "table_names": ["orders"], "warehouse_id": "wh-analytics"}""");
    Call query = Call.of("execute_sql", """
        {"sql_query": "SELECT customer, amount FROM main.sales.orders WHERE paid ORDER BY id", "warehouse_id": "wh-analytics"}""");
    Call script = Call.of("execute_sql_multi", """
        {"sql_content": "CREATE TABLE main.sales.refunds (order_id int, amount numeric(10,2));\\nINSERT INTO main.sales.refunds VALUES (2, 20.00);\\nSELECT count(*) AS refunds FROM main.sales.refunds;", "warehouse_id": "wh-analytics"}""");
    Run run = s.run("Which orders were paid? Then record the refund of order 2.", Turn.of(best, stats), Turn.of(query), Turn.of(script));
    s.expect(run, best, out -> assertThat(out.json().path("warehouse_id").asText()).isEqualTo(WAREHOUSE));
    s.expect(run, stats, out -> {
      JsonNode orders = out.json().path("tables").get(0);
      assertThat(orders.path("full_name").asText()).isEqualTo("main.sales.orders");
      assertThat(orders.path("columns").findValuesAsText("name")).containsExactly("id", "customer", "amount", "paid");
      assertThat(orders.path("row_count").asLong()).isEqualTo(3);
    });
    s.expect(run, query, out -> assertThat(out.content()).startsWith("| customer | amount |")
        .contains("| ada | 10.50 |", "| cy | 5.25 |").doesNotContain("bob").endsWith("(2 rows)"));
    s.expect(run, script, out -> {
      assertThat(out.json().path("succeeded").asInt()).isEqualTo(3);
      assertThat(out.json().path("results").get(2).path("sample_rows").findValuesAsText("refunds")).containsExactly("1");
    });
  }

  private void codeOnACluster(AgentScenario s) {
    Call list = Call.of("list_compute", "{}");
    Call code = Call.of("execute_code", """
        {"code": "df = spark.table('main.sales.orders')\\nprint('hello from the team cluster')", "cluster_id": "c-team", "destroy_context_on_completion": true}""");
    Call cluster = Call.of("manage_cluster", "{\"action\": \"get\", \"cluster_id\": \"c-team\"}");
    Run run = s.run("Run a quick check on the team cluster.", Turn.of(list), Turn.of(code), Turn.of(cluster));
    s.expect(run, list, out -> {
      JsonNode team = out.json().path("clusters").get(0);
      assertThat(team.path("cluster_id").asText()).isEqualTo("c-team");
      assertThat(team.path("usable_by_you").asBoolean()).isTrue();
    });
    s.expect(run, code, out -> {
      assertThat(out.json().path("status").asText()).isEqualTo("SUCCESS");
      assertThat(out.json().path("output").asText()).isEqualTo("hello from the team cluster");
    });
    s.expect(run, cluster, out -> assertThat(out.json().path("state").asText()).isEqualTo("RUNNING"));
  }

  /** Three runs in one conversation: each uses the ids the one before it reported, as a model would. */
  private void jobsAndPipelines(AgentScenario s) {
    Call job = Call.of("manage_jobs", """
        {"action": "create", "name": "nightly orders", "notebook_path": "%s/nightly_orders"}""".formatted(home()));
    Call pipeline = Call.of("manage_pipeline", """
        {"action": "create_or_update", "name": "orders pipeline", "catalog": "main", "schema": "sales",
         "workspace_file_paths": ["%s/orders/silver.sql"], "start_run": true}""".formatted(home()));
    Run first = s.run("Schedule the nightly orders job and set up the orders pipeline.", Turn.of(job), Turn.of(pipeline));
    s.expect(first, job, out -> assertThat(out.json().path("created").asBoolean()).isTrue());
    s.expect(first, pipeline, out -> {
      assertThat(out.json().path("created").asBoolean()).isTrue();
      assertThat(out.json().path("update_id").asText()).isNotEmpty();
    });
    String jobId = first.outcome(job).json().path("job_id").asText();
    String pipelineId = first.outcome(pipeline).json().path("pipeline_id").asText();

    Call runNow = Call.of("manage_job_runs", "{\"action\": \"run_now\", \"job_id\": \"" + jobId + "\", \"job_parameters\": {\"day\": \"2024-06-01\"}}");
    Call update = Call.of("manage_pipeline_run", "{\"action\": \"get\", \"pipeline_id\": \"" + pipelineId + "\"}");
    Run second = s.continueRun(first, "Run the job for June 1st and tell me how the pipeline is doing.", Turn.of(runNow), Turn.of(update));
    List<FakeWorkspace.Received> started = fake.requests("/api/2.2/jobs/run-now");
    s.expect(second, runNow, out -> {
      assertThat(out.json().path("job_id").asText()).isEqualTo(jobId);
      assertThat(started).hasSize(1);
      assertThat(started.getFirst().json().path("job_parameters").path("day").asText()).isEqualTo("2024-06-01");
    });
    s.expect(second, update, out -> {
      assertThat(out.json().path("update_id").asText()).isEqualTo(first.outcome(pipeline).json().path("update_id").asText());
      assertThat(out.json().path("state").asText()).isNotEmpty();
    });

    Call wait = Call.of("manage_job_runs", "{\"action\": \"wait\", \"run_id\": \"" + second.outcome(runNow).json().path("run_id").asText()
        + "\", \"timeout\": 60}");
    Run third = s.continueRun(first, "Did the run succeed?", Turn.of(wait));
    s.expect(third, wait, out -> {
      assertThat(out.json().path("life_cycle_state").asText()).isEqualTo("TERMINATED");
      assertThat(out.json().path("result_state").asText()).isEqualTo("SUCCESS");
    });
  }

  private void filesToTheWorkspaceAndAVolume(AgentScenario s) {
    String sql = "SELECT * FROM main.sales.orders WHERE amount IS NOT NULL\\n";
    Call writeSql = Call.of("Write", "{\"file_path\": \"etl/clean_orders.sql\", \"content\": \"" + sql + "\"}");
    Call writeCsv = Call.of("Write", "{\"file_path\": \"data/refunds.csv\", \"content\": \"order_id,amount\\n2,20.00\\n\"}");
    Call workspace = Call.of("manage_workspace_files", """
        {"action": "upload", "local_path": "etl", "workspace_path": "%s/etl"}""".formatted(home()));
    Call volume = Call.of("manage_volume_files", """
        {"action": "upload", "local_path": "data/refunds.csv", "volume_path": "/Volumes/main/sales/landing/refunds.csv"}""");
    Run run = s.run("Write the cleaning query and the refunds file, then put them in the workspace and the landing volume.",
        Turn.of(writeSql, writeCsv), Turn.of(workspace), Turn.of(volume));
    s.expect(run, workspace, out -> {
      assertThat(out.json().path("uploaded_count").asInt()).isEqualTo(1);
      assertThat(fake.tree.text(home() + "/etl/clean_orders.sql"))
          .isEqualTo("SELECT * FROM main.sales.orders WHERE amount IS NOT NULL\n");
    });
    s.expect(run, volume, out -> {
      assertThat(out.json().path("uploaded").get(0).path("volume_path").asText()).isEqualTo("/Volumes/main/sales/landing/refunds.csv");
      assertThat(new String(fake.volumes.file("/Volumes/main/sales/landing/refunds.csv"), StandardCharsets.UTF_8))
          .isEqualTo("order_id,amount\n2,20.00\n");
    });
  }

  private void unityCatalog(AgentScenario s) {
    Call schema = Call.of("manage_uc_objects", """
        {"action": "create", "object_type": "schema", "catalog_name": "main", "name": "finance", "comment": "Finance team tables"}""");
    Call grant = Call.of("manage_uc_grants", """
        {"action": "grant", "securable_type": "schema", "full_name": "main.finance", "principal": "finance-analysts", "privileges": ["USE_SCHEMA", "SELECT"]}""");
    Call grants = Call.of("manage_uc_grants", "{\"action\": \"get\", \"securable_type\": \"schema\", \"full_name\": \"main.finance\"}");
    Run run = s.run("Create a finance schema the analysts can read.", Turn.of(schema), Turn.of(grant), Turn.of(grants));
    s.expect(run, schema, out -> {
      assertThat(out.json().path("created").asText()).isEqualTo("main.finance");
      assertThat(out.json().path("owner").asText()).as("created as the user, not as the app").isEqualTo(user.email());
    });
    s.expect(run, grant, out -> assertThat(out.content()).contains("finance-analysts"));
    s.expect(run, grants, out -> {
      JsonNode assignment = out.json().path("privilege_assignments").get(0);
      assertThat(assignment.path("principal").asText()).isEqualTo("finance-analysts");
      assertThat(assignment.path("privileges").toString()).contains("SELECT", "USE_SCHEMA");
    });
  }

  private void userGenieAndServing(AgentScenario s) {
    Call me = Call.of("get_current_user", "{}");
    Call genie = Call.of("ask_genie", "{\"space_id\": \"space-sales\", \"question\": \"What is the total of paid orders?\"}");
    Call serving = Call.of("manage_serving_endpoint", """
        {"action": "query", "name": "databricks-claude-sonnet", "messages": [{"role": "user", "content": "Summarise: paid orders total 15.75"}]}""");
    Run run = s.run("Who am I, what does Genie say about paid orders, and summarise it with Claude.", Turn.of(me, genie), Turn.of(serving));
    s.expect(run, me, out -> {
      assertThat(out.json().path("user_name").asText()).isEqualTo(user.email());
      assertThat(out.json().path("credentials").asText()).contains("on-behalf-of");
    });
    s.expect(run, genie, out -> {
      assertThat(out.json().path("status").asText()).isEqualTo("COMPLETED");
      assertThat(out.json().path("columns").toString()).isEqualTo("[\"paid_total\"]");
      assertThat(out.json().path("data").toString()).isEqualTo("[[\"15.75\"]]");
    });
    s.expect(run, serving, out -> assertThat(out.json().path("choices").get(0).path("message").path("content").asText())
        .isEqualTo("echo: Summarise: paid orders total 15.75"));
  }

  private void trackedResourcesAndOperations(AgentScenario s) {
    Call catalog = Call.of("manage_uc_objects", "{\"action\": \"create\", \"object_type\": \"catalog\", \"name\": \"scratch\"}");
    Call tracked = Call.of("list_tracked_resources", "{}");
    Call operations = Call.of("list_operations", "{}");
    Call unknown = Call.of("check_operation_status", "{\"operation_id\": \"op-0000-missing\"}");
    Call delete = Call.of("delete_tracked_resource", "{\"type\": \"catalog\", \"id\": \"scratch\", \"delete_from_databricks\": true}");
    Run run = s.run("Make a scratch catalog, show me what this project created and what is running, then clean up.",
        Turn.of(catalog), Turn.of(tracked, operations, unknown), Turn.of(delete));
    s.expect(run, catalog, out -> assertThat(out.json().path("created").asText()).isEqualTo("scratch"));
    s.expect(run, tracked, out -> {
      JsonNode resource = out.json().path("resources").get(0);
      assertThat(resource.path("type").asText()).isEqualTo("catalog");
      assertThat(resource.path("id").asText()).isEqualTo("scratch");
      assertThat(resource.path("created_by").asText()).isEqualTo(user.email());
    });
    s.expect(run, operations, out -> assertThat(out.json().path("count").asInt()).as("no call went to the background").isZero());
    s.expectError(run, unknown, content -> assertThat(content).startsWith("no operation op-0000-missing"));
    s.expect(run, delete, out -> assertThat(out.json().path("workspace").asText()).isEqualTo("deleted from the workspace"));
  }
}
