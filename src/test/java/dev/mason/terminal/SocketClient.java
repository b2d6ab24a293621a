package dev.mason.terminal;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mason.testing.Eventually;
import dev.mason.web.Json;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A test's WebSocket client on /ws/terminal (the JDK's {@link WebSocket}): collects binary output
 * and JSON control messages. It can stop taking frames ({@link #stopReading()}) to play a client
 * that has fallen behind, and acknowledge what it received when asked to.
 */
final class SocketClient implements AutoCloseable {
  private static final HttpClient CLIENT = HttpClient.newHttpClient();

  private final WebSocket socket;
  private final Object sendLock = new Object();
  private final ByteArrayOutputStream output = new ByteArrayOutputStream();
  private final List<JsonNode> messages = new ArrayList<>();
  private final AtomicBoolean reading = new AtomicBoolean(true);
  private final AtomicBoolean acknowledging = new AtomicBoolean();
  private final AtomicLong joinedAt = new AtomicLong(-1);
  private final CompletableFuture<Integer> closed = new CompletableFuture<>();

  private SocketClient(WebSocket.Builder builder, String url) {
    try {
      this.socket = builder.buildAsync(URI.create(url), new Listener()).get(10, TimeUnit.SECONDS);
    } catch (InterruptedException | ExecutionException | TimeoutException e) {
      throw new IllegalStateException("cannot connect to " + url + ": " + e, e);
    }
  }

  static SocketClient connect(TerminalMason mason, String user) {
    return new SocketClient(CLIENT.newWebSocketBuilder().header("X-Forwarded-Email", user), mason.socketUrl());
  }

  /** Tries to connect; the failure (an upgrade refused) is returned instead of thrown. */
  static Throwable refusal(TerminalMason mason, WebSocket.Builder builder) {
    try {
      builder.buildAsync(URI.create(mason.socketUrl()), new WebSocket.Listener() {}).get(10, TimeUnit.SECONDS).abort();
      return null;
    } catch (ExecutionException e) {
      return e.getCause();
    } catch (InterruptedException | TimeoutException e) {
      throw new IllegalStateException(e);
    }
  }

  static WebSocket.Builder builder() {
    return CLIENT.newWebSocketBuilder();
  }

  SocketClient send(Object... keysAndValues) {
    sendText(socket, TerminalMason.Json.object(keysAndValues));
    return this;
  }

  /** The JDK client refuses overlapping sends; the test thread and the acknowledging listener take turns. */
  private void sendText(WebSocket target, String text) {
    synchronized (sendLock) {
      target.sendText(text, true).join();
    }
  }

  /** Joins and waits for {@code joined}; returns the offset the output starts at. */
  long join(String sessionId, Long offset, String readerId, boolean ack) {
    List<Object> fields = new ArrayList<>(List.of("type", "join", "session_id", sessionId, "ack", ack));
    if (offset != null) {
      fields.add("offset");
      fields.add(offset);
    }
    if (readerId != null) {
      fields.add("reader_id");
      fields.add(readerId);
    }
    acknowledging.set(ack);
    send(fields.toArray());
    JsonNode joined = awaitMessage("joined");
    joinedAt.set(joined.get("offset").asLong());
    return joinedAt.get();
  }

  long join(String sessionId) {
    return join(sessionId, null, null, false);
  }

  void type(String text) {
    send("type", "input", "data", text);
  }

  void sendBinary(byte[] bytes) {
    synchronized (sendLock) {
      socket.sendBinary(ByteBuffer.wrap(bytes), true).join();
    }
  }

  /** Stops taking frames from the network: the server's sends back up, as behind a stalled browser. */
  void stopReading() {
    reading.set(false);
  }

  void resumeReading() {
    if (reading.compareAndSet(false, true)) {
      socket.request(1);
    }
  }

  byte[] bytes() {
    synchronized (output) {
      return output.toByteArray();
    }
  }

  String text() {
    return new String(bytes(), StandardCharsets.UTF_8);
  }

  void awaitText(String fragment, Duration limit) {
    Eventually.await(limit, "'" + fragment + "' on the WebSocket (got: " + tail() + ")", () -> text().contains(fragment));
  }

  JsonNode awaitMessage(String type) {
    return awaitMessage(type, Duration.ofSeconds(15));
  }

  JsonNode awaitMessage(String type, Duration limit) {
    JsonNode[] found = new JsonNode[1];
    Eventually.await(limit, "a '" + type + "' message (got " + messages() + ")", () -> {
      for (JsonNode message : messages()) {
        if (message.get("type").asText().equals(type)) {
          found[0] = message;
          return true;
        }
      }
      return false;
    });
    return found[0];
  }

  List<JsonNode> messages() {
    synchronized (messages) {
      return List.copyOf(messages);
    }
  }

  boolean isClosed() {
    return closed.isDone();
  }

  /** Closes abruptly, as a dropped network or a closed tab. */
  @Override
  public void close() {
    socket.abort();
  }

  private String tail() {
    String t = text();
    return t.length() > 300 ? "…" + t.substring(t.length() - 300) : t;
  }

  private final class Listener implements WebSocket.Listener {
    private final StringBuilder text = new StringBuilder();

    @Override
    public void onOpen(WebSocket webSocket) {
      webSocket.request(1);
    }

    @Override
    public CompletionStage<?> onBinary(WebSocket webSocket, ByteBuffer data, boolean last) {
      byte[] bytes = new byte[data.remaining()];
      data.get(bytes);
      long received;
      synchronized (output) {
        output.write(bytes, 0, bytes.length);
        received = output.size();
      }
      if (acknowledging.get() && last) {
        sendText(webSocket, TerminalMason.Json.object("type", "ack", "offset", joinedAt.get() + received));
      }
      if (reading.get()) {
        webSocket.request(1);
      }
      return null;
    }

    @Override
    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
      text.append(data);
      if (last) {
        try {
          JsonNode message = Json.MAPPER.readTree(text.toString());
          synchronized (messages) {
            messages.add(message);
          }
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
        text.setLength(0);
      }
      if (reading.get()) {
        webSocket.request(1);
      }
      return null;
    }

    @Override
    public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
      closed.complete(statusCode);
      return null;
    }

    @Override
    public void onError(WebSocket webSocket, Throwable error) {
      closed.complete(-1);
    }
  }
}
