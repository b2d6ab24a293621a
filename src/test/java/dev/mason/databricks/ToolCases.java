package dev.mason.databricks;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mason.web.Json;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * What a user does with each of the newer Databricks tools, as tables of steps that run the same
 * way through the agent ({@link ToolScenarios}) and through MCP ({@link DatabricksToolsOverMcpTest}):
 * for every tool a success path, an error path (bad input, a missing object or a denied call) and,
 * for what it creates, the entry in the project's resources read back with list_tracked_resources.
 *
 * <p>A step's input may use what earlier steps answered ({@code answers.get("dashboard")}); every
 * name a case creates ends in {@code suffix}, so the agent's run and the MCP run do not collide.
 */
final class ToolCases {
  /** A tool's answer, from either surface. */
  record Answer(boolean isError, String content) {
    JsonNode json() {
      try {
        return Json.MAPPER.readTree(content);
      } catch (IOException e) {
        throw new AssertionError("not JSON: " + content, e);
      }
    }
  }

  /**
   * One call: {@code key} names its answer for later steps, {@code error} whether it must fail.
   */
  record Step(String key, String tool, Function<Map<String, JsonNode>, String> input, boolean error, Consumer<Answer> check) {}

  /** A named sequence of steps; they run in order, each as its own turn. */
  record Case(String name, List<Step> steps) {}

  static final String WAREHOUSE = ToolScenarios.WAREHOUSE;
  private final FakeWorkspace fake;
  private final String suffix;
  private final List<Case> cases = new ArrayList<>();

  ToolCases(FakeWorkspace fake, String suffix) {
    this.fake = fake;
    this.suffix = suffix;
    sqlAndFiles();
    unityCatalogStorageAndSharing();
    governance();
    aiBi();
    vectorSearch();
    lakebase();
    apps();
    agentBricks();
  }

  /** What the cases expect beyond {@link ToolScenarios#setUp}: a folder of landing files. */
  static void setUp(FakeWorkspace fake) {
    fake.volumes.put("/Volumes/main/sales/landing/orders/2024-06-01.csv", "id,customer,amount\n1,ada,10.50\n2,bob,20.00\n3,cy,5.25\n");
    fake.volumes.put("/Volumes/main/sales/landing/orders/2024-06-02.csv", "id,customer,amount\n4,di,7.00\n");
    fake.volumes.put("/Volumes/main/sales/landing/orders/archive/old.parquet", "PAR1");
    fake.tree.putFile("/Workspace/Shared/apps/orders-app/app.yaml", "command: [\"python\", \"app.py\"]\n");
    fake.tree.putFile("/Workspace/Shared/apps/orders-app/app.py", "print('orders')\n");
    fake.tree.mkdirs("/Workspace/Shared/apps/empty-app");
  }

  List<Case> all() {
    return cases;
  }

  private String n(String name) {
    return name + "_" + suffix;
  }

  private static Step ok(String key, String tool, String input, Consumer<Answer> check) {
    return new Step(key, tool, answers -> input, false, check);
  }

  private static Step ok(String key, String tool, Function<Map<String, JsonNode>, String> input, Consumer<Answer> check) {
    return new Step(key, tool, input, false, check);
  }

  private static Step fails(String tool, String input, Consumer<String> check) {
    return new Step(null, tool, answers -> input, true, answer -> check.accept(answer.content()));
  }

  /** A step: list_tracked_resources shows each {type, id} pair (an id of null: any resource of the type), each with a link. */
  private static Step tracked(String... typeIds) {
    return ok(null, "list_tracked_resources", "{}", answer -> {
      List<String> present = new ArrayList<>();
      answer.json().path("resources").forEach(r -> {
        present.add(r.path("type").asText() + " " + r.path("id").asText());
        assertThat(r.path("url").asText()).as("a link to " + r).startsWith("http");
      });
      for (int i = 0; i < typeIds.length; i += 2) {
        String type = typeIds[i];
        String id = typeIds[i + 1];
        assertThat(present).as("the project's resources").anyMatch(p -> id == null ? p.startsWith(type + " ") : p.equals(type + " " + id));
      }
    });
  }

  private void add(String name, Step... steps) {
    cases.add(new Case(name, List.of(steps)));
  }

