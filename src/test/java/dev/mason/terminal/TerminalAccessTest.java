package dev.mason.terminal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mason.testing.Api;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocketHandshakeException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Terminals are the app owner's alone, from the owner's own pages; uploads are bounded and named safely. */
class TerminalAccessTest {
  private static final String MALLORY = "mallory@example.com";
  static TerminalMason mason;

  @BeforeAll
  static void start() {
    mason = TerminalMason.start(Map.of("TERMINAL_ALLOWED_ORIGINS", "https://ide.example.com"));
  }

  @AfterAll
  static void stop() {
    mason.close();
  }

  @Test
  void anotherUserIsRefusedEveryTerminalRouteWithTheOwnerNamed() {
    Api mallory = mason.as(MALLORY);
    String id = mason.newSession();
    try {
      for (var response : new Api.Response[] {
          mallory.post("/api/session", "{}"),
          mallory.get("/api/sessions"),
          mallory.post("/api/input", TerminalMason.Json.object("session_id", id, "input", "id\r")),
          mallory.post("/api/output", TerminalMason.Json.object("session_id", id)),
          mallory.post("/api/session/attach", TerminalMason.Json.object("session_id", id)),
          mallory.post("/api/session/close", TerminalMason.Json.object("session_id", id))}) {
        assertThat(response.status()).isEqualTo(403);
        assertThat(response.json().get("error").asText()).contains(TerminalMason.OWNER).contains(MALLORY);
      }
      assertThat(mason.status(id)).as("the session survived").isNotNull();
      assertThat(mason.as("Owner@Example.COM").get("/api/sessions").status()).as("the owner in other case").isEqualTo(200);
    } finally {
      mason.owner().post("/api/session/close", TerminalMason.Json.object("session_id", id));
    }
  }

  @Test
  void anotherUserCannotOpenTheTerminalWebSocket() {
    Throwable refused = SocketClient.refusal(mason, SocketClient.builder().header("X-Forwarded-Email", MALLORY));
    assertThat(refused).isInstanceOf(WebSocketHandshakeException.class);
    var response = ((WebSocketHandshakeException) refused).getResponse();
    assertThat(response.statusCode()).isEqualTo(403);

    assertThat(SocketClient.refusal(mason, SocketClient.builder().header("X-Forwarded-Email", TerminalMason.OWNER))).isNull();
  }

  @Test
  void aPageFromAnotherOriginIsRefusedAndTheOwnOriginOrAConfiguredOneIsNot() {
    Api owner = mason.owner();
    assertThat(owner.withHeader("Origin", "https://evil.example.net").get("/api/sessions").status()).isEqualTo(403);
    assertThat(owner.withHeader("Origin", mason.baseUrl()).get("/api/sessions").status()).isEqualTo(200);
    assertThat(owner.withHeader("Origin", "https://ide.example.com").get("/api/sessions").status()).isEqualTo(200);

    Throwable refused = SocketClient.refusal(mason, SocketClient.builder()
        .header("X-Forwarded-Email", TerminalMason.OWNER).header("Origin", "https://evil.example.net"));
    assertThat(refused).isInstanceOf(WebSocketHandshakeException.class);
    assertThat(((WebSocketHandshakeException) refused).getResponse().statusCode()).isEqualTo(403);
    assertThat(SocketClient.refusal(mason, SocketClient.builder()
        .header("X-Forwarded-Email", TerminalMason.OWNER).header("Origin", mason.baseUrl()))).isNull();
  }

  @Test
  void anUploadIsSavedUnderUploadsWithASafeNameAndItsPathAnswered() throws IOException {
    byte[] content = "a,b\n1,2\n".getBytes(StandardCharsets.UTF_8);
    var response = upload(TerminalMason.OWNER, "../../etc/My Résumé (final).csv", content);
    assertThat(response.statusCode()).isEqualTo(200);
    Path saved = Path.of(dev.mason.web.Json.MAPPER.readTree(response.body()).get("path").asText());
    assertThat(saved.getParent()).isEqualTo(mason.home().resolve("uploads"));
    assertThat(saved.getFileName().toString()).matches("[0-9a-f]{8}_My_Resume_final_.csv");
    assertThat(Files.readAllBytes(saved)).isEqualTo(content);
  }

  @Test
  void anUploadOverThirtyTwoMegabytesIsRefusedWith413() throws IOException {
    byte[] content = new byte[32 * 1024 * 1024 + 1];
    Arrays.fill(content, (byte) 'x');
    var response = upload(TerminalMason.OWNER, "big.bin", content);
    assertThat(response.statusCode()).isEqualTo(413);
    assertThat(dev.mason.web.Json.MAPPER.readTree(response.body()).get("error").asText()).contains("32 MB");
    try (var files = Files.list(mason.home().resolve("uploads"))) {
      assertThat(files.map(p -> p.getFileName().toString())).noneMatch(name -> name.endsWith("big.bin"));
    } catch (java.nio.file.NoSuchFileException e) {
      // nothing was ever saved
    }
  }

  @Test
  void anotherUserCannotUpload() {
    var response = upload(MALLORY, "x.txt", new byte[] {1});
    assertThat(response.statusCode()).isEqualTo(403);
  }

  private static HttpResponse<String> upload(String user, String fileName, byte[] content) {
    String boundary = "mason-test-boundary";
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    body.writeBytes(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"" + fileName
        + "\"\r\nContent-Type: application/octet-stream\r\n\r\n").getBytes(StandardCharsets.UTF_8));
    body.writeBytes(content);
    body.writeBytes(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
    var request = HttpRequest.newBuilder(URI.create(mason.baseUrl() + "/api/upload"))
        .header("X-Forwarded-Email", user)
        .header("Origin", mason.baseUrl())
        .header("Content-Type", "multipart/form-data; boundary=" + boundary)
        .POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray()))
        .build();
    try {
      return HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
