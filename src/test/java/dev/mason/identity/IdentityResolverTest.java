package dev.mason.identity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mason.common.Refusal;
import dev.mason.databricks.WorkspaceAccess;
import dev.mason.databricks.WorkspaceSettings;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The resolver with a clock the test moves, and the real workspace client against a fake workspace. */
class IdentityResolverTest {
  FakeWorkspace workspace;
  MovableClock clock = new MovableClock();
  IdentityResolver resolver;

  @BeforeEach
  void start() {
    workspace = FakeWorkspace.start().withUser("dapi-alice", "alice@example.com", "Alice");
    var access = new WorkspaceAccess(new WorkspaceSettings(workspace.url(), null));
    resolver = new IdentityResolver(IdentityResolver.Rules.local(true), access, () -> "local", clock);
  }

  @AfterEach
  void stop() {
    workspace.close();
  }

  private static Function<String, String> headers(Map<String, String> values) {
    return name -> values.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(name))
        .map(Map.Entry::getValue).findFirst().orElse(null);
  }

  @Test
  void aCachedTokenIsAskedAgainAfterFiveMinutes() {
    var bearer = headers(Map.of("Authorization", "Bearer dapi-alice"));
    String me = "GET " + FakeWorkspace.SCIM_ME;

    assertThat(resolver.resolve(bearer).user()).isEqualTo("alice@example.com");
    clock.advance(Duration.ofMinutes(4).plusSeconds(59));
    resolver.resolve(bearer);
    assertThat(workspace.calls(me)).isEqualTo(1);

    clock.advance(Duration.ofSeconds(2));
    resolver.resolve(bearer);
    assertThat(workspace.calls(me)).isEqualTo(2);
  }

  @Test
  void aBearerCallerCarriesItsTokenForOnBehalfOfCallsButNeverPrintsIt() {
    Caller caller = resolver.resolve(headers(Map.of("Authorization", "bearer dapi-alice")));

    assertThat(caller.accessToken()).isEqualTo("dapi-alice");
    assertThat(caller.source()).isEqualTo(Caller.Source.BEARER_TOKEN);
    assertThat(caller.toString()).doesNotContain("dapi-alice");
  }

  @Test
  void theForwardedAccessTokenIsCheckedOnceAndKeptWithTheForwardedUser() {
    var forwarded = headers(Map.of("X-Forwarded-Email", " Alice@Example.com ", "X-Forwarded-Access-Token", "dapi-alice"));

    Caller caller = resolver.resolve(forwarded);
    resolver.resolve(forwarded);

    assertThat(caller.user()).isEqualTo("Alice@Example.com");
    assertThat(caller.accessToken()).isEqualTo("dapi-alice");
    assertThat(caller.source()).isEqualTo(Caller.Source.FORWARDED_HEADERS);
    assertThat(workspace.calls("GET " + FakeWorkspace.SCIM_ME)).as("checked once, then cached by the token's hash").isEqualTo(1);
  }

  @Test
  void aForwardedTokenOfAnotherUserIsRefused() {
    var forged = headers(Map.of("X-Forwarded-Email", "bob@example.com", "X-Forwarded-Access-Token", "dapi-alice"));

    assertThatThrownBy(() -> resolver.resolve(forged)).isInstanceOfSatisfying(Refusal.class, e -> {
      assertThat(e.status()).isEqualTo(401);
      assertThat(e.getMessage()).contains("bob@example.com").doesNotContain("dapi-alice");
    });
  }

  @Test
  void theDatabricksUserEmailHeaderNamesTheUserWhenTheProxysHeadersAreAbsent() {
    Caller caller = resolver.resolve(headers(Map.of("x-databricks-user-email", "carol@example.com")));

    assertThat(caller.user()).isEqualTo("carol@example.com");
    assertThat(caller.source()).isEqualTo(Caller.Source.FORWARDED_HEADERS);
  }

  @Test
  void onDatabricksAppsAForwardedIdentityWithoutATokenAndARequestWithoutIdentityAreRefused() {
    var apps = new IdentityResolver(new IdentityResolver.Rules(true, true, true),
        new WorkspaceAccess(new WorkspaceSettings(workspace.url(), null)), () -> "local", clock);

    assertThatThrownBy(() -> apps.resolve(headers(Map.of("X-Forwarded-Email", "alice@example.com"))))
        .isInstanceOfSatisfying(Refusal.class, e -> assertThat(e.status()).isEqualTo(401));
    assertThatThrownBy(() -> apps.resolve(headers(Map.of())))
        .isInstanceOfSatisfying(Refusal.class, e -> assertThat(e.status()).isEqualTo(401));
    assertThat(apps.resolve(headers(Map.of("X-Forwarded-Email", "alice@example.com", "X-Forwarded-Access-Token", "dapi-alice"))).user())
        .isEqualTo("alice@example.com");
  }

  @Test
  void aRejectedTokenIsRememberedBrieflyThenAskedAgain() {
    var bearer = headers(Map.of("Authorization", "Bearer dapi-new"));
    assertThatThrownBy(() -> resolver.resolve(bearer)).isInstanceOfSatisfying(Refusal.class, e -> {
      assertThat(e.status()).isEqualTo(401);
      assertThat(e.getMessage()).doesNotContain("dapi-new");
    });

    workspace.withUser("dapi-new", "new@example.com", "New");
    assertThatThrownBy(() -> resolver.resolve(bearer)).as("still remembered as rejected").isInstanceOf(Refusal.class);

    clock.advance(IdentityResolver.REJECTED_TTL.plusSeconds(1));
    assertThat(resolver.resolve(bearer).user()).isEqualTo("new@example.com");
  }

  /** A clock that moves only when told. */
  static final class MovableClock extends Clock {
    private volatile Instant now = Instant.parse("2026-01-01T00:00:00Z");

    void advance(Duration duration) {
      now = now.plus(duration);
    }

    @Override
    public Instant instant() {
      return now;
    }

    @Override
    public java.time.ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(java.time.ZoneId zone) {
      return this;
    }
  }
}