  private void sqlAndFiles() {
    add("a landing folder and a new warehouse",
        ok(null, "get_volume_folder_details", """
            {"volume_path": "/Volumes/main/sales/landing/orders", "preview_rows": 2}""", a -> {
          JsonNode out = a.json();
          assertThat(out.path("file_count").asInt()).isEqualTo(2);
          assertThat(out.path("formats").path("csv").path("files").asInt()).isEqualTo(2);
          assertThat(out.path("folders").toString()).contains("archive");
          assertThat(out.path("preview").path("columns").toString()).isEqualTo("[\"id\",\"customer\",\"amount\"]");
          assertThat(out.path("preview").path("rows").toString()).isEqualTo("[\"1,ada,10.50\",\"2,bob,20.00\"]");
        }),
        ok(null, "get_volume_folder_details", """
            {"volume_path": "/Volumes/main/sales/landing/orders/archive"}""",
            a -> assertThat(a.json().path("preview_sql").asText()).contains("read_files('/Volumes/main/sales/landing/orders/archive'")
                .contains("'parquet'")),
        fails("get_volume_folder_details", "{\"volume_path\": \"/tmp/orders\"}",
            m -> assertThat(m).startsWith("volume_path must look like /Volumes/")),
        ok("warehouse", "manage_sql_warehouse", "{\"action\": \"create\", \"name\": \"" + n("reporting") + "\", \"cluster_size\": \"Small\"}",
            a -> {
              assertThat(a.json().path("created").asBoolean()).isTrue();
              assertThat(a.json().path("url").asText()).contains("/sql/warehouses/");
            }),
        ok(null, "manage_sql_warehouse", "{\"action\": \"create\", \"name\": \"" + n("reporting") + "\"}",
            a -> assertThat(a.json().path("created").asBoolean()).as("not created twice").isFalse()),
        ok(null, "manage_sql_warehouse", answers -> "{\"action\": \"modify\", \"warehouse_id\": \""
            + answers.get("warehouse").path("warehouse_id").asText() + "\", \"max_num_clusters\": 3}",
            a -> assertThat(a.json().path("modified").asBoolean()).isTrue()),
        ok(null, "manage_warehouse", answers -> "{\"action\": \"get\", \"warehouse_id\": \""
            + answers.get("warehouse").path("warehouse_id").asText() + "\"}", a -> assertThat(a.content()).contains("Small")),
        tracked("warehouse", null),
        ok(null, "manage_sql_warehouse", answers -> "{\"action\": \"delete\", \"warehouse_id\": \""
            + answers.get("warehouse").path("warehouse_id").asText() + "\"}", a -> assertThat(a.json().path("deleted").asBoolean()).isTrue()),
        fails("manage_sql_warehouse", "{\"action\": \"delete\", \"warehouse_id\": \"no-such-warehouse\"}",
            m -> assertThat(m).startsWith("RESOURCE_DOES_NOT_EXIST (HTTP 404)")));
  }

  private void unityCatalogStorageAndSharing() {
    add("storage, federation and Delta Sharing",
        ok(null, "manage_uc_storage", "{\"action\": \"create\", \"resource_type\": \"storage_credential\", \"name\": \"" + n("lake_creds")
            + "\", \"aws_iam_role_arn\": \"arn:aws:iam::123456789012:role/lake\"}", a -> assertThat(a.json().path("created").asText())
            .isEqualTo(n("lake_creds"))),
        ok(null, "manage_uc_storage", "{\"action\": \"create\", \"resource_type\": \"external_location\", \"name\": \"" + n("lake_raw")
            + "\", \"url\": \"s3://lake/raw/" + suffix + "\", \"credential_name\": \"" + n("lake_creds") + "\"}",
            a -> assertThat(a.json().path("url").asText()).isEqualTo("s3://lake/raw/" + suffix)),
        ok(null, "manage_uc_storage", "{\"action\": \"list\", \"resource_type\": \"external_location\"}",
            a -> assertThat(a.json().path("external_locations").findValuesAsText("name")).contains(n("lake_raw"))),
        fails("manage_uc_storage", "{\"action\": \"create\", \"resource_type\": \"storage_credential\", \"name\": \"x\"}",
            m -> assertThat(m).contains("aws_iam_role_arn, azure_access_connector_id or gcp_service_account")),
        ok(null, "manage_uc_connections", "{\"action\": \"create\", \"name\": \"" + n("crm_pg") + "\", \"connection_type\": \"POSTGRESQL\", "
            + "\"options\": {\"host\": \"crm.internal\", \"port\": \"5432\", \"user\": \"reader\", \"password\": \"s3cret-pw\"}}",
            a -> assertThat(a.content()).contains("POSTGRESQL").doesNotContain("s3cret-pw")),
        ok(null, "manage_uc_connections", "{\"action\": \"get\", \"name\": \"" + n("crm_pg") + "\"}",
            a -> assertThat(a.content()).contains("option_names").doesNotContain("s3cret-pw")),
        ok(null, "manage_uc_connections", "{\"action\": \"create_foreign_catalog\", \"name\": \"" + n("crm_pg") + "\", \"catalog_name\": \""
            + n("crm") + "\", \"options\": {\"database\": \"crm\"}}", a -> assertThat(a.json().path("created").asText()).isEqualTo(n("crm"))),
        fails("manage_uc_connections", "{\"action\": \"get\", \"name\": \"no_such_connection\"}",
            m -> assertThat(m).startsWith("RESOURCE_DOES_NOT_EXIST (HTTP 404)")),
        ok(null, "manage_uc_sharing", "{\"action\": \"create\", \"resource_type\": \"share\", \"name\": \"" + n("sales_share") + "\"}",
            a -> assertThat(a.json().path("created").asText()).isEqualTo(n("sales_share"))),
        ok(null, "manage_uc_sharing", "{\"action\": \"add_table\", \"resource_type\": \"share\", \"name\": \"" + n("sales_share")
            + "\", \"table_name\": \"main.sales.orders\"}", a -> assertThat(a.json().path("objects").toString()).contains("main.sales.orders")),
        ok(null, "manage_uc_sharing", "{\"action\": \"create\", \"resource_type\": \"recipient\", \"name\": \"" + n("partner") + "\"}",
            a -> {
              assertThat(a.json().path("activation_url").asText()).contains("retrieve_config");
              assertThat(a.content()).as("no bearer tokens").doesNotContain("\"tokens\"");
            }),
        ok(null, "manage_uc_sharing", "{\"action\": \"grant\", \"resource_type\": \"share\", \"name\": \"" + n("sales_share")
            + "\", \"recipient_name\": \"" + n("partner") + "\"}", a -> assertThat(a.json().path("privilege_assignments").get(0)
            .path("principal").asText()).isEqualTo(n("partner"))),
        fails("manage_uc_sharing", "{\"action\": \"add_table\", \"resource_type\": \"recipient\", \"name\": \"x\", \"table_name\": \"main.sales.orders\"}",
            m -> assertThat(m).isEqualTo("add_table works on shares: use resource_type share")),
        tracked("storage_credential", n("lake_creds"), "external_location", n("lake_raw"), "connection", n("crm_pg"), "catalog", n("crm"),
            "share", n("sales_share"), "recipient", n("partner")),
        ok(null, "manage_uc_storage", "{\"action\": \"delete\", \"resource_type\": \"external_location\", \"name\": \"" + n("lake_raw") + "\"}",
            a -> assertThat(a.json().path("deleted").asText()).isEqualTo(n("lake_raw"))));
  }

