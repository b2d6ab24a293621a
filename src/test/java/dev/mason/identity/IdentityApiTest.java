package dev.mason.identity;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.core.read.ListAppender;
import dev.mason.testing.Api;
import dev.mason.testing.TestMason;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** Who is calling, as /api/me reports it, against a fake workspace that speaks SCIM. */
class IdentityApiTest {
  static FakeWorkspace workspace;
  static TestMason mason;

  @BeforeAll
  static void start() {
    workspace = FakeWorkspace.start()
        .withUser("dapi-alice", "alice@example.com", "Alice")
        .withUser("dapi-bob", "bob@example.com", "Bob")
        .withUser("dapi-owner", "owner@example.com", "Owner")
        .failingFor("dapi-broken", 500);
    mason = TestMason.start(Map.of(
        "DATABRICKS_HOST", workspace.url(),
        "DATABRICKS_TOKEN", "dapi-owner",
        "MASON_TRUST_FORWARDED_HEADERS", "true"));
  }

  @AfterAll
  static void stop() {
    mason.close();
    workspace.close();
  }

  private static Api bearer(String token) {
    return mason.anonymous().withHeader("Authorization", "Bearer " + token);
  }

  @Test
  void tokensNeverReachTheLog() {
    Logger root = (Logger) LoggerFactory.getLogger(Logger.ROOT_LOGGER_NAME);
    // At DEBUG, Mason's own and the SDK's: a leak would most likely hide there.
    List<Logger> verbose = List.of((Logger) LoggerFactory.getLogger("dev.mason"), (Logger) LoggerFactory.getLogger("com.databricks.sdk"));
    List<Level> levels = verbose.stream().map(Logger::getLevel).toList();
    verbose.forEach(logger -> logger.setLevel(Level.DEBUG));
    ListAppender<ILoggingEvent> captured = new ListAppender<>();
    captured.start();
    root.addAppender(captured);
    try {
      bearer("dapi-leak-valid-0").get("/api/me");
      workspace.withUser("dapi-leak-valid-1", "leak@example.com", "Leak");
      bearer("dapi-leak-valid-1").get("/api/projects");
      bearer("dapi-leak-rejected").get("/api/projects");
      workspace.failingFor("dapi-leak-broken", 500);
      bearer("dapi-leak-broken").get("/api/me");
      mason.as("alice@example.com").withHeader("X-Forwarded-Access-Token", "dapi-leak-forwarded").get("/api/nowhere");
    } finally {
      root.detachAppender(captured);
      for (int i = 0; i < verbose.size(); i++) {
        verbose.get(i).setLevel(levels.get(i));
      }
    }

    assertThat(captured.list).as("the requests above log something to check").isNotEmpty();
    for (ILoggingEvent event : captured.list) {
      StringBuilder text = new StringBuilder(event.getFormattedMessage());
      for (IThrowableProxy t = event.getThrowableProxy(); t != null; t = t.getCause()) {
        text.append(' ').append(t.getMessage());
      }
      assertThat(text.toString()).doesNotContain("dapi-leak");
    }
  }

  @Test
  void aBearerTokenIsResolvedToItsUserThroughScimMe() {
    var me = bearer("dapi-alice").get("/api/me").json();

    assertThat(me.get("user").asText()).isEqualTo("alice@example.com");
    assertThat(me.get("identity_source").asText()).isEqualTo("bearer_token");
    assertThat(workspace.authorizations()).contains("Bearer dapi-alice");
  }

  @Test
  void aTokensUserIsCachedSoRepeatedRequestsAskTheWorkspaceOnce() {
    int before = workspace.calls("GET " + FakeWorkspace.SCIM_ME);

    for (int i = 0; i < 5; i++) {
      assertThat(bearer("dapi-bob").get("/api/me").json().get("user").asText()).isEqualTo("bob@example.com");
    }
    assertThat(bearer("dapi-bob").get("/api/projects").status()).isEqualTo(200);

    assertThat(workspace.calls("GET " + FakeWorkspace.SCIM_ME) - before).isEqualTo(1);
  }

  @Test
  void rejectedTokensAreRememberedSoFiftyBadRequestsAskTheWorkspaceOncePerToken() {
    int before = workspace.calls("GET " + FakeWorkspace.SCIM_ME);

    for (int i = 0; i < 50; i++) {
      var response = bearer("dapi-bad-" + (i % 5)).get("/api/projects");
      assertThat(response.status()).isEqualTo(401);
      assertThat(response.body()).doesNotContain("dapi-bad-");
    }

    assertThat(workspace.calls("GET " + FakeWorkspace.SCIM_ME) - before).isEqualTo(5);
  }

