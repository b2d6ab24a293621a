package dev.mason.mcp;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mason.web.Json;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;

/**
 * Checks the JSON-RPC envelope of every message POSTed to {@code /mcp} before the SDK sees it, and
 * answers what is malformed with the error the JSON-RPC specification names, as JSON and without
 * any of the server's insides: -32700 for what is not JSON, -32600 for what is not a single
 * request, notification or response (MCP has no batches since 2025-06-18), -32602 for params that
 * are not an object, and a {@code tools/call} whose name or arguments have the wrong shape.
 *
 * <p>What passes is handed on with its body intact; the SDK answers everything about meaning.
 */
final class McpRequestCheck extends HttpFilter {
  static final int PARSE_ERROR = -32700;
  static final int INVALID_REQUEST = -32600;
  static final int INVALID_PARAMS = -32602;

  private final int maxBytes;

  McpRequestCheck(int maxBytes) {
    this.maxBytes = maxBytes;
  }

  /** Why a message was refused; {@code id} is echoed when the message had a usable one. */
  private record Refusal(int code, String message, JsonNode id) {}

  @Override
  protected void doFilter(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
      throws IOException, ServletException {
    if (!"POST".equals(request.getMethod())) {
      chain.doFilter(request, response);
      return;
    }
    byte[] body = request.getInputStream().readNBytes(maxBytes + 1);
    if (body.length > maxBytes) {
      refuse(response, 413, new Refusal(INVALID_REQUEST, "the message is larger than " + maxBytes + " bytes", null));
      return;
    }
    Refusal refusal = check(body);
    if (refusal != null) {
      refuse(response, 400, refusal);
      return;
    }
    chain.doFilter(new ReadAgain(request, body), response);
  }

  private static Refusal check(byte[] body) {
    JsonNode message;
    try {
      message = Json.MAPPER.readTree(body);
    } catch (JsonProcessingException e) {
      return new Refusal(PARSE_ERROR, "Parse error: the message is not JSON (" + e.getOriginalMessage() + ")", null);
    } catch (IOException e) {
      return new Refusal(PARSE_ERROR, "Parse error: the message cannot be read", null);
    }
    if (message == null || message.isMissingNode()) {
      return new Refusal(INVALID_REQUEST, "Invalid request: the body is empty; send one JSON-RPC message", null);
    }
    if (message.isArray()) {
      return new Refusal(INVALID_REQUEST, "Invalid request: batches are not part of MCP; send one JSON-RPC message per request", null);
    }
    if (!message.isObject()) {
      return new Refusal(INVALID_REQUEST, "Invalid request: a JSON-RPC message is an object", null);
    }
    JsonNode id = message.get("id");
    if (id != null && !id.isTextual() && !id.isIntegralNumber()) {
      return new Refusal(INVALID_REQUEST, "Invalid request: id must be a string or an integer", null);
    }
    if (!"2.0".equals(message.path("jsonrpc").asText(null))) {
      return new Refusal(INVALID_REQUEST, "Invalid request: jsonrpc must be \"2.0\"", id);
    }
    JsonNode method = message.get("method");
    if (method == null) {
      boolean response = id != null && (message.has("result") || message.has("error"));
      return response ? null : new Refusal(INVALID_REQUEST, "Invalid request: method is missing", id);
    }
    if (!method.isTextual()) {
      return new Refusal(INVALID_REQUEST, "Invalid request: method must be a string", id);
    }
    JsonNode params = message.get("params");
    if (params != null && !params.isObject()) {
      return new Refusal(INVALID_PARAMS, "Invalid params: params must be an object", id);
    }
    if (method.asText().equals("tools/call")) {
      if (params == null || !params.path("name").isTextual()) {
        return new Refusal(INVALID_PARAMS, "Invalid params: tools/call needs params.name, the tool's name", id);
      }
      JsonNode arguments = params.get("arguments");
      if (arguments != null && !arguments.isObject() && !arguments.isNull()) {
        return new Refusal(INVALID_PARAMS, "Invalid params: params.arguments must be an object of the tool's arguments", id);
      }
    }
    return null;
  }

  private static void refuse(HttpServletResponse response, int status, Refusal refusal) throws IOException {
    ObjectNode body = JsonNodeFactory.instance.objectNode().put("jsonrpc", "2.0");
    body.set("id", refusal.id() == null ? JsonNodeFactory.instance.nullNode() : refusal.id());
    body.putObject("error").put("code", refusal.code()).put("message", refusal.message());
    byte[] bytes = Json.write(body).getBytes(StandardCharsets.UTF_8);
    response.setStatus(status);
    response.setContentType("application/json");
    response.setContentLength(bytes.length);
    response.getOutputStream().write(bytes);
  }

  /** The request with the body this filter read, so the SDK can read it again. */
  private static final class ReadAgain extends HttpServletRequestWrapper {
    private final byte[] body;

    ReadAgain(HttpServletRequest request, byte[] body) {
      super(request);
      this.body = body;
    }

    @Override
    public ServletInputStream getInputStream() {
      ByteArrayInputStream in = new ByteArrayInputStream(body);
      return new ServletInputStream() {
        @Override
        public int read() throws IOException {
          return in.read();
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
          return in.read(b, off, len);
        }

        @Override
        public boolean isFinished() {
          return in.available() == 0;
        }

        @Override
        public boolean isReady() {
          return true;
        }

        @Override
        public void setReadListener(ReadListener listener) {
          throw new IllegalStateException("the body has been read already; read it blocking");
        }
      };
    }

    @Override
    public BufferedReader getReader() {
      return new BufferedReader(new InputStreamReader(new ByteArrayInputStream(body), StandardCharsets.UTF_8));
    }

    @Override
    public int getContentLength() {
      return body.length;
    }

    @Override
    public long getContentLengthLong() {
      return body.length;
    }
  }
}