  private void governance() {
    String table = "main.sales.customers_" + suffix;
    add("tags, filters, masks, monitors and metric views",
        ok(null, "execute_sql", "{\"sql_query\": \"CREATE TABLE " + table + " AS SELECT id, customer AS email, amount, 'US' AS region "
            + "FROM main.sales.orders\", \"warehouse_id\": \"" + WAREHOUSE + "\"}", a -> assertThat(a.isError()).isFalse()),
        ok(null, "manage_uc_tags", "{\"action\": \"set\", \"entity_type\": \"tables\", \"entity_name\": \"" + table
            + "\", \"tags\": {\"pii\": \"email\", \"team\": \"finance\"}}", a -> assertThat(a.json().path("tags").path("pii").asText()).isEqualTo("email")),
        ok(null, "manage_uc_tags", "{\"action\": \"set\", \"entity_type\": \"tables\", \"entity_name\": \"" + table
            + "\", \"tags\": {\"team\": \"sales\"}}", a -> assertThat(a.json().path("tags").path("team").asText()).as("changed").isEqualTo("sales")),
        ok(null, "manage_uc_tags", "{\"action\": \"unset\", \"entity_type\": \"tables\", \"entity_name\": \"" + table
            + "\", \"tag_keys\": [\"team\"]}", a -> assertThat(a.json().path("tags").has("team")).isFalse()),
        fails("manage_uc_tags", "{\"action\": \"set\", \"entity_type\": \"tables\", \"entity_name\": \"main.sales.nothing\", \"tags\": {\"a\": \"b\"}}",
            m -> assertThat(m).startsWith("TABLE_DOES_NOT_EXIST (HTTP 404)")),
        ok(null, "manage_uc_security_policies", "{\"action\": \"set_row_filter\", \"table_name\": \"" + table
            + "\", \"function_name\": \"main.sales.us_only\", \"columns\": [\"region\"], \"warehouse_id\": \"" + WAREHOUSE + "\"}", a -> {
          assertThat(a.json().path("row_filter").path("function_name").asText()).isEqualTo("main.sales.us_only");
          assertThat(a.json().path("applied").asText()).isEqualTo("ALTER TABLE `main`.`sales`.`customers_" + suffix
              + "` SET ROW FILTER `main`.`sales`.`us_only` ON (`region`)");
        }),
        ok(null, "manage_uc_security_policies", "{\"action\": \"set_column_mask\", \"table_name\": \"" + table
            + "\", \"column_name\": \"email\", \"function_name\": \"main.sales.mask_email\", \"warehouse_id\": \"" + WAREHOUSE + "\"}",
            a -> assertThat(a.json().path("column_masks").get(0).path("column_name").asText()).isEqualTo("email")),
        ok(null, "manage_uc_security_policies", "{\"action\": \"drop_row_filter\", \"table_name\": \"" + table + "\"}",
            a -> assertThat(a.json().path("row_filter").isNull()).isTrue()),
        fails("manage_uc_security_policies", "{\"action\": \"get\", \"table_name\": \"orders\"}",
            m -> assertThat(m).startsWith("table_name must be a three-part name")),
        ok(null, "manage_uc_monitors", "{\"action\": \"create\", \"table_name\": \"" + table + "\", \"output_schema_name\": \"main.sales\"}",
            a -> assertThat(a.json().path("profile_metrics_table_name").asText()).isEqualTo("main.sales.customers_" + suffix + "_profile_metrics")),
        ok(null, "manage_uc_monitors", "{\"action\": \"refresh\", \"table_name\": \"" + table + "\"}",
            a -> assertThat(a.json().path("state").asText()).isEqualTo("PENDING")),
        ok(null, "manage_uc_monitors", "{\"action\": \"update\", \"table_name\": \"" + table + "\", \"slicing_exprs\": [\"region\"]}",
            a -> assertThat(a.json().path("slicing_exprs").toString()).isEqualTo("[\"region\"]")),
        fails("manage_uc_monitors", "{\"action\": \"get\", \"table_name\": \"main.sales.orders\"}",
            m -> assertThat(m).startsWith("RESOURCE_DOES_NOT_EXIST (HTTP 404)")),
        ok(null, "manage_metric_views", "{\"action\": \"create\", \"full_name\": \"main.sales.order_metrics_" + suffix + "\", \"warehouse_id\": \""
            + WAREHOUSE + "\", \"yaml\": \"version: 1.1\\nsource: main.sales.orders\\ndimensions:\\n  - name: customer\\n    expr: customer\\n"
            + "measures:\\n  - name: revenue\\n    expr: SUM(amount)\\n  - name: orders\\n    expr: COUNT(1)\\n\"}",
            a -> assertThat(a.json().path("created").asText()).isEqualTo("main.sales.order_metrics_" + suffix)),
        ok(null, "manage_metric_views", "{\"action\": \"query\", \"full_name\": \"main.sales.order_metrics_" + suffix + "\", \"warehouse_id\": \""
            + WAREHOUSE + "\", \"dimensions\": [\"customer\"], \"measures\": [\"revenue\"], \"where\": \"customer = 'ada'\"}",
            a -> assertThat(a.json().path("rows").toString()).isEqualTo("[{\"customer\":\"ada\",\"revenue\":10.5}]")),
        ok(null, "manage_metric_views", "{\"action\": \"list\", \"catalog_name\": \"main\", \"schema_name\": \"sales\"}",
            a -> assertThat(a.json().path("metric_views").findValuesAsText("full_name")).contains("main.sales.order_metrics_" + suffix)),
        ok(null, "manage_metric_views", "{\"action\": \"get\", \"full_name\": \"main.sales.order_metrics_" + suffix + "\"}",
            a -> assertThat(a.json().path("yaml").asText()).contains("SUM(amount)")),
        fails("manage_metric_views", "{\"action\": \"create\", \"full_name\": \"main.sales.broken\", \"yaml\": \"version: 1.1\\nsource: main.sales.nothing\\nmeasures: []\"}",
            m -> assertThat(m).contains("TABLE_OR_VIEW_NOT_FOUND")),
        tracked("monitor", table, "metric_view", "main.sales.order_metrics_" + suffix));
  }

