package dev.mason.databricks;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mason.agent.tool.ToolResult;
import dev.mason.identity.Caller;
import java.nio.file.Files;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class OperationsAndResourcesTest {
  static FakeWorkspace fake;
  /** Hands calls to the background after 1 s. */
  static ToolTesting quick;
  static ToolTesting tools;
  static final Caller ALICE = ToolTesting.caller("alice@example.com", "alice-token");
  static final Caller BOB = ToolTesting.caller("bob@example.com", "bob-token");

  @BeforeAll
  static void start() {
    fake = FakeWorkspace.start().addUser("alice-token", "alice@example.com").addUser("bob-token", "bob@example.com")
        .addUser("mason-token", "mason-sp");
    fake.statements.addWarehouse("wh-1", "Shared", "RUNNING", "admin@example.com");
    fake.statements.sqlEngine().setUp();
    quick = new ToolTesting(fake, new ToolSettings(Duration.ofSeconds(1), Duration.ofMillis(20)));
    tools = new ToolTesting(fake, ToolTesting.fastPolls());
  }

  @AfterAll
  static void stop() {
    fake.close();
  }

  @Test
  void aCallStillRunningAfterTheWaitAnswersAsyncAndItsResultIsCollectedByItsOwnerOnly() {
    JsonNode async = ToolTesting.json(quick.ok(ALICE, "execute_sql", "{\"sql_query\": \"SELECT 'done' AS state FROM pg_sleep(3)\"}"));
    assertThat(async.path("status").asText()).isEqualTo("async");
    String id = async.path("operation_id").asText();
    assertThat(async.path("message").asText()).contains("check_operation_status");

    JsonNode running = ToolTesting.json(quick.ok(ALICE, "list_operations", "{\"status\": \"running\"}"));
    assertThat(running.path("operations").findValuesAsText("operation_id")).contains(id);

    ToolResult bobs = quick.call(BOB, "check_operation_status", "{\"operation_id\": \"" + id + "\"}");
    assertThat(bobs.isError()).isTrue();
    assertThat(bobs.content()).startsWith("no operation " + id);
    assertThat(ToolTesting.json(quick.ok(BOB, "list_operations", "{}")).path("count").asInt()).isZero();

    JsonNode done = ToolTesting.json(quick.ok(ALICE, "check_operation_status", "{\"operation_id\": \"" + id + "\", \"wait_seconds\": 20}"));
    assertThat(done.path("status").asText()).isEqualTo("completed");
    assertThat(done.path("tool").asText()).isEqualTo("execute_sql");
    assertThat(done.path("result").asText()).contains("| done |");
    assertThat(ToolTesting.json(quick.ok(ALICE, "list_operations", "{\"status\": \"completed\"}")).path("operations")
        .findValuesAsText("operation_id")).contains(id);
  }

  @Test
  void anEndedOperationIsKeptForAnHourAndThenForgotten() {
    var clock = new MovableClock();
    var timed = new ToolTesting(fake, new ToolSettings(Duration.ofMillis(300), Duration.ofMillis(20)), clock);
    String id = ToolTesting.json(timed.ok(ALICE, "execute_sql", "{\"sql_query\": \"SELECT 1 AS one FROM pg_sleep(1)\"}"))
        .path("operation_id").asText();
    assertThat(ToolTesting.json(timed.ok(ALICE, "check_operation_status", "{\"operation_id\": \"" + id + "\", \"wait_seconds\": 20}"))
        .path("status").asText()).isEqualTo("completed");
    clock.advance(Duration.ofMinutes(59));
    assertThat(timed.call(ALICE, "check_operation_status", "{\"operation_id\": \"" + id + "\"}").isError()).isFalse();
    clock.advance(Duration.ofMinutes(2));
    assertThat(timed.call(ALICE, "check_operation_status", "{\"operation_id\": \"" + id + "\"}").content()).startsWith("no operation");
  }

  /** A clock the test moves forward. */
  static final class MovableClock extends Clock {
    private volatile Instant now = Instant.now();

    void advance(Duration duration) {
      now = now.plus(duration);
    }

    @Override
    public Instant instant() {
      return now;
    }

    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      return this;
    }
  }

  @Test
  void aFastCallAnswersDirectly() {
    quick.ok(ALICE, "get_current_user", "{}");
    assertThat(quick.ok(ALICE, "execute_sql", "{\"sql_query\": \"SELECT 1 AS one\"}")).contains("| 1 |");
  }

  @Test
  void trackedResourcesAreListedAndDeletedWithOrWithoutTheWorkspaceCopy() throws Exception {
    long keep = ToolTesting.json(tools.ok(ALICE, "manage_jobs", "{\"action\": \"create\", \"name\": \"keep me\", \"notebook_path\": \"/n\"}"))
        .path("job_id").asLong();
    long drop = ToolTesting.json(tools.ok(ALICE, "manage_jobs", "{\"action\": \"create\", \"name\": \"drop me\", \"notebook_path\": \"/n\"}"))
        .path("job_id").asLong();
    tools.ok(ALICE, "manage_uc_objects", "{\"action\": \"create\", \"object_type\": \"catalog\", \"name\": \"scratch\"}");

    JsonNode jobs = ToolTesting.json(tools.ok(ALICE, "list_tracked_resources", "{\"type\": \"job\"}"));
    assertThat(jobs.path("resources").findValuesAsText("id")).containsExactly(Long.toString(keep), Long.toString(drop));
    assertThat(jobs.path("resources").get(0).path("created_by").asText()).isEqualTo("alice@example.com");
    assertThat(jobs.path("resources").get(0).path("url").asText()).isEqualTo(fake.url() + "/jobs/" + keep);
    assertThat(ToolTesting.json(tools.ok(ALICE, "list_tracked_resources", "{}")).path("count").asInt()).isEqualTo(3);

    JsonNode forgotten = ToolTesting.json(tools.ok(ALICE, "delete_tracked_resource", "{\"type\": \"job\", \"id\": \"" + keep + "\"}"));
    assertThat(forgotten.path("workspace").asText()).isEqualTo("kept in the workspace");
    assertThat(fake.jobs.hasJob(keep)).isTrue();

    JsonNode deleted = ToolTesting.json(tools.ok(ALICE, "delete_tracked_resource",
        "{\"type\": \"job\", \"id\": \"" + drop + "\", \"delete_from_databricks\": true}"));
    assertThat(deleted.path("workspace").asText()).isEqualTo("deleted from the workspace");
    assertThat(fake.jobs.hasJob(drop)).isFalse();

    fake.catalog.dropCatalog("scratch");
    JsonNode gone = ToolTesting.json(tools.ok(ALICE, "delete_tracked_resource",
        "{\"type\": \"catalog\", \"id\": \"scratch\", \"delete_from_databricks\": true}"));
    assertThat(gone.path("workspace").asText()).isEqualTo("already gone from the workspace");

    assertThat(ToolTesting.json(tools.ok(ALICE, "list_tracked_resources", "{}")).path("count").asInt()).isZero();
    assertThat(Files.exists(tools.projectFolder.resolve(".mason/resources.json"))).isTrue();
    ToolResult unknown = tools.call(ALICE, "delete_tracked_resource", "{\"type\": \"job\", \"id\": \"999\"}");
    assertThat(unknown.content()).contains("no tracked job with id 999");
  }
}
