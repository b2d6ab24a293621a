package dev.mason.databricks;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mason.agent.tool.ToolResult;
import dev.mason.identity.Caller;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Each call acts as its own caller, whoever else is calling at the same moment. */
class OnBehalfOfTest {
  static FakeWorkspace fake;
  static ToolTesting tools;
  static final Caller ALICE = ToolTesting.caller("alice@example.com", "alice-token");
  static final Caller BOB = ToolTesting.caller("bob@example.com", "bob-token");

  @BeforeAll
  static void start() {
    fake = FakeWorkspace.start().addUser("alice-token", "alice@example.com").addUser("bob-token", "bob@example.com")
        .addUser("mason-token", "mason-sp@example.com");
    fake.statements.addWarehouse("wh-1", "Shared", "RUNNING", "admin@example.com");
    fake.statements.sqlEngine().setUp();
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
  void twoCallersAtTheSameTimeNeverUseEachOthersToken() throws Exception {
    int rounds = 12;
    CountDownLatch go = new CountDownLatch(1);
    List<Future<String>> calls = new ArrayList<>();
    try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
      for (int i = 0; i < rounds; i++) {
        for (Caller caller : List.of(ALICE, BOB)) {
          String who = caller.user().substring(0, caller.user().indexOf('@'));
          calls.add(pool.submit(() -> {
            go.await();
            return who + " " + tools.ok(caller, "get_current_user", "{}");
          }));
          calls.add(pool.submit(() -> {
            go.await();
            return who + " " + tools.ok(caller, "execute_sql", "{\"sql_query\": \"SELECT '" + who + "' AS caller /* " + who + " */\"}");
          }));
        }
      }
      go.countDown();
      for (Future<String> call : calls) {
        String result = call.get();
        String who = result.substring(0, result.indexOf(' '));
        assertThat(result).as("every answer is the caller's own").satisfiesAnyOf(
            r -> assertThat(r).contains("\"user_name\":\"" + who + "@example.com\""),
            r -> assertThat(r).contains("| " + who + " |"));
      }
    }
    List<FakeWorkspace.Received> received = fake.requests();
    assertThat(received).hasSizeGreaterThan(rounds * 8);
    for (FakeWorkspace.Received request : received) {
      assertThat(request.token()).isIn("alice-token", "bob-token");
      if (request.method().equals("POST") && request.path().equals("/api/2.0/sql/statements")) {
        String statement = request.json().path("statement").asText();
        String expected = statement.contains("/* alice */") ? "alice-token" : "bob-token";
        assertThat(request.token()).as(statement).isEqualTo(expected);
      }
    }
  }

  @Test
  void aCallerWithoutATokenActsWithMasonsOwnCredentials() {
    Caller local = new Caller("local", null, Caller.Source.LOCAL);
    tools.ok(local, "manage_warehouse", "{\"action\": \"list\"}");
    assertThat(fake.requests()).isNotEmpty().allMatch(r -> "mason-token".equals(r.token()));
  }

  @Test
  void aRejectedTokenIsReportedWithoutTheTokenItself() {
    ToolResult result = tools.call(ToolTesting.caller("eve@example.com", "stolen-secret-123"), "get_current_user", "{}");
    assertThat(result.isError()).isTrue();
    assertThat(result.content()).startsWith("UNAUTHENTICATED (HTTP 401)").doesNotContain("stolen-secret-123");
  }

  @Test
  void aRateLimitedCallIsRetriedAfterTheRetryAfterDelay() {
    fake.rateLimit("/api/2.0/preview/scim/v2/Me", 1);
    JsonNode me = ToolTesting.json(tools.ok(ALICE, "get_current_user", "{}"));
    assertThat(me.path("user_name").asText()).isEqualTo("alice@example.com");
    List<FakeWorkspace.Received> tries = fake.requests("/api/2.0/preview/scim/v2/Me");
    assertThat(tries).hasSize(2);
    assertThat(Duration.between(tries.get(0).at(), tries.get(1).at())).isGreaterThanOrEqualTo(Duration.ofMillis(900));
  }

  @Test
  void withoutAWorkspaceNoToolIsOfferedAndACallSaysWhatToSet() throws Exception {
    var none = new DatabricksTools(new WorkspaceAccess(new WorkspaceSettings(null, null)), ToolSettings.defaults());
    assertThat(none.available()).isFalse();
    assertThat(none.forCaller(ALICE)).isEmpty();
    assertThat(none.all()).isNotEmpty();
    ToolResult result = none.all().getFirst().execute(tools.context(ALICE), ToolTesting.json("{}"));
    assertThat(result.isError()).isTrue();
    assertThat(result.content()).isEqualTo("no workspace configured: set DATABRICKS_HOST and DATABRICKS_TOKEN");
    assertThat(tools.tools.forCaller(ALICE)).hasSameSizeAs(tools.tools.all());
  }
}
