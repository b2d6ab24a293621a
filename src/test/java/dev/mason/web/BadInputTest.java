package dev.mason.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mason.testing.Api;
import dev.mason.testing.TestMason;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.time.Duration;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every kind of bad input answers a JSON {@code {"error", "field"}} with the right status, and
 * nothing of the server's insides (stack traces, exception names) reaches the client.
 */
class BadInputTest {
  static TestMason mason;
  static Api alice;
  static String project;
  static String conversation;

  @BeforeAll
  static void start() throws IOException {
    mason = TestMason.start();
    alice = mason.as("alice@example.com");
    project = alice.post("/api/projects", "{\"name\": \"inputs\"}").json().get("id").asText();
    conversation = alice.post("/api/projects/" + project + "/conversations", "{\"title\": \"t\"}").json().get("id").asText();
    Path folder = mason.home().resolve("projects").resolve(project);
    Files.write(folder.resolve("logo.png"), new byte[] {(byte) 0x89, 'P', 'N', 'G', 0, 0, 0, 13, 'I', 'H', 'D', 'R'});
    Files.write(folder.resolve("latin1.txt"), new byte[] {'c', 'a', 'f', (byte) 0xE9});
    Files.writeString(folder.resolve("huge.log"), "x".repeat(1024 * 1024 + 1));
  }

  @AfterAll
  static void stop() {
    mason.close();
  }

  /**
   * @param field the field the error must name, or null when no single field is at fault
   */
  record Case(String description, String method, String path, String body, int status, String field) {
    @Override
    public String toString() {
      return description;
    }
  }

