package dev.mason.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mason.databricks.WorkspaceAccess;
import dev.mason.databricks.WorkspaceSettings;
import dev.mason.identity.FakeWorkspace;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Lakebase: the instance's host and a database credential come from the workspace API (a fake
 * speaking its wire format), and the credential is renewed before it expires.
 */
class LakebaseCredentialTest {
  FakeWorkspace workspace;
  WorkspaceAccess access;

  @BeforeEach
  void start() {
    workspace = FakeWorkspace.start()
        .withUser("dapi-app", "app-sp@example.com", "Mason app")
        .withLakebaseInstance("builder", "instance-1.database.example.com");
    access = new WorkspaceAccess(new WorkspaceSettings(workspace.url(), "dapi-app"));
  }

  @AfterEach
  void stop() {
    workspace.close();
  }

  @Test
  void theEndpointNamesTheInstancesHostAndTheAppsUserAndRequiresTls() {
    DatabaseEndpoint endpoint = access.lakebase("builder", "builder_db");

    assertThat(endpoint.host()).isEqualTo("instance-1.database.example.com");
    assertThat(endpoint.port()).isEqualTo(5432);
    assertThat(endpoint.database()).isEqualTo("builder_db");
    assertThat(endpoint.user()).isEqualTo("app-sp@example.com");
    assertThat(endpoint.sslMode()).isEqualTo("require");
  }

  @Test
  void aCredentialIsGeneratedForTheInstanceAndReusedWhileFarFromExpiry() {
    PasswordSource password = access.lakebase("builder", "builder_db").password();

    String first = password.password();
    String second = password.password();

    assertThat(first).startsWith("db-token-").isEqualTo(second);
    assertThat(workspace.calls("POST " + FakeWorkspace.CREDENTIALS)).isEqualTo(1);
    var request = workspace.credentialRequests().getFirst();
    assertThat(request.get("instance_names")).hasSize(1);
    assertThat(request.get("instance_names").get(0).asText()).isEqualTo("builder");
    assertThat(request.get("request_id").asText()).isNotBlank();
  }

  @Test
  void aCredentialCloseToItsExpiryIsRenewedBeforeItIsUsed() {
    // Nine minutes left is inside the renewal margin: the next connection gets a fresh one.
    workspace.credentialLifetime(Duration.ofMinutes(9));
    PasswordSource password = access.lakebase("builder", "builder_db").password();

    String first = password.password();
    String second = password.password();

    assertThat(second).isNotEqualTo(first);
    assertThat(workspace.calls("POST " + FakeWorkspace.CREDENTIALS)).isEqualTo(2);
  }

  @Test
  void anUnknownInstanceFailsStartupNamingIt() {
    assertThatThrownBy(() -> access.lakebase("no-such-instance", "db"))
        .isInstanceOf(StartupException.class)
        .hasMessageContaining("no-such-instance")
        .message().doesNotContain("dapi-app");
  }
}
