package dev.mason.mcp;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.ReentrantLock;

/**
 * {@code mason bridge --url https://<mason>/mcp}: connects an MCP client that only speaks stdio to
 * Mason's streamable HTTP endpoint. Each line on stdin is one JSON-RPC message, POSTed as it is;
 * each message the server answers (a JSON body, or the events of a {@code text/event-stream}) is
 * written to stdout as one line. stdout carries nothing else: diagnostics go to stderr.
 *
 * <p>The bridge presents a workspace token ({@link BridgeToken}), asks for a fresh one once when
 * Mason answers 401, and carries the {@code Mcp-Session-Id} and {@code MCP-Protocol-Version} the
 * server gave at initialize. When Mason cannot be reached or refuses a request, a request gets a
 * JSON-RPC error with its own id; a notification gets no answer (the error goes to stderr).
 *
 * <p>Concurrency: initialize is forwarded before the next line is read (its answer carries the
 * session); every other message on its own virtual thread, so a long tool call does not hold up
 * the rest. Writes to stdout are serialised by {@code writeLock}; the session fields are volatile.
 */
public final class McpBridge {
  static final int SERVER_ERROR = -32000;
  static final int PARSE_ERROR = -32700;
  private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);
  /** Longer than any tool call may take on the server (15 minutes), so the server ends it first. */
  private static final Duration REQUEST_TIMEOUT = Duration.ofMinutes(20);
  /** At the end of stdin, how long answers still on their way are awaited. */
  private static final Duration DRAIN_LIMIT = Duration.ofSeconds(30);
  private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(5);
  private static final String USAGE = "Usage: mason bridge --url https://<mason>/mcp [--profile NAME]\n"
      + "The token is DATABRICKS_TOKEN when set, else `databricks auth token` (profile: --profile, else "
      + "DATABRICKS_CONFIG_PROFILE, else the CLI's default).";

  private final URI url;
  private final BridgeToken token;
  private final PrintStream out;
  private final PrintStream err;
  private final HttpClient http = HttpClient.newBuilder()
      .version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(CONNECT_TIMEOUT)
      .followRedirects(HttpClient.Redirect.NEVER)
      .build();
  private final ReentrantLock writeLock = new ReentrantLock();
  private volatile String sessionId;
  private volatile String protocolVersion;

  private McpBridge(URI url, BridgeToken token, PrintStream out, PrintStream err) {
    this.url = url;
    this.token = token;
    this.out = out;
    this.err = err;
  }

  /** Runs the bridge until stdin ends; returns the process's exit code (2 for bad arguments). */
  public static int run(List<String> args, Map<String, String> env, InputStream in, PrintStream out, PrintStream err) {
    String url = null;
    String profile = env.get("DATABRICKS_CONFIG_PROFILE");
    for (int i = 0; i < args.size(); i++) {
      String arg = args.get(i);
      String name = arg.contains("=") ? arg.substring(0, arg.indexOf('=')) : arg;
      String value = arg.contains("=") ? arg.substring(arg.indexOf('=') + 1) : i + 1 < args.size() ? args.get(++i) : null;
      switch (name) {
        case "--url" -> url = value;
        case "--profile" -> profile = value;
        default -> {
          err.println("mason bridge: unknown argument " + arg + "\n" + USAGE);
          return 2;
        }
      }
    }
    if (url == null || url.isBlank()) {
      err.println("mason bridge: --url is required\n" + USAGE);
      return 2;
    }
    URI uri;
    try {
      uri = new URI(url.trim());
      if (!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme()) || uri.getHost() == null) {
        throw new URISyntaxException(url, "not an http:// or https:// URL");
      }
    } catch (URISyntaxException e) {
      err.println("mason bridge: --url " + url + " is not an http:// or https:// URL\n" + USAGE);
      return 2;
    }
    BridgeToken token = new BridgeToken(env, profile == null || profile.isBlank() ? null : profile.trim());
    err.println("mason bridge: forwarding stdio to " + uri + " with the token from " + token.source());
    return new McpBridge(uri, token, out, err).pump(in);
  }

  private int pump(InputStream in) {
    List<Thread> inFlight = new ArrayList<>();
    try (BufferedReader lines = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
      String line;
      while ((line = lines.readLine()) != null) {
        if (line.isBlank()) {
          continue;
        }
        JsonNode message;
        try {
          message = McpTools.WIRE.readTree(line);
        } catch (JsonProcessingException e) {
          write(error(null, PARSE_ERROR, "parse error: a line on stdin must be one JSON-RPC message"));
          continue;
        }
        if ("initialize".equals(message.path("method").asText())) {
          forward(message);
        } else {
          inFlight.removeIf(thread -> !thread.isAlive());
          inFlight.add(Thread.ofVirtual().name("bridge-" + message.path("method").asText("reply")).start(() -> forward(message)));
        }
      }
    } catch (IOException e) {
      err.println("mason bridge: reading stdin failed: " + e.getMessage());
    }
    awaitAll(inFlight);
    endSession();
    return 0;
  }

  /** Forwards one message; when that fails, a request gets an error answer and the rest a line on stderr. */
  private void forward(JsonNode message) {
    try {
      exchange(message, null);
    } catch (Failure failure) {
      List<JsonNode> requests = new ArrayList<>();
      (message.isArray() ? message : McpTools.WIRE.createArrayNode().add(message)).forEach(m -> {
        if (m.hasNonNull("id") && m.has("method")) {
          requests.add(m);
        }
      });
      err.println("mason bridge: " + failure.getMessage());
      requests.forEach(request -> write(error(request.get("id"), SERVER_ERROR, failure.getMessage())));
    }
  }

  /** @param rejected the token Mason refused on the first attempt, or null on the first attempt */
  private void exchange(JsonNode message, String rejected) throws Failure {
    String bearer;
    try {
      bearer = rejected == null ? token.current() : token.refresh(rejected);
    } catch (BridgeToken.Unavailable e) {
      throw new Failure(e.getMessage());
    }
    String session = sessionId;
    HttpRequest.Builder request = HttpRequest.newBuilder(url)
        .timeout(REQUEST_TIMEOUT)
        .header("Content-Type", "application/json")
        .header("Accept", "application/json, text/event-stream")
        .header("Authorization", "Bearer " + bearer)
        .POST(HttpRequest.BodyPublishers.ofString(McpTools.WIRE.valueToTree(message).toString(), StandardCharsets.UTF_8));
    if (session != null) {
      request.header(McpAuthFilter.SESSION_HEADER, session);
    }
    if (protocolVersion != null) {
      request.header("MCP-Protocol-Version", protocolVersion);
    }
    HttpResponse<InputStream> response;
    try {
      response = http.send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
    } catch (IOException e) {
      throw new Failure("cannot reach Mason at " + url + ": " + describe(e));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new Failure("interrupted while waiting for Mason");
    }
    int status = response.statusCode();
    if (status == 401 && rejected == null) {
      discard(response.body());
      err.println("mason bridge: Mason refused the token (401); getting a fresh one from " + token.source());
      exchange(message, bearer);
      return;
    }
    try (InputStream body = response.body()) {
      response.headers().firstValue(McpAuthFilter.SESSION_HEADER).ifPresent(id -> sessionId = id);
      if (status == 404 && session != null) {
        sessionId = null;
        throw new Failure("the MCP session ended (Mason restarted, or the session was idle too long); "
            + "restart this MCP server in your client to open a new one");
      }
      if (status == 202 || status == 204) {
        return;
      }
      if (status / 100 != 2) {
        throw new Failure("Mason answered HTTP " + status + ": " + reason(body.readAllBytes()));
      }
      String type = response.headers().firstValue("Content-Type").orElse("");
      if (type.startsWith("text/event-stream")) {
        relayEvents(body, message.path("id"));
      } else {
        byte[] bytes = body.readAllBytes();
        if (bytes.length > 0) {
          JsonNode answer = McpTools.WIRE.readTree(bytes);
          (answer.isArray() ? answer : McpTools.WIRE.createArrayNode().add(answer)).forEach(this::emit);
        }
      }
    } catch (IOException e) {
      throw new Failure("the answer from Mason was cut off: " + describe(e));
    }
  }

  /** Writes each event's data as a line, until the answer to {@code id} has been written or the stream ends. */
  private void relayEvents(InputStream body, JsonNode id) throws IOException {
    BufferedReader reader = new BufferedReader(new InputStreamReader(body, StandardCharsets.UTF_8));
    StringBuilder data = null;
    String line;
    while ((line = reader.readLine()) != null) {
      if (line.isEmpty()) {
        if (data != null) {
          JsonNode event = McpTools.WIRE.readTree(data.toString());
          emit(event);
          data = null;
          if (!id.isMissingNode() && id.equals(event.get("id")) && (event.has("result") || event.has("error"))) {
            return;
          }
        }
      } else if (line.startsWith("data:")) {
        String value = line.substring(5).startsWith(" ") ? line.substring(6) : line.substring(5);
        data = data == null ? new StringBuilder(value) : data.append('\n').append(value);
      }
      // event:, id:, retry: and comments carry nothing a stdio client needs.
    }
  }

  private void emit(JsonNode message) {
    if (message.path("result").hasNonNull("protocolVersion")) {
      protocolVersion = message.get("result").get("protocolVersion").asText();
    }
    write(message);
  }

  private void write(JsonNode message) {
    writeLock.lock();
    try {
      out.println(McpTools.WIRE.valueToTree(message).toString());
      out.flush();
    } finally {
      writeLock.unlock();
    }
  }

  private static ObjectNode error(JsonNode id, int code, String message) {
    ObjectNode answer = McpTools.WIRE.createObjectNode().put("jsonrpc", "2.0");
    answer.set("id", id == null ? McpTools.WIRE.nullNode() : id);
    answer.putObject("error").put("code", code).put("message", message);
    return answer;
  }

  /** What the server said: Mason's {"error": "..."}, a JSON-RPC error's message, or the start of the body. */
  private static String reason(byte[] body) {
    String text = new String(body, StandardCharsets.UTF_8);
    try {
      JsonNode json = McpTools.WIRE.readTree(text);
      JsonNode error = json.path("error");
      if (error.isTextual()) {
        return error.asText();
      }
      if (error.path("message").isTextual()) {
        return error.get("message").asText();
      }
      if (json.path("message").isTextual()) {
        return json.get("message").asText();
      }
    } catch (JsonProcessingException notJson) {
      // fall through to the raw text
    }
    String line = text.lines().filter(l -> !l.isBlank()).findFirst().orElse("no details");
    return line.length() > 200 ? line.substring(0, 200) + "…" : line;
  }

  private static void discard(InputStream body) {
    try {
      body.close();
    } catch (IOException e) {
      // nothing in it was needed
    }
  }

  private static String describe(IOException e) {
    String message = e.getMessage();
    return message == null || message.isBlank() ? e.getClass().getSimpleName() : message;
  }

  private void awaitAll(List<Thread> threads) {
    Instant deadline = Instant.now().plus(DRAIN_LIMIT);
    for (Thread thread : threads) {
      try {
        Duration left = Duration.between(Instant.now(), deadline);
        if (left.isNegative() || !thread.join(left)) {
          err.println("mason bridge: stdin ended; gave up waiting for answers after " + DRAIN_LIMIT.toSeconds() + " s");
          return;
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  /** Tells Mason the session is over (best effort): the client closed stdin. */
  private void endSession() {
    String session = sessionId;
    if (session == null) {
      return;
    }
    try {
      HttpRequest.Builder request = HttpRequest.newBuilder(url).timeout(CLOSE_TIMEOUT).DELETE()
          .header(McpAuthFilter.SESSION_HEADER, session)
          .header("Authorization", "Bearer " + token.current());
      if (protocolVersion != null) {
        request.header("MCP-Protocol-Version", protocolVersion);
      }
      http.send(request.build(), HttpResponse.BodyHandlers.discarding());
    } catch (IOException | BridgeToken.Unavailable e) {
      err.println("mason bridge: could not close the MCP session: " + e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** A message could not be delivered or was refused; the message is for the client and the log. */
  private static final class Failure extends Exception {
    Failure(String message) {
      super(message);
    }
  }
}