  private void aiBi() {
    String definition = "{\"datasets\": [{\"name\": \"orders\", \"displayName\": \"Orders\", \"queryLines\": [\"SELECT customer, amount "
        + "FROM main.sales.orders\"]}], \"pages\": [{\"name\": \"overview\", \"displayName\": \"Overview\", \"layout\": []}]}";
    add("a dashboard and a Genie space",
        ok("dashboard", "manage_dashboard", "{\"action\": \"create_or_update\", \"display_name\": \"" + n("Sales") + "\", \"warehouse_id\": \""
            + WAREHOUSE + "\", \"serialized_dashboard\": " + definition + "}", a -> {
          assertThat(a.json().path("created").asBoolean()).isTrue();
          assertThat(a.json().path("path").asText()).endsWith("/" + n("Sales") + ".lvdash.json");
        }),
        ok(null, "manage_dashboard", "{\"action\": \"create_or_update\", \"display_name\": \"" + n("Sales") + "\", \"warehouse_id\": \""
            + WAREHOUSE + "\", \"serialized_dashboard\": " + Json.MAPPER.valueToTree(definition.replace("Overview", "Summary")) + "}", a -> {
          assertThat(a.json().path("created").asBoolean()).as("the definition as a string updates the same dashboard").isFalse();
        }),
        ok(null, "manage_dashboard", answers -> "{\"action\": \"get\", \"dashboard_id\": \""
            + answers.get("dashboard").path("dashboard_id").asText() + "\"}",
            a -> assertThat(a.json().path("serialized_dashboard").asText()).contains("Summary")),
        ok(null, "manage_dashboard", answers -> "{\"action\": \"publish\", \"dashboard_id\": \""
            + answers.get("dashboard").path("dashboard_id").asText() + "\"}", a -> assertThat(a.json().path("published").asBoolean()).isTrue()),
        ok(null, "manage_dashboard", answers -> "{\"action\": \"unpublish\", \"dashboard_id\": \""
            + answers.get("dashboard").path("dashboard_id").asText() + "\"}", a -> assertThat(a.json().path("published").asBoolean()).isFalse()),
        ok(null, "manage_dashboard", "{\"action\": \"list\"}", a -> assertThat(a.json().path("dashboards").findValuesAsText("display_name"))
            .contains(n("Sales"))),
        fails("manage_dashboard", "{\"action\": \"create_or_update\", \"display_name\": \"x\", \"serialized_dashboard\": {\"datasets\": []}}",
            m -> assertThat(m).startsWith("serialized_dashboard has no pages")),
        fails("manage_dashboard", "{\"action\": \"publish\", \"dashboard_id\": \"no-such-dashboard\"}",
            m -> assertThat(m).startsWith("RESOURCE_DOES_NOT_EXIST (HTTP 404)")),
        ok("space", "manage_genie", "{\"action\": \"create\", \"title\": \"" + n("Sales questions") + "\", \"table_identifiers\": "
            + "[\"main.sales.orders\"], \"sample_questions\": [\"Who paid most?\"], \"warehouse_id\": \"" + WAREHOUSE + "\"}",
            a -> assertThat(a.json().path("url").asText()).contains("/genie/rooms/")),
        ok(null, "manage_genie", answers -> "{\"action\": \"get\", \"space_id\": \"" + answers.get("space").path("space_id").asText() + "\"}",
            a -> assertThat(a.json().path("serialized_space").asText()).contains("main.sales.orders").contains("Who paid most?")),
        ok(null, "manage_genie", answers -> "{\"action\": \"update\", \"space_id\": \"" + answers.get("space").path("space_id").asText()
            + "\", \"description\": \"Orders and payments\"}", a -> assertThat(a.json().path("description").asText()).isEqualTo("Orders and payments")),
        fails("manage_genie", "{\"action\": \"create\", \"title\": \"empty\"}",
            m -> assertThat(m).startsWith("create needs table_identifiers")),
        tracked("dashboard", null, "genie_space", null),
        ok(null, "manage_dashboard", answers -> "{\"action\": \"delete\", \"dashboard_id\": \""
            + answers.get("dashboard").path("dashboard_id").asText() + "\"}", a -> assertThat(a.json().path("trashed").asBoolean()).isTrue()),
        ok(null, "manage_genie", answers -> "{\"action\": \"delete\", \"space_id\": \"" + answers.get("space").path("space_id").asText() + "\"}",
            a -> assertThat(a.json().path("trashed").asBoolean()).isTrue()));
  }