  static Stream<Arguments> cases() {
    String projects = "/api/projects";
    String one = "/api/projects/{project}";
    String conv = "/api/projects/{project}/conversations/{conversation}";
    String content = "/api/projects/{project}/files/content?path=";
    return Stream.of(
        new Case("malformed JSON", "POST", projects, "{\"name\": ", 400, null),
        new Case("JSON that is not an object", "POST", projects, "[\"name\"]", 400, null),
        new Case("JSON null", "POST", projects, "null", 400, null),
        new Case("empty body", "POST", projects, "", 400, null),
        new Case("missing name", "POST", projects, "{}", 400, "name"),
        new Case("null name", "POST", projects, "{\"name\": null}", 400, "name"),
        new Case("blank name", "POST", projects, "{\"name\": \"   \"}", 400, "name"),
        new Case("256-character name", "POST", projects, "{\"name\": \"" + "n".repeat(256) + "\"}", 400, "name"),
        new Case("name as a number", "POST", projects, "{\"name\": 42}", 400, "name"),
        new Case("name as a decimal", "POST", projects, "{\"name\": 4.2}", 400, "name"),
        new Case("name as a boolean", "POST", projects, "{\"name\": true}", 400, "name"),
        new Case("name as an array", "POST", projects, "{\"name\": [\"a\"]}", 400, "name"),
        new Case("name as an object", "POST", projects, "{\"name\": {\"a\": 1}}", 400, "name"),
        new Case("rename to a blank name", "PATCH", one, "{\"name\": \"\"}", 400, "name"),
        new Case("conversation title as a number", "POST", one + "/conversations", "{\"title\": 7}", 400, "title"),
        new Case("conversation title over 255 characters", "PATCH", conv, "{\"title\": \"" + "t".repeat(256) + "\"}", 400, "title"),
        new Case("cluster id as a number", "PATCH", conv, "{\"cluster_id\": 123}", 400, "cluster_id"),
        new Case("warehouse id as an array", "PATCH", conv, "{\"warehouse_id\": [\"w\"]}", 400, "warehouse_id"),
        new Case("name with a NUL character", "POST", projects, "{\"name\": \"a\\u0000b\"}", 400, "name"),
        new Case("name with a line break", "POST", projects, "{\"name\": \"a\\nb\"}", 400, "name"),
        new Case("setting with a NUL character", "PATCH", conv, "{\"default_schema\": \"x\\u0000\"}", 400, "default_schema"),
        new Case("JSON nested too deeply", "POST", projects, "{\"name\": " + "[".repeat(5000) + "]".repeat(5000) + "}", 400, "name"),
        new Case("name with a lone surrogate", "POST", projects, "{\"name\": \"\\ud800\"}", 400, "name"),
        new Case("rename to a name with a lone surrogate", "PATCH", one, "{\"name\": \"a\\udc00b\"}", 400, "name"),
        new Case("title with a lone surrogate", "PATCH", conv, "{\"title\": \"\\ud83d\"}", 400, "title"),
        new Case("setting with a lone surrogate", "PATCH", conv, "{\"model\": \"m\\udfff\"}", 400, "model"),
        new Case("JSON nested 10,000 deep", "POST", projects, "[".repeat(10_000) + "]".repeat(10_000), 400, null),
        new Case("object nested 10,000 deep", "POST", projects, "{\"a\":".repeat(10_000) + "1" + "}".repeat(10_000), 400, null),
        new Case("invoke with a NUL character in a setting", "POST", "/api/invoke_agent",
            "{\"project_id\": \"00000000-0000-0000-0000-000000000001\", \"message\": \"hi\", \"default_schema\": \"x\\u0000\"}", 400, "default_schema"),
        new Case("invoke with a setting over 1024 characters", "POST", "/api/invoke_agent",
            "{\"project_id\": \"00000000-0000-0000-0000-000000000001\", \"message\": \"hi\", \"model\": \"" + "m".repeat(1025) + "\"}", 400, "model"),
        new Case("invoke with a setting as a number", "POST", "/api/invoke_agent",
            "{\"project_id\": \"00000000-0000-0000-0000-000000000001\", \"message\": \"hi\", \"cluster_id\": 123}", 400, "cluster_id"),
        new Case("invoke nested 10,000 deep", "POST", "/api/invoke_agent", "{\"message\": " + "[".repeat(10_000) + "]".repeat(10_000) + "}", 400, "message"),
        new Case("file path with a NUL character", "GET", content + "a%00b", null, 400, "path"),
        new Case("URL over 16 KB", "GET", content + "a".repeat(16 * 1024), null, 414, null),
        new Case("header over 16 KB", "GET", "/api/projects?huge-header", null, 431, null),
        new Case("body over 1 MB", "POST", projects, "{\"name\": \"" + "x".repeat(1024 * 1024 + 10) + "\"}", 413, null),
        new Case("unknown route", "GET", "/api/no-such-thing", null, 404, null),
        new Case("unknown method on a known route", "PUT", projects, "{\"name\": \"x\"}", 404, null),
        new Case("unknown route outside the API", "GET", "/no/such/page", null, 404, null),
        new Case("malformed project id", "GET", "/api/projects/not-a-uuid", null, 404, null),
        new Case("malformed conversation id", "GET", one + "/conversations/12345", null, 404, null),
        new Case("file path leaving the folder", "GET", content + "../x", null, 400, "path"),
        new Case("absolute file path", "GET", content + "/etc/passwd", null, 400, "path"),
        new Case("missing file path", "GET", "/api/projects/{project}/files/content", null, 400, "path"),
        new Case("missing file", "GET", content + "nope.md", null, 404, null),
        new Case("binary file", "GET", content + "logo.png", null, 415, "path"),
        new Case("file that is not UTF-8", "GET", content + "latin1.txt", null, 415, "path"),
        new Case("file over the size cap", "GET", content + "huge.log", null, 413, "path"))
        .map(Arguments::of);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void badInputAnswersAJsonErrorNamingTheFieldWithoutInternals(Case c) {
    String path = c.path().replace("{project}", project).replace("{conversation}", conversation);
    Api api = path.endsWith("?huge-header") ? alice.withHeader("X-Padding", "p".repeat(16 * 1024)) : alice;
    Api.Response response = api.send(c.method(), path, c.body());

    assertThat(response.status()).as(response.toString()).isEqualTo(c.status());
    assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("application/json"));
    JsonNode json = response.json();
    assertThat(json.path("error").isTextual()).as(response.toString()).isTrue();
    assertThat(json.path("error").asText()).isNotBlank();
    assertThat(json.has("field")).as("the body always has a field member: " + response).isTrue();
    if (c.field() == null) {
      assertThat(json.get("field").isNull()).as(response.toString()).isTrue();
    } else {
      assertThat(json.get("field").asText()).as(response.toString()).isEqualTo(c.field());
    }
    assertThat(response.body()).doesNotContain("at dev.mason", "Exception", "\tat ", "jackson", "javalin", "dev.mason",
        mason.home().toString());
  }

  @Test
  void aChunkedBodyOverOneMegabyteIsRefusedWith413() throws Exception {
    // No Content-Length: the limit must hold while reading, not only when a length is declared.
    // A raw socket, because the server answers before the upload ends and the JDK client only
    // reads a response after it has sent everything.
    try (Socket socket = new Socket("127.0.0.1", mason.app().port())) {
      socket.setSoTimeout(10_000);
      OutputStream out = socket.getOutputStream();
      Thread uploader = Thread.ofVirtual().start(() -> {
        try {
          out.write(("POST /api/projects HTTP/1.1\r\nHost: localhost\r\nX-Forwarded-Email: alice@example.com\r\n"
              + "Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
          byte[] chunk = ("{\"name\": \"" + "x".repeat(64 * 1024)).getBytes(StandardCharsets.US_ASCII);
          for (int i = 0; i < 48; i++) {
            out.write((Integer.toHexString(chunk.length) + "\r\n").getBytes(StandardCharsets.US_ASCII));
            out.write(chunk);
            out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
          }
          out.write("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        } catch (IOException e) {
          // the server may close the connection once it has answered
        }
      });
      String response = new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      uploader.join(Duration.ofSeconds(10));

      assertThat(response).startsWith("HTTP/1.1 413").contains("\"error\"").doesNotContain("Exception");
    }
    assertThat(alice.get("/api/projects").json().findValuesAsText("name")).noneMatch(name -> name.startsWith("xxxx"));
  }
}
