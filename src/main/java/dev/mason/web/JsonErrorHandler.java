package dev.mason.web;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;

/**
 * Jetty's own error responses, for requests refused before they reach a route (a URL or headers
 * too long, a malformed request), in Mason's JSON shape instead of Jetty's HTML page. The message
 * is the status's reason only: never a cause or a stack.
 */
final class JsonErrorHandler extends ErrorHandler {

  @Override
  protected void generateResponse(Request request, Response response, int code, String message, Throwable cause,
      Callback callback) {
    byte[] body = body(code).getBytes(StandardCharsets.UTF_8);
    response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
    response.getHeaders().put(HttpHeader.CONTENT_LENGTH, body.length);
    response.write(true, ByteBuffer.wrap(body), callback);
  }

  private static String body(int status) {
    String reason = switch (status) {
      case 414 -> "the URL is too long";
      case 431 -> "the request headers are too large";
      case 413 -> "request body too large (the limit is " + WebServer.MAX_REQUEST_BYTES / 1024 + " KiB)";
      default -> "the request was refused: " + HttpStatus.getMessage(status);
    };
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("error", reason);
    body.put("field", null);
    return Json.write(body);
  }
}
