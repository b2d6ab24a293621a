package dev.mason.credentials;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mason.databricks.FakeTokens;
import dev.mason.databricks.FakeWorkspace;
import dev.mason.testing.Eventually;
import dev.mason.testing.TestMason;
import dev.mason.web.Json;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Rotation of the owner's minted tokens while no session is open, and through a workspace that fails for a while. */
class TokenRotationTest {
  static final String OWNER = "owner@example.com";
  static final String OWNER_TOKEN = "dapi-owner-rotation";

  FakeWorkspace workspace;

  @BeforeEach
  void startWorkspace() {
    workspace = FakeWorkspace.start().addUser(OWNER_TOKEN, OWNER);
  }

  @AfterEach
  void stopWorkspace() {
    workspace.close();
  }

  private TestMason mason(String interval, String lifetime) {
    return TestMason.start(Map.of("DATABRICKS_HOST", workspace.url(), "APP_OWNER", OWNER,
        "PAT_ROTATION_INTERVAL", interval, "PAT_TOKEN_LIFETIME", lifetime));
  }

  @Test
  void twentyRotationsWhileIdleEachMintedWithTheCurrentTokenAndEachReplacedOneRevoked() {
    try (var mason = mason("0.3", "3")) {
      assertThat(mason.as(OWNER).post("/api/configure-pat", Json.write(Map.of("token", OWNER_TOKEN))).status()).isEqualTo(200);
      assertThat(mason.as(OWNER).get("/api/sessions").json()).isEmpty();
      Eventually.await(Duration.ofSeconds(60), "21 minted tokens", () -> workspace.tokens().minted().size() >= 21);
      List<FakeTokens.Minted> minted = workspace.tokens().minted().subList(0, 21);
      Eventually.await(Duration.ofSeconds(10), "the first 20 to be revoked", () ->
          minted.subList(0, 20).stream().allMatch(t -> workspace.tokens().isDeleted(t.id())));

      // The first was minted with the pasted token; each later one with the one it replaced.
      var creates = workspace.requests("/api/2.0/token/create");
      assertThat(creates.get(0).token()).isEqualTo(OWNER_TOKEN);
      for (int i = 1; i < 21; i++) {
        assertThat(creates.get(i).token()).as("create %d", i).isEqualTo(minted.get(i - 1).value());
      }
      // Each delete was made with a live token, and the owner's own token was never revoked.
      assertThat(workspace.requests("/api/2.0/token/delete")).allMatch(r -> !OWNER_TOKEN.equals(r.token()));
      assertThat(workspace.tokens().misuses()).isEmpty();
      assertThat(minted).allMatch(t -> t.comment().contains("Mason"));
      assertThat(mason.as(OWNER).get("/api/pat-status").json().get("rotations").asInt()).isGreaterThanOrEqualTo(21);
    }
  }

  @Test
  void aWorkspaceThatRefusesThenFailsIsReportedAndRotationResumesByItself() {
    try (var mason = mason("1", "20")) {
      assertThat(mason.as(OWNER).post("/api/configure-pat", Json.write(Map.of("token", OWNER_TOKEN))).status()).isEqualTo(200);
      workspace.tokens().failCreates(403, 403, 403, 500, 500, 500);
      Eventually.await(Duration.ofSeconds(10), "a 403 in the status", () -> error(mason).contains("403"));
      JsonNode failing = status(mason);
      assertThat(failing.get("rotation_failures").asInt()).isGreaterThan(0);
      assertThat(failing.get("valid").asBoolean()).as("the last minted token still works").isTrue();
      Eventually.await(Duration.ofSeconds(15), "a 500 in the status", () -> error(mason).contains("500"));
      Eventually.await(Duration.ofSeconds(20), "rotation to work again", () -> status(mason).get("error").isNull());
      assertThat(workspace.tokens().pendingFailures()).isZero();
      int rotations = status(mason).get("rotations").asInt();
      Eventually.await(Duration.ofSeconds(10), "the next regular rotation", () -> status(mason).get("rotations").asInt() > rotations);
      assertThat(status(mason).get("rotation_failures").asInt()).isZero();
      assertThat(workspace.tokens().misuses()).isEmpty();
    }
  }

  private static JsonNode status(TestMason mason) {
    return mason.as(OWNER).get("/api/pat-status").json();
  }

  private static String error(TestMason mason) {
    JsonNode error = status(mason).get("error");
    return error.isNull() ? "" : error.asText();
  }
}
