package dev.mason.databricks;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mason.testing.Api;
import dev.mason.testing.TestMason;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class DatabricksRoutesTest {
  static FakeWorkspace fake;
  static TestMason mason;

  @BeforeAll
  static void start() {
    fake = FakeWorkspace.start().addUser("alice-token", "alice@example.com").addUser("bob-token", "bob@example.com")
        .addUser("carol-token", "carol@example.com").addUser("mason-token", "mason-sp@example.com");
    fake.compute.addCluster("c-shared", "Shared", "RUNNING", "admin@example.com");
    fake.compute.addCluster("c-off", "Stopped", "TERMINATED", "alice@example.com");
    fake.compute.addCluster("c-bob", "Bob only", "RUNNING", "bob@example.com")
        .put("data_security_mode", "SINGLE_USER").put("single_user_name", "bob@example.com");
    fake.statements.addWarehouse("w-stopped", "Archive", "STOPPED", "alice@example.com");
    fake.statements.addWarehouse("w-run", "Team", "RUNNING", "carol@example.com");
    fake.statements.addWarehouse("w-shared", "Shared Endpoint", "RUNNING", "admin@example.com");
    fake.serving.addEndpoint("databricks-claude-sonnet-4-5", "llm/v1/chat", "system.ai.claude-sonnet-4-5");
    fake.serving.addEndpoint("databricks-gte-large", "llm/v1/embeddings", "system.ai.gte-large");
    fake.serving.addEndpoint("team-llama", "llm/v1/chat", "main.models.llama");
    mason = TestMason.start(Map.of("DATABRICKS_HOST", fake.url(), "DATABRICKS_TOKEN", "mason-token"));
  }

  @AfterAll
  static void stop() {
    mason.close();
    fake.close();
  }

  private static Api as(String user, String token) {
    return mason.as(user).withHeader("X-Forwarded-Access-Token", token);
  }

  @Test
  void clustersStartWithServerlessThenEveryOneTheCallerCanUseRunningFirstAndAreCachedPerUser() {
    fake.clearRequests();
    var response = as("alice@example.com", "alice-token").get("/api/clusters");
    assertThat(response.status()).isEqualTo(200);
    JsonNode list = response.json();
    assertThat(list.findValuesAsText("cluster_id")).containsExactly("__serverless__", "c-shared", "c-off");
    assertThat(list.get(2).path("state").asText()).as("a stopped cluster is listed too").isEqualTo("TERMINATED");
    assertThat(list.get(1).path("creator_user_name").asText()).isEqualTo("admin@example.com");
    assertThat(fake.requests("/api/2.1/clusters")).isNotEmpty().allMatch(r -> "alice-token".equals(r.token()));

    as("alice@example.com", "alice-token").get("/api/clusters");
    assertThat(fake.requests("/api/2.1/clusters")).as("the second read comes from the cache").hasSize(1);

    JsonNode bobs = as("bob@example.com", "bob-token").get("/api/clusters").json();
    assertThat(bobs.findValuesAsText("cluster_id")).containsExactly("__serverless__", "c-bob", "c-shared", "c-off");
    assertThat(fake.requests("/api/2.1/clusters").getLast().token()).isEqualTo("bob-token");
  }

  @Test
  void warehousesComeInTheOrderGetBestRanksThem() {
    JsonNode list = as("alice@example.com", "alice-token").get("/api/warehouses").json();
    assertThat(list.findValuesAsText("warehouse_id")).containsExactly("w-shared", "w-run", "w-stopped");
    JsonNode first = list.get(0);
    assertThat(first.path("warehouse_name").asText()).isEqualTo("Shared Endpoint");
    assertThat(first.path("is_serverless").asBoolean()).isTrue();
    assertThat(first.path("cluster_size").asText()).isEqualTo("2X-Small");
  }

  @Test
  void theModelPickerListsTheServingEndpointsThatChatAsTheCallerAndCachesThem() {
    fake.clearRequests();
    JsonNode list = as("alice@example.com", "alice-token").get("/api/serving-endpoints").json();
    assertThat(list.findValuesAsText("name")).containsExactly("databricks-claude-sonnet-4-5", "team-llama");
    assertThat(list.get(0).path("ready").asBoolean()).isTrue();
    assertThat(list.get(0).path("task").asText()).isEqualTo("llm/v1/chat");
    assertThat(fake.requests("/api/2.0/serving-endpoints")).hasSize(1).allMatch(r -> "alice-token".equals(r.token()));

    as("alice@example.com", "alice-token").get("/api/serving-endpoints");
    assertThat(fake.requests("/api/2.0/serving-endpoints")).as("the second read comes from the cache").hasSize(1);
  }

  @Test
  void atMostFiftyClustersAreListed() {
    for (int i = 0; i < 60; i++) {
      fake.compute.addCluster("c-many-" + i, "Many " + i, "RUNNING", "admin@example.com");
    }
    try {
      var response = as("carol@example.com", "carol-token").get("/api/clusters");
      assertThat(response.status()).isEqualTo(200);
      assertThat(response.json()).hasSize(1 + DatabricksRoutes.MAX_ENTRIES);
    } finally {
      for (int i = 0; i < 60; i++) {
        fake.compute.removeCluster("c-many-" + i);
      }
    }
  }

  @Test
  void aWorkspaceRefusalIsPassedOnAsAClearError() {
    fake.deny("bob-token", "/api/2.0/sql/warehouses");
    try {
      var response = as("bob@example.com", "bob-token").get("/api/warehouses");
      assertThat(response.status()).isEqualTo(403);
      assertThat(response.json().path("error").asText()).contains("PERMISSION_DENIED");
    } finally {
      fake.clearDenials();
    }
  }

  @Test
  void withoutAWorkspaceBothRoutesSayWhatToSet() {
    try (TestMason bare = TestMason.start()) {
      for (String path : new String[] {"/api/clusters", "/api/warehouses"}) {
        var response = bare.as("alice@example.com").get(path);
        assertThat(response.status()).isEqualTo(400);
        assertThat(response.json().path("error").asText()).isEqualTo("no workspace configured: set DATABRICKS_HOST and DATABRICKS_TOKEN");
      }
      assertThat(bare.app().databricksTools().available()).isFalse();
    }
  }
}
