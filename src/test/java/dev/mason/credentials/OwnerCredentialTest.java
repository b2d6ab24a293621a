package dev.mason.credentials;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mason.databricks.FakeWorkspace;
import dev.mason.testing.Eventually;
import dev.mason.testing.TestMason;
import dev.mason.web.Json;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The owner's credential through {@code /api/configure-pat} and {@code /api/pat-status}, against a fake workspace. */
class OwnerCredentialTest {
  static final String OWNER = "owner@example.com";
  static final String OWNER_TOKEN = "dapi-owner-pasted";
  static final String OTHER_TOKEN = "dapi-someone-else";

  static FakeWorkspace workspace;

  @BeforeAll
  static void startWorkspace() {
    workspace = FakeWorkspace.start().addUser(OWNER_TOKEN, OWNER).addUser(OTHER_TOKEN, "mallory@example.com");
  }

  @AfterAll
  static void stopWorkspace() {
    workspace.close();
  }

  private static TestMason mason(Map<String, String> more) {
    var env = new java.util.HashMap<>(Map.of("DATABRICKS_HOST", workspace.url(), "APP_OWNER", OWNER,
        "PAT_ROTATION_INTERVAL", "4", "PAT_TOKEN_LIFETIME", "120"));
    env.putAll(more);
    return TestMason.start(env);
  }

  @Test
  void onlyTheOwnerMayPasteOrEvenReadTheStatus() {
    try (var mason = mason(Map.of())) {
      var paste = mason.as("mallory@example.com").post("/api/configure-pat", Json.write(Map.of("token", OWNER_TOKEN)));
      assertThat(paste.status()).isEqualTo(403);
      assertThat(paste.json().get("error").asText()).contains(OWNER);
      assertThat(mason.as("mallory@example.com").get("/api/pat-status").status()).isEqualTo(403);
      assertThat(workspace.requests("/api/2.0/token")).noneMatch(r -> OWNER_TOKEN.equals(r.token()));
    }
  }

  @Test
  void anInvalidTokenIsRefusedWithTheWorkspacesReason() {
    try (var mason = mason(Map.of())) {
      var paste = mason.as(OWNER).post("/api/configure-pat", Json.write(Map.of("token", "dapi-nobody-knows")));
      assertThat(paste.status()).isEqualTo(400);
      assertThat(paste.json().get("field").asText()).isEqualTo("token");
      assertThat(paste.json().get("error").asText()).startsWith("Invalid token").contains("401").contains("Invalid access token")
          .doesNotContain("dapi-nobody-knows");
      assertThat(mason.as(OWNER).post("/api/configure-pat", "{\"token\": \"  \"}").json().get("error").asText()).isEqualTo("Token required");
      assertThat(mason.as(OWNER).get("/api/pat-status").json().get("configured").asBoolean()).isFalse();
    }
  }

  @Test
  void someoneElsesTokenIsRefusedNamingBothUsers() {
    try (var mason = mason(Map.of())) {
      var paste = mason.as(OWNER).post("/api/configure-pat", Json.write(Map.of("token", OTHER_TOKEN)));
      assertThat(paste.status()).isEqualTo(400);
      assertThat(paste.json().get("error").asText()).contains("mallory@example.com").contains(OWNER);
      assertThat(workspace.tokens().minted()).noneMatch(t -> t.user().equals("mallory@example.com"));
    }
  }

  @Test
  void theOwnersTokenIsCheckedThenMasonMintsItsOwnAndAPasteAgainReplacesIt() {
    try (var mason = mason(Map.of())) {
      int mintedBefore = workspace.tokens().minted().size();
      var paste = mason.as(OWNER).post("/api/configure-pat", Json.write(Map.of("token", OWNER_TOKEN)));
      assertThat(paste.status()).as(paste.toString()).isEqualTo(200);
      assertThat(paste.json().get("user").asText()).isEqualTo(OWNER);
      assertThat(paste.json().get("replaced").asBoolean()).isFalse();
      assertThat(paste.body()).doesNotContain(OWNER_TOKEN);

      var minted = workspace.tokens().minted().get(mintedBefore);
      assertThat(minted.user()).isEqualTo(OWNER);
      assertThat(minted.comment()).contains("Mason");
      assertThat(Duration.between(minted.created(), minted.expires())).isEqualTo(Duration.ofSeconds(120));

      JsonNode status = mason.as(OWNER).get("/api/pat-status").json();
      assertThat(status.get("configured").asBoolean()).isTrue();
      assertThat(status.get("valid").asBoolean()).isTrue();
      assertThat(status.get("user").asText()).isEqualTo(OWNER);
      assertThat(status.get("source").asText()).isEqualTo("pasted");
      assertThat(status.get("workspace_host").asText()).isEqualTo(workspace.url());
      assertThat(status.get("last_rotation").isNull()).isFalse();
      assertThat(status.get("expires_at").isNull()).isFalse();
      assertThat(status.get("error").isNull()).isTrue();
      assertThat(status.toString()).doesNotContain(OWNER_TOKEN).doesNotContain(minted.value());

      var again = mason.as(OWNER).post("/api/configure-pat", Json.write(Map.of("token", OWNER_TOKEN)));
      assertThat(again.json().get("replaced").asBoolean()).isTrue();
      assertThat(again.json().get("message").asText()).contains("replaced");
      // The token Mason replaced is revoked after the grace period; the owner's own never is.
      Eventually.await(Duration.ofSeconds(40), "the replaced minted token to be revoked", () -> workspace.tokens().isDeleted(minted.id()));
      assertThat(workspace.requests("/api/2.0/token/delete")).noneMatch(r -> OWNER_TOKEN.equals(r.token()));
    }
  }

  @Test
  void aTokenInMasonsEnvironmentNeedsNoPaste() {
    try (var mason = mason(Map.of("DATABRICKS_TOKEN", OWNER_TOKEN))) {
      Eventually.await(Duration.ofSeconds(10), "the environment's token to be taken", () ->
          mason.as(OWNER).get("/api/pat-status").json().get("last_rotation").isTextual());
      JsonNode status = mason.as(OWNER).get("/api/pat-status").json();
      assertThat(status.get("source").asText()).isEqualTo("environment");
      assertThat(status.get("valid").asBoolean()).isTrue();
    }
  }

  @Test
  void anEnvironmentTokenOfSomeoneElseIsNotUsedAndTheStatusSaysWhy() {
    try (var mason = mason(Map.of("DATABRICKS_TOKEN", OTHER_TOKEN))) {
      Eventually.await(Duration.ofSeconds(10), "the refusal to show", () ->
          mason.as(OWNER).get("/api/pat-status").json().get("error").isTextual());
      JsonNode status = mason.as(OWNER).get("/api/pat-status").json();
      assertThat(status.get("configured").asBoolean()).isFalse();
      assertThat(status.get("error").asText()).contains("mallory@example.com").contains(OWNER);
    }
  }
}
