package dev.mason.agent.llm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.mason.web.Json;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Function;

/**
 * An in-process model server on 127.0.0.1 (port 0) that answers POSTs with scripted replies, in
 * order, and records what it received. {@link FakeAnthropicServer} and {@link FakeOpenAiServer}
 * script replies in their protocol's wire format; this class serves them.
 *
 * <p>A request that finds no scripted reply gets a 400 saying so (not retried by the clients, so a
 * test that scripted too few replies fails at once and clearly). Thread-safe: tests script and read
 * from their thread while the server's virtual threads serve.
 */
public abstract class FakeModelServer implements AutoCloseable {
  /** How a streamed reply ends. */
  public enum Ending {
    /** The protocol's normal end. */
    COMPLETE,
    /** The connection breaks: the client sees an I/O error, not a clean end. */
    DROP,
    /** The server stops sending but keeps the connection open, until the client gives up or the server closes. */
    HANG
  }

  /** A request as received: headers with lower-case names, the body parsed as JSON (null if it was not JSON). */
  public record ReceivedRequest(String method, String path, Map<String, List<String>> headers, JsonNode body, String rawBody) {
    /** The first value of a header, or null. */
    public String header(String name) {
      List<String> values = headers.get(name.toLowerCase(Locale.ROOT));
      return values == null || values.isEmpty() ? null : values.get(0);
    }
  }

  /** Anything that can be queued: a {@link Reply}, or a protocol's reply builder. */
  public interface Scripted {
    Reply reply();
  }

  /**
   * One scripted reply: a status, headers, and either a plain body or SSE frames made from the
   * request (so a reply can echo the requested model).
   */
  public static final class Reply implements Scripted {
    final int status;
    final Map<String, String> headers = new LinkedHashMap<>();
    final Function<JsonNode, List<String>> frames;
    final String body;
    Duration delay = Duration.ZERO;
    Ending ending = Ending.COMPLETE;

    Reply(int status, String body) {
      this.status = status;
      this.body = body;
      this.frames = null;
    }

    Reply(Function<JsonNode, List<String>> frames, Ending ending, Duration delay, Map<String, String> headers) {
      this.status = 200;
      this.body = null;
      this.frames = frames;
      this.ending = ending;
      this.delay = delay;
      this.headers.putAll(headers);
    }

    public Reply header(String name, String value) {
      headers.put(name, value);
      return this;
    }

    @Override
    public Reply reply() {
      return this;
    }
  }

