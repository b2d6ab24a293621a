package dev.mason.bench;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Executors;
import java.util.concurrent.locks.LockSupport;

/**
 * A model endpoint for benchmarks: answers every Anthropic Messages request with a stream of
 * text deltas, each carrying the {@link System#nanoTime()} at which its bytes were written, so a
 * reader in the same JVM can measure what Mason adds between the model and the browser.
 */
final class TimestampingModelServer implements AutoCloseable {
  private final HttpServer server;
  private final int deltas;
  private final long gapNanos;

  TimestampingModelServer(int deltas, long gapNanos) throws IOException {
    this.deltas = deltas;
    this.gapNanos = gapNanos;
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 256);
    server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
    server.createContext("/", this::answer);
    server.start();
  }

  String baseUrl() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  private void answer(HttpExchange exchange) throws IOException {
    try (exchange) {
      String request = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
      // Side requests (conversation titles) get a short answer, as a small model gives.
      int count = request.contains("You name conversations") ? 1 : deltas;
      exchange.getResponseHeaders().set("content-type", "text/event-stream");
      exchange.sendResponseHeaders(200, 0);
      OutputStream out = exchange.getResponseBody();
      write(out, "message_start", "{\"type\":\"message_start\",\"message\":{\"id\":\"msg_b\",\"type\":\"message\",\"role\":\"assistant\","
          + "\"model\":\"bench\",\"content\":[],\"stop_reason\":null,\"usage\":{\"input_tokens\":10,\"output_tokens\":1}}}");
      write(out, "content_block_start", "{\"type\":\"content_block_start\",\"index\":0,\"content_block\":{\"type\":\"text\",\"text\":\"\"}}");
      for (int i = 0; i < count; i++) {
        if (gapNanos > 0) {
          LockSupport.parkNanos(gapNanos);
        }
        write(out, "content_block_delta", "{\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"text_delta\",\"text\":\"t"
            + System.nanoTime() + ";\"}}");
      }
      write(out, "content_block_stop", "{\"type\":\"content_block_stop\",\"index\":0}");
      write(out, "message_delta", "{\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"end_turn\"},\"usage\":{\"output_tokens\":" + count + "}}");
      write(out, "message_stop", "{\"type\":\"message_stop\"}");
    }
  }

  private static void write(OutputStream out, String event, String data) throws IOException {
    out.write(("event: " + event + "\ndata: " + data + "\n\n").getBytes(StandardCharsets.UTF_8));
    out.flush();
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
