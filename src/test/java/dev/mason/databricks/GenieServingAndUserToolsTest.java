package dev.mason.databricks;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mason.agent.tool.ToolResult;
import dev.mason.identity.Caller;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class GenieServingAndUserToolsTest {
  static FakeWorkspace fake;
  static ToolTesting tools;
  static final Caller ALICE = ToolTesting.caller("alice@example.com", "alice-token");
  static final Caller BOB = ToolTesting.caller("bob@example.com", "bob-token");

  @BeforeAll
  static void start() {
    fake = FakeWorkspace.start().addUser("alice-token", "alice@example.com").addUser("bob-token", "bob@example.com")
        .addUser("mason-token", "mason-sp@example.com");
    fake.statements.sqlEngine().setUp("CREATE TABLE \"default\".trips (id int, city text)",
        "INSERT INTO \"default\".trips VALUES (1, 'Oslo'), (2, 'Lima'), (3, 'Oslo')");
    fake.genie.addSpace("space-1", "SELECT city, count(*) AS trips FROM main.default.trips GROUP BY city ORDER BY city");
    fake.serving.addEndpoint("databricks-claude-sonnet", "llm/v1/chat", "system.ai.claude_sonnet");
    fake.serving.addEndpoint("churn-model", "", "main.ml.churn");
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
  void theCurrentUserIsTheCallerAndWithoutATokenItIsMasonsOwnIdentity() {
    JsonNode alice = ToolTesting.json(tools.ok(ALICE, "get_current_user", "{}"));
    assertThat(alice.path("user_name").asText()).isEqualTo("alice@example.com");
    assertThat(alice.path("home_folder").asText()).isEqualTo("/Workspace/Users/alice@example.com");
    assertThat(alice.path("credentials").asText()).contains("on-behalf-of");

    JsonNode local = ToolTesting.json(tools.ok(new Caller("local", null, Caller.Source.LOCAL), "get_current_user", "{}"));
    assertThat(local.path("user_name").asText()).isEqualTo("mason-sp@example.com");
    assertThat(fake.requests().getLast().token()).isEqualTo("mason-token");
  }

  @Test
  void genieAnswersWithItsSqlRowsAndTextAndAFollowUpStaysInTheConversation() {
    JsonNode answer = ToolTesting.json(tools.ok(ALICE, "ask_genie", "{\"space_id\": \"space-1\", \"question\": \"Trips per city?\"}"));
    assertThat(answer.path("status").asText()).isEqualTo("COMPLETED");
    assertThat(answer.path("sql").asText()).startsWith("SELECT city");
    assertThat(answer.path("columns").toString()).isEqualTo("[\"city\",\"trips\"]");
    assertThat(answer.path("data").toString()).isEqualTo("[[\"Lima\",\"1\"],[\"Oslo\",\"2\"]]");
    assertThat(answer.path("row_count").asInt()).isEqualTo(2);
    assertThat(answer.path("text_response").asText()).contains("Trips per city?");

    String conversation = answer.path("conversation_id").asText();
    JsonNode followUp = ToolTesting.json(tools.ok(ALICE, "ask_genie",
        "{\"space_id\": \"space-1\", \"question\": \"And in Oslo?\", \"conversation_id\": \"" + conversation + "\"}"));
    assertThat(followUp.path("conversation_id").asText()).isEqualTo(conversation);
    assertThat(fake.requests("/api/2.0/genie/spaces/space-1/start-conversation")).hasSize(1);
    assertThat(fake.requests()).allMatch(r -> "alice-token".equals(r.token()));

    ToolResult bobs = tools.call(BOB, "ask_genie", "{\"space_id\": \"space-1\", \"question\": \"x\", \"conversation_id\": \"" + conversation + "\"}");
    assertThat(bobs.isError()).as("another user's conversation is not found").isTrue();
  }

  @Test
  void servingEndpointsAreListedDescribedAndQueried() {
    JsonNode list = ToolTesting.json(tools.ok(ALICE, "manage_serving_endpoint", "{\"action\": \"list\"}"));
    assertThat(list.path("endpoints").findValuesAsText("name")).containsExactly("churn-model", "databricks-claude-sonnet");
    JsonNode one = ToolTesting.json(tools.ok(ALICE, "manage_serving_endpoint", "{\"action\": \"get\", \"name\": \"databricks-claude-sonnet\"}"));
    assertThat(one.path("ready").asText()).isEqualTo("READY");
    assertThat(one.path("serves").get(0).asText()).isEqualTo("system.ai.claude_sonnet");

    JsonNode chat = ToolTesting.json(tools.ok(ALICE, "manage_serving_endpoint", """
        {"action": "query", "name": "databricks-claude-sonnet", "messages": [{"role": "user", "content": "hi"}], "max_tokens": 20}"""));
    assertThat(chat.path("choices").get(0).path("message").path("content").asText()).isEqualTo("echo: hi");
    assertThat(fake.requests("/serving-endpoints/databricks-claude-sonnet/invocations").getFirst().json().path("max_tokens").asInt()).isEqualTo(20);

    JsonNode predictions = ToolTesting.json(tools.ok(ALICE, "manage_serving_endpoint",
        "{\"action\": \"query\", \"name\": \"churn-model\", \"request\": {\"dataframe_records\": [{\"a\": 1}, {\"a\": 2}]}}"));
    assertThat(predictions.path("predictions")).hasSize(2);
    ToolResult missing = tools.call(ALICE, "manage_serving_endpoint", "{\"action\": \"get\", \"name\": \"nope\"}");
    assertThat(missing.content()).isEqualTo("RESOURCE_DOES_NOT_EXIST (HTTP 404): Endpoint with name 'nope' does not exist.");
    assertThat(fake.requests()).allMatch(r -> "alice-token".equals(r.token()));
  }
}
