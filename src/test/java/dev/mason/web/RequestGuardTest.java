package dev.mason.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mason.testing.TestMason;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Pages in the user's browser cannot use Mason: not through a DNS name rebound to 127.0.0.1, not
 * with a cross-site request, not with a body a form can send. Requests are written by hand on a
 * socket, because Java's HTTP client will not send a foreign {@code Host}.
 */
class RequestGuardTest {
  static TestMason mason;
  static int port;

  @BeforeAll
  static void start() {
    mason = TestMason.start(Map.of("MASON_PUBLIC_URL", "https://mason.example.com", "MASON_ALLOWED_HOSTS", "dev-box.internal"));
    port = mason.app().port();
  }

  @AfterAll
  static void stop() {
    mason.close();
  }

  /** A status line, headers (names lower case) and body. */
  record Reply(int status, Map<String, String> headers, String body) {}

  static Reply send(String method, String path, Map<String, String> headers, String body) throws IOException {
    try (Socket socket = new Socket("127.0.0.1", port)) {
      byte[] bytes = body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8);
      StringBuilder request = new StringBuilder(method + " " + path + " HTTP/1.1\r\n");
      headers.forEach((name, value) -> request.append(name).append(": ").append(value).append("\r\n"));
      request.append("Connection: close\r\n");
      if (body != null) {
        request.append("Content-Length: ").append(bytes.length).append("\r\n");
      }
      request.append("\r\n");
      OutputStream out = socket.getOutputStream();
      out.write(request.toString().getBytes(StandardCharsets.UTF_8));
      out.write(bytes);
      out.flush();
      InputStream in = socket.getInputStream();
      String raw = new String(in.readAllBytes(), StandardCharsets.UTF_8);
      int split = raw.indexOf("\r\n\r\n");
      String[] head = raw.substring(0, split).split("\r\n");
      Map<String, String> replyHeaders = new LinkedHashMap<>();
      for (int i = 1; i < head.length; i++) {
        int colon = head[i].indexOf(':');
        replyHeaders.put(head[i].substring(0, colon).trim().toLowerCase(Locale.ROOT), head[i].substring(colon + 1).trim());
      }
      return new Reply(Integer.parseInt(head[0].split(" ")[1]), replyHeaders, raw.substring(split + 4));
    }
  }

  private static Map<String, String> headers(String... pairs) {
    Map<String, String> map = new LinkedHashMap<>();
    for (int i = 0; i < pairs.length; i += 2) {
      map.put(pairs[i], pairs[i + 1]);
    }
    return map;
  }

  @Test
  void aPageOnAReboundNameGetsNoShellAndNoData() throws IOException {
    String evil = "evil.example:" + port;

    Reply shell = send("POST", "/api/session", headers("Host", evil, "Origin", "http://" + evil, "Content-Type", "application/json"), "{}");
    Reply projects = send("GET", "/api/projects", headers("Host", evil), null);
    Reply socket = send("GET", "/ws/terminal", headers("Host", evil, "Origin", "http://" + evil, "Upgrade", "websocket",
        "Connection", "Upgrade", "Sec-WebSocket-Version", "13", "Sec-WebSocket-Key", "dGhlIHNhbXBsZSBub25jZQ=="), null);

    // The page can send the proxy's headers itself; outside Databricks Apps they name nothing.
    Reply posing = send("GET", "/api/projects", headers("Host", evil, "X-Forwarded-Host", evil, "X-Forwarded-Email", "bob@example.com"), null);

    for (Reply reply : new Reply[] {shell, projects, socket, posing}) {
      assertThat(reply.status()).as(reply.toString()).isEqualTo(403);
      assertThat(reply.body()).contains("evil.example").contains("MASON_ALLOWED_HOSTS");
    }
    assertThat(mason.as("local").get("/api/sessions").json()).as("no shell was started").isEmpty();
  }

  @Test
  void masonsOwnNamesAreAnswered() throws IOException {
    for (String host : new String[] {"localhost:" + port, "127.0.0.1:" + port, "[::1]:" + port, "mason.example.com",
        "dev-box.internal:" + port, "LOCALHOST:" + port}) {
      assertThat(send("GET", "/api/projects", headers("Host", host), null).status()).as(host).isEqualTo(200);
    }
  }

  @Test
  void aCrossSitePostIsRefusedWhateverItsBody() throws IOException {
    String own = "localhost:" + port;
    Reply plain = send("POST", "/api/projects", headers("Host", own, "Origin", "https://evil.example", "Content-Type", "text/plain"),
        "{\"name\": \"planted\"}");
    Reply json = send("POST", "/api/projects", headers("Host", own, "Origin", "https://evil.example", "Content-Type", "application/json"),
        "{\"name\": \"planted\"}");
    Reply nullOrigin = send("DELETE", "/api/projects/00000000-0000-0000-0000-000000000000", headers("Host", own, "Origin", "null"), null);

    assertThat(plain.status()).isEqualTo(403);
    assertThat(json.status()).isEqualTo(403);
    assertThat(json.body()).contains("https://evil.example");
    assertThat(nullOrigin.status()).isEqualTo(403);
    assertThat(mason.as("local").get("/api/projects").body()).doesNotContain("planted");
  }

  @Test
  void aBodyAFormCouldSendIsRefusedEvenWithoutAnOrigin() throws IOException {
    String own = "localhost:" + port;
    for (String type : new String[] {"text/plain;charset=UTF-8", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x"}) {
      Reply reply = send("POST", "/api/projects", headers("Host", own, "Content-Type", type), "{\"name\": \"planted\"}");
      assertThat(reply.status()).as(type).isEqualTo(403);
      assertThat(reply.body()).contains("application/json");
    }
    Reply upload = send("POST", "/api/upload", headers("Host", own, "Content-Type", "multipart/form-data; boundary=x"), "--x--\r\n");
    assertThat(upload.status()).isEqualTo(403);
    assertThat(upload.body()).contains("own page");
    assertThat(mason.as("local").get("/api/projects").body()).doesNotContain("planted");
  }

  @Test
  void masonsOwnPageMayPostJson() throws IOException {
    String own = "localhost:" + port;
    Reply created = send("POST", "/api/projects", headers("Host", own, "Origin", "http://" + own, "Content-Type", "application/json",
        "X-Forwarded-Email", "page@example.com"), "{\"name\": \"from the page\"}");
    Reply fromPublicUrl = send("POST", "/api/projects", headers("Host", "mason.example.com", "Origin", "https://mason.example.com",
        "Content-Type", "application/json", "X-Forwarded-Email", "page@example.com"), "{\"name\": \"via the public URL\"}");

    assertThat(created.status()).as(created.toString()).isEqualTo(201);
    assertThat(fromPublicUrl.status()).as(fromPublicUrl.toString()).isEqualTo(201);
  }

  @Test
  void everyResponseCarriesTheSecurityHeaders() throws IOException {
    String own = "localhost:" + port;
    for (Reply reply : new Reply[] {
        send("GET", "/api/health", headers("Host", own), null),
        send("GET", "/api/projects/not-a-uuid", headers("Host", own), null),
        send("GET", "/", headers("Host", own), null),
        send("GET", "/api/projects", headers("Host", "evil.example"), null)}) {
      assertThat(reply.headers()).as(reply.toString())
          .containsEntry("x-content-type-options", "nosniff")
          .containsEntry("x-frame-options", "DENY")
          .containsKey("referrer-policy");
    }
  }

  @Test
  void thePageMayNotBeFramed() throws IOException {
    Reply page = send("GET", "/", headers("Host", "localhost:" + port), null);
    Assumptions.assumeTrue(page.status() == 200, "the browser app is not built (-Dskip.web=true)");

    assertThat(page.headers().get("content-security-policy")).contains("frame-ancestors 'none'");
  }

  @Test
  void meSaysTheEmbeddedDatabaseIsNotLakebase() {
    var me = mason.as("alice@example.com").get("/api/config/me").json();

    assertThat(me.get("lakebase_configured").asBoolean()).isFalse();
    assertThat(me.get("lakebase_error").isNull()).isTrue();
  }
}
