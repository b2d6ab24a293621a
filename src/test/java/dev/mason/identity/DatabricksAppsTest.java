package dev.mason.identity;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.Platform;
import dev.mason.testing.Api;
import dev.mason.testing.Eventually;
import dev.mason.testing.TestMason;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Mason started as Databricks Apps starts it: the platform's variables, the app's service
 * principal, and a workspace whose Apps API names the app's creator, who alone gets terminals.
 */
class DatabricksAppsTest {
  static final String APP = "mason-team";
  static final String CREATOR = "Creator@Example.com";
  static final String CREATOR_TOKEN = "dapi-creator";
  static final String BOB_TOKEN = "dapi-bob";

  FakeWorkspace workspace;

  @BeforeEach
  void startWorkspace() {
    workspace = FakeWorkspace.start()
        .withUser(CREATOR_TOKEN, CREATOR.toLowerCase(), "The Creator")
        .withUser(BOB_TOKEN, "bob@example.com", "Bob")
        .withServicePrincipal("app-sp-client", "app-sp-secret")
        .withApp(APP, CREATOR.toLowerCase());
  }

  @AfterEach
  void stopWorkspace() {
    workspace.close();
  }

  /** What Databricks Apps sets (the bind address kept on loopback for the test). */
  private TestMason startOnApps(Map<String, String> more) {
    Path home = TestMason.freshHome();
    Path userHome = home.resolve("user");
    try {
      Files.createDirectories(userHome);
    } catch (java.io.IOException e) {
      throw new IllegalStateException(e);
    }
    Map<String, String> env = new HashMap<>(Map.of(
        "DATABRICKS_APP_NAME", APP,
        "DATABRICKS_APP_PORT", "0",
        "DATABRICKS_APP_URL", "https://" + APP + "-1234567890123456.aws.databricksapps.com",
        "MASON_BIND_ADDRESS", "127.0.0.1",
        "DATABRICKS_HOST", workspace.url(),
        "DATABRICKS_CLIENT_ID", "app-sp-client",
        "DATABRICKS_CLIENT_SECRET", "app-sp-secret",
        "HOME", userHome.toString()));
    env.putAll(more);
    return TestMason.startAt(home, env);
  }

  private static Api through(TestMason mason, String emailHeader, String email, String token) {
    Api api = new Api(mason.baseUrl(), Map.of(emailHeader, email));
    return token == null ? api : api.withHeader("X-Forwarded-Access-Token", token);
  }

  @Test
  void theCreatorGetsATerminalAndNobodyElseDoes() {
    try (TestMason mason = startOnApps(Map.of())) {
      Api creator = through(mason, "X-Forwarded-Email", CREATOR, CREATOR_TOKEN);
      Eventually.await(Duration.ofSeconds(20), "the app's creator to be read", () -> creator.get("/api/sessions").status() == 200);

      var session = creator.post("/api/session", "{\"label\": \"mine\"}");
      assertThat(session.status()).as(session.toString()).isEqualTo(200);
      assertThat(creator.post("/api/session/close", "{\"session_id\": \"" + session.json().get("session_id").asText() + "\"}").status())
          .isEqualTo(200);

      var bob = through(mason, "X-Forwarded-Email", "bob@example.com", BOB_TOKEN).post("/api/session", "{}");
      assertThat(bob.status()).isEqualTo(403);
      assertThat(bob.json().get("error").asText()).contains("creator@example.com").contains("bob@example.com");

      var nobody = mason.anonymous().get("/api/sessions");
      assertThat(nobody.status()).as("no identity on Apps is never the local user").isEqualTo(401);
      assertThat(mason.anonymous().get("/api/projects").status()).isEqualTo(401);

      // The platform's other identity header, in another case.
      assertThat(through(mason, "x-databricks-user-email", "CREATOR@example.com", CREATOR_TOKEN).get("/api/sessions").status())
          .isEqualTo(200);

      // The Apps API was read with the app's own service principal, signed in through OAuth M2M.
      String basic = "Basic " + Base64.getEncoder().encodeToString("app-sp-client:app-sp-secret".getBytes(StandardCharsets.UTF_8));
      assertThat(workspace.authorizations()).contains(basic);
      assertThat(workspace.tokenRequests()).anySatisfy(form -> assertThat(form).contains("grant_type=client_credentials"));
      assertThat(workspace.calls("GET " + FakeWorkspace.APPS + APP)).isPositive();
      assertThat(workspace.authorizations()).anySatisfy(auth -> assertThat(auth).startsWith("Bearer sp-token-"));

      // The platform's secrets in Mason's environment: no process of the same user may read it.
      assertThat(Native.load(Platform.C_LIBRARY_NAME, Prctl.class).prctl(PR_GET_DUMPABLE, 0, 0, 0, 0)).isZero();
    }
  }

