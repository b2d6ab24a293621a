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
  }

  /** What the cases expect beyond {@link ToolScenarios#setUp}: a folder of landing files. */
  static void setUp(FakeWorkspace fake) {
    fake.volumes.put("/Volumes/main/sales/landing/orders/2024-06-01.csv", "id,customer,amount\n1,ada,10.50\n2,bob,20.00\n3,cy,5.25\n");
    fake.volumes.put("/Volumes/main/sales/landing/orders/2024-06-02.csv", "id,customer,amount\n4,di,7.00\n");
    fake.volumes.put("/Volumes/main/sales/landing/orders/archive/old.parquet", "PAR1");
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
            a -> assertThat(a.json().path("num_indexes").asInt()).isEqualTo(1)));
  }

  /** Every tool the cases call. */
  List<String> tools() {
    Map<String, Boolean> tools = new LinkedHashMap<>();
    cases.forEach(c -> c.steps().forEach(s -> tools.put(s.tool(), true)));
    return List.copyOf(tools.keySet());
  }
}