  private final HttpServer server;
  private final ExecutorService executor = Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("fake-model-server-", 0).factory());
  private final Deque<Reply> replies = new ConcurrentLinkedDeque<>();
  private final List<ReceivedRequest> received = new CopyOnWriteArrayList<>();
  private final Map<String, Reply> standing = new java.util.concurrent.ConcurrentHashMap<>();

  // Requests reach handle() only after start(), when the subclass is fully built.
  @SuppressWarnings("this-escape")
  protected FakeModelServer() {
    try {
      server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    } catch (IOException e) {
      throw new IllegalStateException("cannot start a fake model server on 127.0.0.1", e);
    }
    server.setExecutor(executor);
    server.createContext("/", this::handle);
    server.start();
  }

  /** {@code http://127.0.0.1:<port>}, without a trailing slash. */
  public String baseUrl() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  /**
   * Answers every request for {@code model} with {@code reply}, outside the queue: for side
   * requests such as conversation titles and summaries that race with the scripted turns.
   */
  public void alwaysAnswer(String model, Scripted reply) {
    standing.put(model, reply.reply());
  }

  /** The requests for {@code model}, oldest first. */
  public List<ReceivedRequest> requestsFor(String model) {
    return received.stream().filter(r -> r.body() != null && model.equals(r.body().path("model").asText())).toList();
  }

  /** Adds replies to the end of the queue; each request takes the first. */
  public void enqueue(Scripted... more) {
    for (Scripted scripted : more) {
      replies.add(scripted.reply());
    }
  }

  /** Every request received so far, oldest first. */
  public List<ReceivedRequest> requests() {
    return List.copyOf(received);
  }

  public ReceivedRequest lastRequest() {
    if (received.isEmpty()) {
      throw new AssertionError("the fake model server has received no request");
    }
    return received.get(received.size() - 1);
  }

  /** Drops the replies no request took, such as those a killed run never asked for. */
  public void clearQueue() {
    replies.clear();
  }

  /** How many scripted replies are still waiting for a request. */
  public int pending() {
    return replies.size();
  }

  /** A plain (not streamed) JSON reply with any status, e.g. a proxy's error or a server that ignores {@code stream}. */
  public static Reply json(int status, String body) {
    return new Reply(status, body);
  }

  /** A reply with an HTTP error status and a JSON body in the protocol's error shape. */
  protected static Reply errorReply(int status, JsonNode body) {
    return new Reply(status, Json.write(body));
  }

  /** The SSE frame for one event: {@code event:} (when named) and {@code data:} lines, then a blank line. */
  protected static String frame(String event, JsonNode data) {
    return (event == null ? "" : "event: " + event + "\n") + "data: " + Json.write(data) + "\n\n";
  }

  protected static JsonNodeFactory nodes() {
    return JsonNodeFactory.instance;
  }

  /** The reply to serve when the queue is empty, in the protocol's error shape. */
  protected abstract Reply noReplyLeft();

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      byte[] raw = exchange.getRequestBody().readAllBytes();
      String text = new String(raw, StandardCharsets.UTF_8);
      JsonNode body = parse(text);
      Map<String, List<String>> headers = new LinkedHashMap<>();
      exchange.getRequestHeaders().forEach((name, values) -> headers.put(name.toLowerCase(Locale.ROOT), List.copyOf(values)));
      received.add(new ReceivedRequest(exchange.getRequestMethod(), exchange.getRequestURI().getPath(), headers, body, text));
      Reply reply = body != null && standing.containsKey(body.path("model").asText())
          ? standing.get(body.path("model").asText()) : replies.pollFirst();
      serve(exchange, reply == null ? noReplyLeft() : reply, body);
    } catch (IOException clientWentAway) {
      // the client closed the stream (a cancellation or an idle timeout): nothing to answer
    }
  }

  private void serve(HttpExchange exchange, Reply reply, JsonNode request) throws IOException {
    reply.headers.forEach((name, value) -> exchange.getResponseHeaders().add(name, value));
    if (reply.frames == null) {
      byte[] bytes = reply.body.getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().set("content-type", "application/json");
      exchange.sendResponseHeaders(reply.status, bytes.length);
      exchange.getResponseBody().write(bytes);
      return;
    }
    exchange.getResponseHeaders().set("content-type", "text/event-stream");
    exchange.getResponseHeaders().set("cache-control", "no-cache");
    List<String> frames = reply.frames.apply(request == null ? nodes().objectNode() : request);
    // A DROP promises more bytes than it sends, so closing the exchange breaks the connection.
    exchange.sendResponseHeaders(200, reply.ending == Ending.DROP ? 1 << 30 : 0);
    OutputStream out = exchange.getResponseBody();
    for (int i = 0; i < frames.size(); i++) {
      if (i > 0 && !reply.delay.isZero()) {
        pause(reply.delay);
      }
      out.write(frames.get(i).getBytes(StandardCharsets.UTF_8));
      out.flush();
    }
    if (reply.ending == Ending.HANG) {
      pause(Duration.ofMinutes(10));
    }
  }

  private static void pause(Duration duration) throws IOException {
    try {
      Thread.sleep(duration);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("fake model server stopped");
    }
  }

  private static JsonNode parse(String text) {
    try {
      return text.isBlank() ? null : Json.MAPPER.readTree(text);
    } catch (IOException notJson) {
      return null;
    }
  }

  /** Stops at once: streams in progress are cut. */
  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
  }

  @Override
  public String toString() {
    return getClass().getSimpleName() + "[" + baseUrl() + ", " + received.size() + " requests, " + replies.size() + " replies pending]";
  }
}