  private void vectorSearch() {
    String endpoint = n("search");
    String synced = "main.sales.orders_index_" + suffix;
    String direct = "main.sales.notes_index_" + suffix;
    add("vector search",
        ok(null, "manage_vs_endpoint", "{\"action\": \"create\", \"name\": \"" + endpoint + "\"}", a -> {
          assertThat(a.json().path("created").asBoolean()).isTrue();
          assertThat(a.json().path("state").asText()).isEqualTo("ONLINE");
        }),
        ok(null, "manage_vs_endpoint", "{\"action\": \"create\", \"name\": \"" + endpoint + "\"}",
            a -> assertThat(a.json().path("created").asBoolean()).as("not made twice").isFalse()),
        ok(null, "manage_vs_index", "{\"action\": \"create\", \"name\": \"" + synced + "\", \"endpoint_name\": \"" + endpoint
            + "\", \"primary_key\": \"id\", \"source_table\": \"main.sales.orders\", \"embedding_source_column\": \"customer\", "
            + "\"embedding_model_endpoint_name\": \"databricks-gte-large-en\"}", a -> assertThat(a.json().path("indexed_row_count").asInt()).isEqualTo(3)),
        ok(null, "query_vs_index", "{\"index_name\": \"" + synced + "\", \"query_text\": \"ada\", \"columns\": [\"id\", \"customer\"], "
            + "\"num_results\": 1}", a -> {
          JsonNode row = a.json().path("rows").get(0);
          assertThat(row.path("customer").asText()).isEqualTo("ada");
          assertThat(row.path("score").asDouble()).isPositive();
        }),
        ok(null, "manage_vs_index", "{\"action\": \"sync\", \"name\": \"" + synced + "\"}",
            a -> assertThat(a.json().path("message").asText()).contains("Sync started")),
        ok(null, "manage_vs_index", "{\"action\": \"create\", \"name\": \"" + direct + "\", \"endpoint_name\": \"" + endpoint
            + "\", \"primary_key\": \"id\", \"index_type\": \"DIRECT_ACCESS\", \"embedding_vector_column\": \"vector\", "
            + "\"embedding_dimension\": 3, \"schema_json\": {\"id\": \"string\", \"text\": \"string\", \"vector\": \"array<float>\"}}",
            a -> assertThat(a.json().path("index_type").asText()).isEqualTo("DIRECT_ACCESS")),
        ok(null, "manage_vs_data", "{\"action\": \"upsert\", \"index_name\": \"" + direct + "\", \"rows\": ["
            + "{\"id\": \"n1\", \"text\": \"refund policy\", \"vector\": [1, 0, 0]}, {\"id\": \"n2\", \"text\": \"shipping times\", "
            + "\"vector\": [0, 1, 0]}]}", a -> assertThat(a.json().path("success_row_count").asInt()).isEqualTo(2)),
        ok(null, "query_vs_index", "{\"index_name\": \"" + direct + "\", \"query_vector\": [0, 0.9, 0.1], \"columns\": [\"id\", \"text\"]}",
            a -> assertThat(a.json().path("rows").get(0).path("text").asText()).isEqualTo("shipping times")),
        ok(null, "manage_vs_data", "{\"action\": \"scan\", \"index_name\": \"" + direct + "\", \"num_results\": 1}", a -> {
          assertThat(a.json().path("rows").get(0).path("id").asText()).isEqualTo("n1");
          assertThat(a.json().path("rows").get(0).path("vector").toString()).isEqualTo("[1.0,0.0,0.0]");
          assertThat(a.json().path("last_primary_key").asText()).isEqualTo("n1");
        }),
        ok(null, "manage_vs_data", "{\"action\": \"delete\", \"index_name\": \"" + direct + "\", \"primary_keys\": [\"n1\"]}",
            a -> assertThat(a.json().path("status").asText()).isEqualTo("SUCCESS")),
        fails("manage_vs_data", "{\"action\": \"upsert\", \"index_name\": \"" + synced + "\", \"rows\": [{\"id\": 9}]}",
            m -> assertThat(m).contains("Direct Access")),
        fails("query_vs_index", "{\"index_name\": \"main.sales.no_index\", \"query_text\": \"x\", \"columns\": [\"id\"]}",
            m -> assertThat(m).startsWith("RESOURCE_DOES_NOT_EXIST (HTTP 404)")),
        fails("manage_vs_index", "{\"action\": \"create\", \"name\": \"main.sales.x\", \"endpoint_name\": \"" + endpoint
            + "\", \"primary_key\": \"id\", \"source_table\": \"main.sales.orders\"}", m -> assertThat(m).startsWith("create needs embedding_source_column")),
        ok(null, "manage_vs_index", "{\"action\": \"list\", \"endpoint_name\": \"" + endpoint + "\"}",
            a -> assertThat(a.json().path("vector_indexes").findValuesAsText("name")).containsExactlyInAnyOrder(synced, direct)),
        tracked("vs_endpoint", endpoint, "vs_index", synced, "vs_index", direct),
        ok(null, "manage_vs_index", "{\"action\": \"delete\", \"name\": \"" + direct + "\"}",
            a -> assertThat(a.json().path("deleted").asText()).isEqualTo(direct)),
        ok(null, "manage_vs_endpoint", "{\"action\": \"get\", \"name\": \"" + endpoint + "\"}",
            a -> assertThat(a.json().path("num_indexes").asInt()).isEqualTo(1)),
        ok(null, "delete_tracked_resource", "{\"type\": \"vs_index\", \"id\": \"" + synced + "\", \"delete_from_databricks\": true}",
            a -> assertThat(a.json().path("workspace").asText()).isEqualTo("deleted from the workspace")),
        fails("query_vs_index", "{\"index_name\": \"" + synced + "\", \"query_text\": \"ada\", \"columns\": [\"id\"]}",
            m -> assertThat(m).as("the tracked index is gone").startsWith("RESOURCE_DOES_NOT_EXIST")));
  }

