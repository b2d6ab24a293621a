package dev.mason.mcp;

import static dev.mason.mcp.McpFixture.ALICE_TOKEN;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mason.testing.Api;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Malformed messages to {@code /mcp} get the JSON-RPC error the specification names, at once and
 * as JSON, with nothing of the server's insides: no client waits for ever, none reads a stack trace.
 */
class McpBadInputTest {
  static McpFixture fixture;
  static String session;

  @BeforeAll
  static void start() {
    fixture = McpFixture.start(Map.of());
    Api.Response opened = api().post("/mcp", McpServerTest.initializeBody());
    assertThat(opened.status()).as(opened.body()).isEqualTo(200);
    session = opened.headers().firstValue("Mcp-Session-Id").orElseThrow();
    api().withHeader("Mcp-Session-Id", session).post("/mcp", "{\"jsonrpc\": \"2.0\", \"method\": \"notifications/initialized\"}");
  }

  @AfterAll
  static void stop() {
    fixture.close();
  }

  static Api api() {
    return new Api(fixture.mason.baseUrl(), Map.of("Accept", "application/json, text/event-stream",
        "Authorization", "Bearer " + ALICE_TOKEN));
  }

  record Case(String description, String body, int code, boolean echoesId) {
    @Override
    public String toString() {
      return description;
    }
  }

  static Stream<Arguments> cases() {
    String call = "{\"jsonrpc\": \"2.0\", \"id\": 7, \"method\": \"tools/call\", \"params\": ";
    return Stream.of(
        new Case("an empty array", "[]", -32600, false),
        new Case("a batch", "[{\"jsonrpc\": \"2.0\", \"id\": 1, \"method\": \"tools/list\"}]", -32600, false),
        new Case("nested arrays", "[[[[]]]]", -32600, false),
        new Case("an id that is an object", "{\"jsonrpc\": \"2.0\", \"id\": {\"a\": 1}, \"method\": \"tools/list\"}", -32600, false),
        new Case("a request with no method", "{\"jsonrpc\": \"2.0\", \"id\": 3}", -32600, true),
        new Case("malformed JSON", "{\"jsonrpc\": \"2.0\", \"id\": ", -32700, false),
        new Case("a bare string", "\"tools/list\"", -32600, false),
        new Case("JSON nested 10,000 deep", "[".repeat(10_000) + "]".repeat(10_000), -32700, false),
        new Case("a wrong jsonrpc version", "{\"jsonrpc\": \"1.0\", \"id\": 4, \"method\": \"tools/list\"}", -32600, true),
        new Case("params as a string", "{\"jsonrpc\": \"2.0\", \"id\": 5, \"method\": \"tools/list\", \"params\": \"x\"}", -32602, true),
        new Case("tools/call params as a string", call + "\"execute_sql\"}", -32602, true),
        new Case("tools/call params as an array", call + "[\"execute_sql\"]}", -32602, true),
        new Case("tools/call arguments as a string", call + "{\"name\": \"execute_sql\", \"arguments\": \"SELECT 1\"}}", -32602, true),
        new Case("tools/call arguments as an array", call + "{\"name\": \"execute_sql\", \"arguments\": [1]}}", -32602, true),
        new Case("tools/call without a name", call + "{\"arguments\": {}}}", -32602, true))
        .map(Arguments::of);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void aMalformedMessageGetsTheJsonRpcErrorTheSpecificationNames(Case c) {
    Api.Response response = api().withHeader("Mcp-Session-Id", session).post("/mcp", c.body());

    assertThat(response.status()).as(response.toString()).isEqualTo(400);
    assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("application/json"));
    JsonNode body = response.json();
    assertThat(body.get("jsonrpc").asText()).isEqualTo("2.0");
    assertThat(body.get("error").get("code").asInt()).as(response.toString()).isEqualTo(c.code());
    assertThat(body.get("error").get("message").asText()).isNotBlank();
    if (c.echoesId()) {
      assertThat(body.get("id").isNull()).as(response.toString()).isFalse();
    } else {
      assertThat(body.get("id").isNull()).as(response.toString()).isTrue();
    }
    assertThat(response.body()).hasSizeLessThan(1_000).doesNotContain("\tat ", "at io.", "at dev.mason", "Exception", "jackson");
  }
}