  @Test
  void aRejectedTokenAnswers401WithoutTheToken() {
    var response = bearer("dapi-stolen-or-expired").get("/api/projects");

    assertThat(response.status()).isEqualTo(401);
    assertThat(response.json().get("error").asText()).isNotBlank();
    assertThat(response.body()).doesNotContain("dapi-stolen-or-expired").doesNotContain("Exception");
  }

  @Test
  void anEmptyBearerTokenAnswers401() {
    var response = mason.anonymous().withHeader("Authorization", "Bearer ").get("/api/me");

    assertThat(response.status()).isEqualTo(401);
    assertThat(response.json().has("error")).isTrue();
  }

  @Test
  void aWorkspaceFailureWhileCheckingATokenIsABadGatewayNotALeak() {
    var response = bearer("dapi-broken").get("/api/me");

    assertThat(response.status()).as(response.toString()).isEqualTo(502);
    assertThat(response.json().get("error").asText()).contains("workspace");
    assertThat(response.body()).doesNotContain("dapi-broken").doesNotContain("Exception");
  }

  @Test
  void anUnreachableWorkspaceWhileCheckingATokenIsABadGateway() {
    try (TestMason cut = TestMason.start(Map.of("DATABRICKS_HOST", "http://127.0.0.1:1"))) {
      long started = System.nanoTime();
      var response = cut.anonymous().withHeader("Authorization", "Bearer dapi-alice").get("/api/me");

      assertThat(response.status()).as(response.toString()).isEqualTo(502);
      assertThat(response.json().get("error").asText()).contains("127.0.0.1:1");
      assertThat(response.body()).doesNotContain("dapi-alice");
      assertThat(java.time.Duration.ofNanos(System.nanoTime() - started)).isLessThan(java.time.Duration.ofSeconds(5));
    }
  }

  @Test
  void aRejectedDatabricksTokenIsReportedInsteadOfGuessingTheLocalUser() {
    try (TestMason misconfigured = TestMason.start(Map.of("DATABRICKS_HOST", workspace.url(), "DATABRICKS_TOKEN", "dapi-revoked"))) {
      var response = misconfigured.anonymous().get("/api/me");

      assertThat(response.status()).as(response.toString()).isEqualTo(500);
      assertThat(response.json().get("error").asText()).contains("DATABRICKS_TOKEN");
      assertThat(response.body()).doesNotContain("dapi-revoked");
    }
  }

  @Test
  void withoutAnyIdentityTheCallerIsTheOwnerOfDatabricksToken() {
    var me = mason.anonymous().get("/api/me").json();

    assertThat(me.get("user").asText()).isEqualTo("owner@example.com");
    assertThat(me.get("identity_source").asText()).isEqualTo("local");
  }

  @Test
  void trustedForwardedHeadersWinOverABearerTokenAndEmailWinsOverUser() {
    var both = mason.anonymous()
        .withHeader("X-Forwarded-Email", "carol@example.com")
        .withHeader("X-Forwarded-User", "12345@67890")
        .withHeader("Authorization", "Bearer dapi-alice")
        .get("/api/me").json();
    assertThat(both.get("user").asText()).isEqualTo("carol@example.com");
    assertThat(both.get("identity_source").asText()).isEqualTo("forwarded_headers");

    var userOnly = mason.anonymous().withHeader("X-Forwarded-User", "dave@example.com").get("/api/me").json();
    assertThat(userOnly.get("user").asText()).isEqualTo("dave@example.com");
  }

  @Test
  void untrustedForwardedHeadersAreIgnored() {
    try (TestMason local = TestMason.start(Map.of(
        "DATABRICKS_HOST", workspace.url(), "MASON_TRUST_FORWARDED_HEADERS", "false"))) {
      var forged = local.anonymous().withHeader("X-Forwarded-Email", "ceo@example.com").get("/api/me").json();
      assertThat(forged.get("user").asText()).isEqualTo("local");

      var withToken = local.anonymous()
          .withHeader("X-Forwarded-Email", "ceo@example.com")
          .withHeader("Authorization", "Bearer dapi-alice")
          .get("/api/me").json();
      assertThat(withToken.get("user").asText()).isEqualTo("alice@example.com");
    }
  }

  @Test
  void aBearerTokenWithoutAConfiguredWorkspaceIsRefusedSayingWhatToSet() {
    try (TestMason bare = TestMason.start(Map.of())) {
      var response = bare.anonymous().withHeader("Authorization", "Bearer dapi-alice").get("/api/me");

      assertThat(response.status()).isEqualTo(401);
      assertThat(response.json().get("error").asText()).contains("DATABRICKS_HOST");
      assertThat(response.body()).doesNotContain("dapi-alice");
    }
  }
}