  private void lakebase() {
    String instance = "orders-db-" + suffix;
    String project = "app-db-" + suffix;
    String synced = "main.sales.orders_synced_" + suffix;
    add("Lakebase",
        ok(null, "manage_lakebase_database", "{\"action\": \"create\", \"name\": \"" + instance + "\", \"capacity\": \"CU_2\"}", a -> {
          assertThat(a.json().path("created").asBoolean()).isTrue();
          assertThat(a.json().path("host").asText()).contains(instance);
        }),
        ok(null, "manage_lakebase_database", "{\"action\": \"create\", \"name\": \"" + instance + "\"}",
            a -> assertThat(a.json().path("created").asBoolean()).as("not made twice").isFalse()),
        ok(null, "manage_lakebase_database", "{\"action\": \"stop\", \"name\": \"" + instance + "\"}",
            a -> assertThat(a.json().path("stopped").asBoolean()).isTrue()),
        ok(null, "manage_lakebase_database", "{\"action\": \"start\", \"name\": \"" + instance + "\"}",
            a -> assertThat(a.json().path("stopped").asBoolean()).isFalse()),
        fails("manage_lakebase_database", "{\"action\": \"create\", \"name\": \"Orders DB\"}",
            m -> assertThat(m).startsWith("name must be lower-case letters, digits and hyphens")),
        ok(null, "generate_lakebase_credential", "{\"instance_name\": \"" + instance + "\"}", a -> {
          assertThat(a.json().path("password_file").asText()).isEqualTo(GenerateLakebaseCredentialTool.PGPASS);
          assertThat(a.json().path("host").asText()).contains(instance);
          assertThat(a.content()).as("the password stays out of the answer").doesNotContain(fake.lakebase.tokens.getLast())
              .doesNotContain("pg-token-");
        }),
        ok(null, "manage_lakebase_sync", "{\"action\": \"create\", \"name\": \"" + synced + "\", \"source_table\": \"main.sales.orders\", "
            + "\"instance_name\": \"" + instance + "\", \"primary_key_columns\": [\"id\"]}",
            a -> assertThat(a.json().path("state").asText()).isEqualTo("SYNCED_TABLE_PROVISIONING_INITIAL_SNAPSHOT")),
        ok(null, "manage_lakebase_sync", "{\"action\": \"get\", \"name\": \"" + synced + "\"}",
            a -> assertThat(a.json().path("source_table").asText()).isEqualTo("main.sales.orders")),
        fails("manage_lakebase_sync", "{\"action\": \"create\", \"name\": \"" + synced + "_x\", \"source_table\": \"main.sales.orders\", "
            + "\"instance_name\": \"no-such-instance\", \"primary_key_columns\": [\"id\"]}", m -> assertThat(m).startsWith("RESOURCE_DOES_NOT_EXIST (HTTP 404)")),
        ok(null, "manage_lakebase_database", "{\"action\": \"create\", \"type\": \"autoscaling\", \"name\": \"" + project + "\"}",
            a -> assertThat(a.json().path("name").asText()).isEqualTo("projects/" + project)),
        ok(null, "manage_lakebase_branch", "{\"action\": \"create\", \"project\": \"" + project + "\", \"branch_id\": \"dev\", \"ttl_hours\": 24}",
            a -> assertThat(a.json().path("name").asText()).isEqualTo("projects/" + project + "/branches/dev")),
        ok(null, "manage_lakebase_branch", "{\"action\": \"list\", \"project\": \"" + project + "\"}",
            a -> assertThat(a.json().path("branches").findValuesAsText("name"))
                .containsExactly("projects/" + project + "/branches/dev", "projects/" + project + "/branches/main")),
        fails("manage_lakebase_branch", "{\"action\": \"delete\", \"project\": \"" + project + "\", \"branch_id\": \"main\"}",
            m -> assertThat(m).contains("default branch cannot be deleted")),
        ok(null, "generate_lakebase_credential", "{\"project\": \"" + project + "\", \"branch\": \"dev\"}",
            a -> assertThat(a.json().path("host").asText()).isEqualTo("ep-dev." + project + ".database.example.com")),
        tracked("lakebase_instance", instance, "synced_table", synced, "lakebase_project", "projects/" + project,
            "lakebase_branch", "projects/" + project + "/branches/dev"),
        ok(null, "manage_lakebase_branch", "{\"action\": \"delete\", \"project\": \"" + project + "\", \"branch_id\": \"dev\"}",
            a -> assertThat(a.json().path("deleted").asText()).endsWith("/branches/dev")),
        ok(null, "manage_lakebase_database", "{\"action\": \"delete\", \"name\": \"" + instance + "\"}",
            a -> assertThat(a.json().path("deleted").asText()).isEqualTo(instance)));
  }