  private static final int PR_GET_DUMPABLE = 3;

  /** prctl(2), to ask whether this process may be inspected by others of its user. */
  interface Prctl extends Library {
    int prctl(int option, long arg2, long arg3, long arg4, long arg5);
  }

  @Test
  void forgedIdentityHeadersFromLoopbackAreRefused() {
    try (TestMason mason = startOnApps(Map.of())) {
      var noToken = through(mason, "X-Forwarded-Email", "bob@example.com", null).get("/api/projects");
      assertThat(noToken.status()).as(noToken.toString()).isEqualTo(401);
      assertThat(noToken.json().get("error").asText()).contains("X-Forwarded-Access-Token");

      var othersToken = through(mason, "X-Forwarded-Email", "bob@example.com", CREATOR_TOKEN).get("/api/projects");
      assertThat(othersToken.status()).isEqualTo(401);
      assertThat(othersToken.body()).doesNotContain(CREATOR_TOKEN);

      var bogusToken = through(mason, "X-Forwarded-Email", "bob@example.com", "dapi-made-up").get("/api/projects");
      assertThat(bogusToken.status()).isEqualTo(401);

      var bob = through(mason, "X-Forwarded-Email", "bob@example.com", BOB_TOKEN);
      assertThat(bob.get("/api/projects").status()).isEqualTo(200);
      int checks = workspace.calls("GET " + FakeWorkspace.SCIM_ME);
      bob.get("/api/projects");
      assertThat(workspace.calls("GET " + FakeWorkspace.SCIM_ME)).as("cached by the token's hash").isEqualTo(checks);
    }
  }

  @Test
  void whileTheAppsApiFailsEveryoneIsRefusedWithTheReasonThenTheCreatorGetsIn() {
    workspace.failAppsApi(3);
    try (TestMason mason = startOnApps(Map.of())) {
      Api creator = through(mason, "X-Forwarded-Email", CREATOR, CREATOR_TOKEN);

      var refused = creator.get("/api/sessions");
      assertThat(refused.status()).isEqualTo(403);
      assertThat(refused.json().get("error").asText()).contains("not known yet").contains(APP).contains("APP_OWNER");
      assertThat(through(mason, "X-Forwarded-Email", "bob@example.com", BOB_TOKEN).get("/api/sessions").status()).isEqualTo(403);

      Eventually.await(Duration.ofSeconds(30), "the lookup to be retried until the Apps API answers",
          () -> creator.get("/api/sessions").status() == 200);
      assertThat(workspace.calls("GET " + FakeWorkspace.APPS + APP)).isGreaterThanOrEqualTo(4);
    }
  }

  @Test
  void appOwnerDecidesWithoutTheAppsApi() {
    workspace.failAppsApi(1_000);
    try (TestMason mason = startOnApps(Map.of("APP_OWNER", "bob@example.com"))) {
      assertThat(through(mason, "X-Forwarded-Email", "bob@example.com", BOB_TOKEN).get("/api/sessions").status()).isEqualTo(200);
      assertThat(through(mason, "X-Forwarded-Email", CREATOR, CREATOR_TOKEN).get("/api/sessions").status()).isEqualTo(403);
      // The Apps API is still read in the background, for the scopes the app's users grant it
      // (the chat model's credential), but the owner never waits on it.
    }
  }
}
