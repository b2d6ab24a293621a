package dev.mason.databricks;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mason.agent.tool.ToolResult;
import dev.mason.identity.Caller;
import dev.mason.testing.Eventually;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class SqlToolsTest {
  static FakeWorkspace fake;
  static ToolTesting tools;
  static final Caller ALICE = ToolTesting.caller("alice@example.com", "alice-token");

  @BeforeAll
  static void start() {
    fake = FakeWorkspace.start().addUser("alice-token", "alice@example.com").addUser("mason-token", "mason-sp");
    fake.statements.addWarehouse("wh-1", "Analytics", "RUNNING", "bob@example.com");
    tools = new ToolTesting(fake, ToolTesting.fastPolls());
    fake.statements.sqlEngine().setUp(
        "CREATE SCHEMA sales",
        "CREATE TABLE sales.orders (id int, customer text, amount numeric(10,2), paid boolean)",
        "INSERT INTO sales.orders VALUES (1, 'ada', 10.50, true), (2, 'bob', 20.00, false), (3, 'cy', 5.25, true), "
            + "(4, 'di', NULL, false), (5, 'ed|pipe', 7.00, true)");
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
  void aQueryReadsEveryResultChunkAndAnswersAMarkdownTableAsTheCaller() {
    fake.statements.chunkSize = 2;
    String out = tools.ok(ALICE, "execute_sql", """
        {"sql_query": "SELECT id, customer, amount FROM main.sales.orders ORDER BY id", "warehouse_id": "wh-1"}""");

    assertThat(out).startsWith("| id | customer | amount |\n|---|---|---|\n| 1 | ada | 10.50 |")
        .contains("| 4 | di | NULL |").contains("| 5 | ed\\|pipe | 7.00 |").endsWith("(5 rows)");
    assertThat(fake.requests("/api/2.0/sql/statements").stream().map(FakeWorkspace.Received::path))
        .anyMatch(p -> p.endsWith("/result/chunks/1")).anyMatch(p -> p.endsWith("/result/chunks/2"));
    JsonNode submitted = fake.requests("/api/2.0/sql/statements").getFirst().json();
    assertThat(submitted.path("wait_timeout").asText()).isEqualTo("0s");
    long polls = fake.requests("/api/2.0/sql/statements/").stream().filter(r -> r.method().equals("GET") && !r.path().contains("/result/")).count();
    assertThat(polls).as("PENDING, RUNNING, SUCCEEDED take several polls").isGreaterThanOrEqualTo(3);
    assertThat(fake.requests()).isNotEmpty().allMatch(r -> "alice-token".equals(r.token()));
  }

  @Test
  void rowsBeyondMaxRowsAreCutWithAnExplicitTruncatedNote() {
    String out = tools.ok(ALICE, "execute_sql", """
        {"sql_query": "SELECT id FROM main.sales.orders ORDER BY id", "warehouse_id": "wh-1", "max_rows": 3}""");
    assertThat(out).contains("| 3 |").doesNotContain("| 4 |").contains("truncated: showing the first 3 rows");
  }

  @Test
  void jsonOutputGivesObjectsKeyedByColumn() {
    JsonNode out = ToolTesting.json(tools.ok(ALICE, "execute_sql", """
        {"sql_query": "SELECT id, paid FROM sales.orders WHERE id <= 2 ORDER BY id", "warehouse_id": "wh-1",
         "catalog": "main", "output_format": "json"}"""));
    assertThat(out.path("row_count").asInt()).isEqualTo(2);
    assertThat(out.path("truncated").asBoolean()).isFalse();
    assertThat(out.path("rows").get(0).path("id").isIntegralNumber()).isTrue();
    assertThat(out.path("rows").get(0).path("id").asLong()).isEqualTo(1);
    assertThat(out.path("rows").get(1).path("paid").isBoolean()).isTrue();
    assertThat(out.path("rows").get(1).path("paid").asBoolean()).isFalse();
    assertThat(out.path("columns").get(0).path("type").asText()).isEqualTo("INT");
  }

  @Test
  void queryTagsAndTheDefaultSchemaGoWithTheStatement() {
    tools.ok(ALICE, "execute_sql", """
        {"sql_query": "SELECT count(*) AS n FROM orders", "warehouse_id": "wh-1", "catalog": "main", "schema": "sales",
         "query_tags": {"team": "finance"}}""");
    JsonNode submitted = fake.requests("/api/2.0/sql/statements").getFirst().json();
    assertThat(submitted.path("schema").asText()).isEqualTo("sales");
    assertThat(submitted.path("query_tags").findValuesAsText("key")).contains("team", "client");
    assertThat(submitted.path("query_tags").findValuesAsText("value")).contains("finance", "mason");
  }

  @Test
  void aStatementStillRunningAtTheTimeoutIsCancelledAndTheAgentIsToldItMayHaveHadEffects() {
    ToolResult result = tools.call(ALICE, "execute_sql", """
        {"sql_query": "SELECT pg_sleep(30)", "warehouse_id": "wh-1", "timeout": 1}""");
    assertThat(result.isError()).isTrue();
    assertThat(result.content()).startsWith("TIMEOUT_ERROR").contains("may already have had effects").contains("check before");
    assertThat(fake.requests()).anyMatch(r -> r.method().equals("POST") && r.path().endsWith("/cancel"));
    Eventually.await(Duration.ofSeconds(10), "the PostgreSQL statement to be cancelled", () -> !fake.statements.anyRunning());
  }

  @Test
  void aMissingTableIsReportedWithItsCategoryAndASuggestion() {
    ToolResult result = tools.call(ALICE, "execute_sql", """
        {"sql_query": "SELECT * FROM main.sales.nope", "warehouse_id": "wh-1"}""");
    assertThat(result.isError()).isTrue();
    assertThat(result.content()).contains("MISSING_TABLE").contains("TABLE_OR_VIEW_NOT_FOUND").contains("Suggestion:");
  }

  @Test
  void withoutAWarehouseIdTheBestWarehouseRuns() {
    fake.statements.addWarehouse("wh-shared", "Shared Endpoint", "RUNNING", "admin@example.com");
    try {
      tools.ok(ALICE, "execute_sql", """
          {"sql_query": "SELECT 1 AS one"}""");
      assertThat(fake.requests("/api/2.0/sql/statements").getFirst().json().path("warehouse_id").asText()).isEqualTo("wh-shared");
    } finally {
      fake.statements.removeWarehouse("wh-shared");
    }
  }

  @Test
  void aScriptIsSplitOnlyAtRealSemicolonsAndEachStatementIsReported() {
    JsonNode out = ToolTesting.json(tools.ok(ALICE, "execute_sql_multi", """
        {"warehouse_id": "wh-1", "sql_content": "-- setup; not a statement\\nCREATE TABLE main.sales.notes (id int, body text);\\nINSERT INTO main.sales.notes VALUES (1, 'a;b'), (2, 'it''s; fine') /* ; */;\\nSELECT body FROM main.sales.notes ORDER BY id;"}"""));
    assertThat(out.path("statements").asInt()).isEqualTo(3);
    assertThat(out.path("succeeded").asInt()).isEqualTo(3);
    JsonNode select = out.path("results").get(2);
    assertThat(select.path("status").asText()).isEqualTo("SUCCEEDED");
    assertThat(select.path("sample_rows").findValuesAsText("body")).containsExactly("a;b", "it's; fine");
    assertThat(select.path("elapsed_ms").isNumber()).isTrue();
  }

  @Test
  void aFailedStatementInAScriptIsCategorisedAndTheRestAreSkipped() {
    JsonNode out = ToolTesting.json(tools.ok(ALICE, "execute_sql_multi", """
        {"warehouse_id": "wh-1", "sql_content": "SELECT missing_column FROM main.sales.orders; SELEC 1; SELECT 2"}"""));
    JsonNode results = out.path("results");
    assertThat(results.get(0).path("status").asText()).isEqualTo("FAILED");
    assertThat(results.get(0).path("error_category").asText()).isEqualTo("MISSING_COLUMN");
    assertThat(results.get(1).path("status").asText()).isEqualTo("SKIPPED");
    assertThat(out.path("skipped").asInt()).isEqualTo(2);

    JsonNode all = ToolTesting.json(tools.ok(ALICE, "execute_sql_multi", """
        {"warehouse_id": "wh-1", "stop_on_error": false, "sql_content": "SELEC 1; SELECT 2 AS two"}"""));
    assertThat(all.path("results").get(0).path("error_category").asText()).isEqualTo("SYNTAX_ERROR");
    assertThat(all.path("results").get(1).path("status").asText()).isEqualTo("SUCCEEDED");
  }

  @Test
  void independentStatementsOfAScriptRunAtTheSameTimeAndDependentOnesAfterThem() {
    JsonNode out = ToolTesting.json(tools.ok(ALICE, "execute_sql_multi", """
        {"warehouse_id": "wh-1", "max_workers": 2, "sql_content": "CREATE TABLE main.sales.a AS SELECT 1 AS n FROM pg_sleep(0.5); CREATE TABLE main.sales.b AS SELECT 2 AS n FROM pg_sleep(0.5); SELECT (SELECT n FROM main.sales.a) + (SELECT n FROM main.sales.b) AS total"}"""));
    JsonNode results = out.path("results");
    assertThat(out.path("groups").asInt()).isEqualTo(2);
    assertThat(results.findValuesAsText("group")).containsExactly("1", "1", "2");
    assertThat(results.get(2).path("sample_rows").findValuesAsText("total")).containsExactly("3");

    // Both CREATEs were submitted before the first of them was seen to finish: they ran together.
    var requests = fake.requests("/api/2.0/sql/statements");
    var posts = requests.stream().filter(r -> r.method().equals("POST") && r.path().equals("/api/2.0/sql/statements")).toList();
    String first = results.get(0).path("statement_id").asText();
    var firstPolls = requests.stream().filter(r -> r.method().equals("GET") && r.path().endsWith("/" + first)).toList();
    assertThat(posts).hasSize(3);
    assertThat(posts.get(1).at()).as("the second CREATE went out while the first was still being polled")
        .isBefore(firstPolls.getLast().at());
  }

  @Test
  void warehousesAreRankedRunningSharedFirstThenRunningThenStoppedWithTheCallersOwnFirst() {
    fake.statements.addWarehouse("wh-stopped-own", "Alice's", "STOPPED", "alice@example.com");
    fake.statements.addWarehouse("wh-stopped", "Archive", "STOPPED", "bob@example.com");
    fake.statements.addWarehouse("wh-run-own", "Zeta (Alice)", "RUNNING", "alice@example.com");
    fake.statements.addWarehouse("wh-shared", "Shared Endpoint", "RUNNING", "admin@example.com");
    fake.statements.addWarehouse("wh-gone", "Old", "DELETED", "alice@example.com");
    try {
      JsonNode list = ToolTesting.json(tools.ok(ALICE, "manage_warehouse", "{\"action\": \"list\"}"));
      assertThat(list.path("warehouses").findValuesAsText("warehouse_id"))
          .containsExactly("wh-shared", "wh-run-own", "wh-1", "wh-stopped-own", "wh-stopped");
      JsonNode best = ToolTesting.json(tools.ok(ALICE, "manage_warehouse", "{\"action\": \"get_best\"}"));
      assertThat(best.path("warehouse_id").asText()).isEqualTo("wh-shared");
      assertThat(best.path("shared").asBoolean()).isTrue();
    } finally {
      for (String id : new String[] {"wh-stopped-own", "wh-stopped", "wh-run-own", "wh-shared", "wh-gone"}) {
        fake.statements.removeWarehouse(id);
      }
    }
  }

  @Test
  void tableStatsGiveColumnsFromUnityCatalogAndCountsFromTheWarehouse() {
    JsonNode simple = ToolTesting.json(tools.ok(ALICE, "get_table_stats_and_schema", """
        {"catalog": "main", "schema": "sales", "table_names": ["ord*"], "warehouse_id": "wh-1"}"""));
    JsonNode orders = simple.path("tables").get(0);
    assertThat(orders.path("full_name").asText()).isEqualTo("main.sales.orders");
    assertThat(orders.path("columns").findValuesAsText("name")).containsExactly("id", "customer", "amount", "paid");
    assertThat(orders.path("row_count").asLong()).isEqualTo(5);

    JsonNode detailed = ToolTesting.json(tools.ok(ALICE, "get_table_stats_and_schema", """
        {"catalog": "main", "schema": "sales", "table_names": ["orders"], "table_stat_level": "DETAILED", "warehouse_id": "wh-1"}"""));
    JsonNode amount = detailed.path("tables").get(0).path("columns").get(2);
    assertThat(amount.path("null_count").asLong()).isEqualTo(1);
    assertThat(amount.path("min").asDouble()).isEqualTo(5.25);
    assertThat(amount.path("max").asDouble()).isEqualTo(20.0);

    JsonNode schemaOnly = ToolTesting.json(tools.ok(ALICE, "get_table_stats_and_schema", """
        {"catalog": "main", "schema": "sales", "table_names": ["orders"], "table_stat_level": "NONE"}"""));
    assertThat(schemaOnly.path("tables").get(0).has("row_count")).isFalse();
    assertThat(fake.requests()).allMatch(r -> "alice-token".equals(r.token()));
  }
}