  private void apps() {
    String app = "orders-" + suffix;
    add("an app",
        ok(null, "manage_app", "{\"action\": \"create\", \"name\": \"" + app + "\", \"description\": \"Orders browser\"}", a -> {
          assertThat(a.json().path("created").asBoolean()).isTrue();
          assertThat(a.json().path("url").asText()).startsWith("https://" + app + "-");
        }),
        ok(null, "manage_app", "{\"action\": \"deploy\", \"name\": \"" + app + "\", \"source_code_path\": \"/Workspace/Shared/apps/orders-app\"}",
            a -> assertThat(a.json().path("state").asText()).isEqualTo("SUCCEEDED")),
        ok(null, "manage_app", "{\"action\": \"get\", \"name\": \"" + app + "\"}", a -> {
          assertThat(a.json().path("app_state").asText()).isEqualTo("RUNNING");
          assertThat(a.json().path("active_deployment").path("source_code_path").asText()).isEqualTo("/Workspace/Shared/apps/orders-app");
        }),
        ok(null, "manage_app", "{\"action\": \"deploy\", \"name\": \"" + app + "\", \"source_code_path\": \"/Workspace/Shared/apps/empty-app\"}",
            a -> assertThat(a.json().path("state").asText()).isEqualTo("FAILED")),
        ok(null, "manage_app", "{\"action\": \"logs\", \"name\": \"" + app + "\"}", a -> {
          assertThat(a.json().path("deployments").get(0).path("message").asText()).contains("app.yaml not found");
          assertThat(a.json().path("live_log").asText()).endsWith("/logz");
        }),
        ok(null, "manage_app", "{\"action\": \"list\"}", a -> assertThat(a.json().path("apps").findValuesAsText("name")).contains(app)),
        fails("manage_app", "{\"action\": \"deploy\", \"name\": \"no-such-app\", \"source_code_path\": \"/Workspace/Shared/apps/orders-app\"}",
            m -> assertThat(m).startsWith("RESOURCE_DOES_NOT_EXIST (HTTP 404)")),
        fails("manage_app", "{\"action\": \"create\", \"name\": \"Orders App\"}", m -> assertThat(m).startsWith("name must be 2 to 30")),
        tracked("app", app),
        ok(null, "manage_app", "{\"action\": \"stop\", \"name\": \"" + app + "\"}",
            a -> assertThat(a.json().path("compute_state").asText()).isEqualTo("STOPPED")),
        ok(null, "manage_app", "{\"action\": \"delete\", \"name\": \"" + app + "\"}", a -> assertThat(a.json().path("deleted").asText()).isEqualTo(app)));
  }

