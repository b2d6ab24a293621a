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

class UnityCatalogToolsTest {
  static FakeWorkspace fake;
  static ToolTesting tools;
  static final Caller ALICE = ToolTesting.caller("alice@example.com", "alice-token");

  @BeforeAll
  static void start() {
    fake = FakeWorkspace.start().addUser("alice-token", "alice@example.com").addUser("mason-token", "mason-sp");
    fake.statements.addWarehouse("wh-1", "Shared", "RUNNING", "admin@example.com");
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
  void aSchemaCreatedThroughUnityCatalogHoldsTablesMadeWithSqlAndIsTracked() throws Exception {
    JsonNode created = ToolTesting.json(tools.ok(ALICE, "manage_uc_objects",
        "{\"action\": \"create\", \"object_type\": \"schema\", \"catalog_name\": \"main\", \"name\": \"finance\", \"comment\": \"money\"}"));
    assertThat(created.path("created").asText()).isEqualTo("main.finance");
    assertThat(created.path("owner").asText()).isEqualTo("alice@example.com");
    tools.ok(ALICE, "execute_sql", "{\"sql_query\": \"CREATE TABLE main.finance.ledger (id bigint, note text)\"}");

    JsonNode tables = ToolTesting.json(tools.ok(ALICE, "manage_uc_objects",
        "{\"action\": \"list\", \"object_type\": \"table\", \"catalog_name\": \"main\", \"schema_name\": \"finance\"}"));
    assertThat(tables.path("tables").findValuesAsText("full_name")).containsExactly("main.finance.ledger");
    JsonNode table = ToolTesting.json(tools.ok(ALICE, "manage_uc_objects",
        "{\"action\": \"get\", \"object_type\": \"table\", \"full_name\": \"main.finance.ledger\"}"));
    assertThat(table.path("columns").findValuesAsText("type_text")).containsExactly("bigint", "string");
    JsonNode schemas = ToolTesting.json(tools.ok(ALICE, "manage_uc_objects", "{\"action\": \"list\", \"object_type\": \"schema\", \"catalog_name\": \"main\"}"));
    assertThat(schemas.path("schemas").findValuesAsText("full_name")).contains("main.default", "main.finance");
    assertThat(Files.readString(tools.projectFolder.resolve(".mason/resources.json"))).contains("main.finance");

    ToolResult notEmpty = tools.call(ALICE, "manage_uc_objects", "{\"action\": \"delete\", \"object_type\": \"schema\", \"full_name\": \"main.finance\"}");
    assertThat(notEmpty.isError()).isTrue();
    assertThat(notEmpty.content()).contains("SCHEMA_NOT_EMPTY");
    tools.ok(ALICE, "manage_uc_objects", "{\"action\": \"delete\", \"object_type\": \"schema\", \"full_name\": \"main.finance\", \"force\": true}");
    assertThat(Files.readString(tools.projectFolder.resolve(".mason/resources.json"))).doesNotContain("main.finance");
    assertThat(fake.requests()).allMatch(r -> "alice-token".equals(r.token()));
  }

  @Test
  void catalogsAndVolumesAreCreatedUpdatedListedAndDeleted() {
    tools.ok(ALICE, "manage_uc_objects", "{\"action\": \"create\", \"object_type\": \"catalog\", \"name\": \"sandbox\"}");
    tools.ok(ALICE, "manage_uc_objects", "{\"action\": \"create\", \"object_type\": \"schema\", \"catalog_name\": \"sandbox\", \"name\": \"s\"}");
    JsonNode volume = ToolTesting.json(tools.ok(ALICE, "manage_uc_objects",
        "{\"action\": \"create\", \"object_type\": \"volume\", \"catalog_name\": \"sandbox\", \"schema_name\": \"s\", \"name\": \"files\"}"));
    assertThat(volume.path("path").asText()).isEqualTo("/Volumes/sandbox/s/files");
    JsonNode updated = ToolTesting.json(tools.ok(ALICE, "manage_uc_objects",
        "{\"action\": \"update\", \"object_type\": \"catalog\", \"full_name\": \"sandbox\", \"comment\": \"play area\"}"));
    assertThat(updated.path("comment").asText()).isEqualTo("play area");
    JsonNode catalogs = ToolTesting.json(tools.ok(ALICE, "manage_uc_objects", "{\"action\": \"list\", \"object_type\": \"catalog\"}"));
    assertThat(catalogs.path("catalogs").findValuesAsText("full_name")).contains("main", "sandbox");
    JsonNode volumes = ToolTesting.json(tools.ok(ALICE, "manage_uc_objects",
        "{\"action\": \"list\", \"object_type\": \"volume\", \"catalog_name\": \"sandbox\", \"schema_name\": \"s\"}"));
    assertThat(volumes.path("volumes").get(0).path("volume_type").asText()).isEqualTo("MANAGED");
    tools.ok(ALICE, "manage_uc_objects", "{\"action\": \"delete\", \"object_type\": \"volume\", \"full_name\": \"sandbox.s.files\"}");
    ToolResult gone = tools.call(ALICE, "manage_uc_objects", "{\"action\": \"get\", \"object_type\": \"volume\", \"full_name\": \"sandbox.s.files\"}");
    assertThat(gone.content()).startsWith("VOLUME_DOES_NOT_EXIST (HTTP 404)");

    fake.catalog.addFunction("main", "default", "to_cents", "INT");
    JsonNode functions = ToolTesting.json(tools.ok(ALICE, "manage_uc_objects",
        "{\"action\": \"list\", \"object_type\": \"function\", \"catalog_name\": \"main\", \"schema_name\": \"default\"}"));
    assertThat(functions.path("functions").findValuesAsText("full_name")).containsExactly("main.default.to_cents");
    ToolResult createTable = tools.call(ALICE, "manage_uc_objects",
        "{\"action\": \"create\", \"object_type\": \"table\", \"catalog_name\": \"main\", \"schema_name\": \"default\", \"name\": \"t\"}");
    assertThat(createTable.content()).contains("execute_sql");
  }

  @Test
  void grantsAreMadeReadWithInheritanceAndRevoked() {
    tools.ok(ALICE, "manage_uc_grants", """
        {"action": "grant", "securable_type": "catalog", "full_name": "main", "principal": "data-team", "privileges": ["use catalog"]}""");
    tools.ok(ALICE, "manage_uc_grants", """
        {"action": "grant", "securable_type": "schema", "full_name": "main.default", "principal": "data-team", "privileges": ["USE_SCHEMA", "SELECT"]}""");
    JsonNode direct = ToolTesting.json(tools.ok(ALICE, "manage_uc_grants", "{\"action\": \"get\", \"securable_type\": \"schema\", \"full_name\": \"main.default\"}"));
    assertThat(direct.path("privilege_assignments").get(0).path("privileges").findValuesAsText("")).isEmpty();
    assertThat(direct.path("privilege_assignments").get(0).path("privileges").toString()).contains("SELECT", "USE_SCHEMA").doesNotContain("USE_CATALOG");

    JsonNode effective = ToolTesting.json(tools.ok(ALICE, "manage_uc_grants",
        "{\"action\": \"get_effective\", \"securable_type\": \"schema\", \"full_name\": \"main.default\", \"principal\": \"data-team\"}"));
    assertThat(effective.path("privilege_assignments").get(0).path("privileges").toString())
        .contains("USE_CATALOG (inherited from catalog main)").contains("SELECT");

    tools.ok(ALICE, "manage_uc_grants", """
        {"action": "revoke", "securable_type": "schema", "full_name": "main.default", "principal": "data-team", "privileges": ["SELECT"]}""");
    JsonNode after = ToolTesting.json(tools.ok(ALICE, "manage_uc_grants", "{\"action\": \"get\", \"securable_type\": \"schema\", \"full_name\": \"main.default\"}"));
    assertThat(after.path("privilege_assignments").get(0).path("privileges").toString()).doesNotContain("SELECT").contains("USE_SCHEMA");
    JsonNode patch = fake.requests("/api/2.1/unity-catalog/permissions/schema/main.default").stream()
        .filter(r -> r.method().equals("PATCH")).findFirst().orElseThrow().json();
    assertThat(patch.path("changes").get(0).path("add").toString()).contains("USE_SCHEMA");
  }

  @Test
  void aMissingPrivilegeIsReportedAsTheUsersOwnWithoutSuggestingAccountWideGrants() {
    fake.deny("alice-token", "/api/2.1/unity-catalog/catalogs");
    ToolResult denied;
    try {
      denied = tools.call(ALICE, "manage_uc_objects", "{\"action\": \"create\", \"object_type\": \"catalog\", \"name\": \"nope\"}");
    } finally {
      fake.clearDenials();
    }
    assertThat(denied.isError()).isTrue();
    assertThat(denied.content()).startsWith("PERMISSION_DENIED (HTTP 403)")
        .contains("ran as you (alice@example.com)").contains("your own")
        .doesNotContainIgnoringCase("account users");
  }
}