  private void agentBricks() {
    add("a knowledge assistant under a supervisor",
        ok("ka", "manage_ka", "{\"action\": \"create\", \"display_name\": \"" + n("Order help") + "\", \"instructions\": \"Answer from the order files.\"}",
            a -> {
              assertThat(a.json().path("name").asText()).startsWith("knowledge-assistants/");
              assertThat(a.json().path("state").asText()).isEqualTo("CREATING");
            }),
        ok(null, "manage_ka", answers -> "{\"action\": \"add_source\", \"knowledge_assistant\": \"" + answers.get("ka").path("id").asText()
            + "\", \"display_name\": \"Order files\", \"volume_path\": \"/Volumes/main/sales/landing/orders\"}",
            a -> assertThat(a.json().path("files").path("path").asText()).isEqualTo("/Volumes/main/sales/landing/orders")),
        ok(null, "manage_ka", answers -> "{\"action\": \"get\", \"knowledge_assistant\": \"" + answers.get("ka").path("name").asText() + "\"}",
            a -> assertThat(a.json().path("state").asText()).isEqualTo("ACTIVE")),
        ok(null, "manage_ka", answers -> "{\"action\": \"update\", \"knowledge_assistant\": \"" + answers.get("ka").path("id").asText()
            + "\", \"instructions\": \"Answer briefly.\"}", a -> assertThat(a.json().path("instructions").asText()).isEqualTo("Answer briefly.")),
        ok(null, "manage_ka", answers -> "{\"action\": \"sync\", \"knowledge_assistant\": \"" + answers.get("ka").path("id").asText() + "\"}",
            a -> assertThat(a.json().path("message").asText()).contains("Sync started")),
        ok(null, "manage_ka", answers -> "{\"action\": \"list_sources\", \"knowledge_assistant\": \"" + answers.get("ka").path("id").asText() + "\"}",
            a -> assertThat(a.json().path("knowledge_sources").get(0).path("state").asText()).isEqualTo("UPDATING")),
        fails("manage_ka", "{\"action\": \"add_source\", \"knowledge_assistant\": \"x\", \"display_name\": \"s\"}",
            m -> assertThat(m).startsWith("add_source needs volume_path")),
        ok("mas", "manage_mas", "{\"action\": \"create\", \"display_name\": \"" + n("Sales desk") + "\", \"instructions\": \"Route order questions.\"}",
            a -> assertThat(a.json().path("name").asText()).startsWith("supervisor-agents/")),
        ok(null, "manage_mas", answers -> "{\"action\": \"add_tool\", \"supervisor\": \"" + answers.get("mas").path("id").asText()
            + "\", \"tool_id\": \"order-help\", \"tool_type\": \"knowledge_assistant\", \"target\": \"" + answers.get("ka").path("name").asText()
            + "\", \"description\": \"Questions about orders\"}",
            a -> assertThat(a.json().path("knowledge_assistant").path("knowledge_assistant_id").asText()).isNotEmpty()),
        new Step(null, "manage_mas", answers -> "{\"action\": \"add_tool\", \"supervisor\": \"" + answers.get("mas").path("id").asText()
            + "\", \"tool_id\": \"sales-genie\", \"tool_type\": \"genie_space\", \"target\": \"no-such-space\"}", true,
            a -> assertThat(a.content()).startsWith("RESOURCE_DOES_NOT_EXIST (HTTP 404)")),
        ok(null, "manage_mas", answers -> "{\"action\": \"list_tools\", \"supervisor\": \"" + answers.get("mas").path("id").asText() + "\"}",
            a -> assertThat(a.json().path("tools").findValuesAsText("tool_id")).containsExactly("order-help")),
        ok(null, "manage_mas", answers -> "{\"action\": \"remove_tool\", \"supervisor\": \"" + answers.get("mas").path("id").asText()
            + "\", \"tool_id\": \"order-help\"}", a -> assertThat(a.json().path("removed").asText()).isEqualTo("order-help")),
        tracked("knowledge_assistant", null, "supervisor_agent", null),
        ok(null, "manage_mas", answers -> "{\"action\": \"delete\", \"supervisor\": \"" + answers.get("mas").path("id").asText() + "\"}",
            a -> assertThat(a.json().path("deleted").asText()).startsWith("supervisor-agents/")),
        ok(null, "manage_ka", answers -> "{\"action\": \"delete\", \"knowledge_assistant\": \"" + answers.get("ka").path("id").asText() + "\"}",
            a -> assertThat(a.json().path("deleted").asText()).startsWith("knowledge-assistants/")));
  }

  /** Every tool the cases call. */
  List<String> tools() {
    Map<String, Boolean> tools = new LinkedHashMap<>();
    cases.forEach(c -> c.steps().forEach(s -> tools.put(s.tool(), true)));
    return List.copyOf(tools.keySet());
  }
}
