package dev.mason.terminal;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mason.Application;
import dev.mason.testing.Api;
import dev.mason.testing.Eventually;
import dev.mason.testing.TestMason;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/**
 * A real Mason for terminal tests, as {@link TestMason} starts it (embedded PostgreSQL, port 0,
 * trusted identity headers), plus terminal settings: the shells' HOME is a fresh folder under
 * target/, and {@link #OWNER} owns the app unless the test says otherwise.
 */
final class TerminalMason implements AutoCloseable {
  static final String OWNER = "owner@example.com";
  private static final java.util.regex.Pattern SECRET = java.util.regex.Pattern.compile("SECRET=(mason-session-[A-Za-z0-9_-]{43})");

  private final Path home;
  private final Application app;

  private TerminalMason(Path home, Application app) {
    this.home = home;
    this.app = app;
  }

  static TerminalMason start() {
    return start(Map.of());
  }

  /** @param terminalEnv variables for {@link TerminalSettings#fromEnv}, over the process environment */
  static TerminalMason start(Map<String, String> terminalEnv) {
    Path masonHome = TestMason.freshHome();
    Path userHome = masonHome.resolve("user");
    try {
      Files.createDirectories(userHome);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
    Map<String, String> env = new HashMap<>();
    env.put("HOME", userHome.toString());
    env.put("APP_OWNER", OWNER);
    env.putAll(terminalEnv);
    TestMason mason = TestMason.startAt(masonHome, env);
    return new TerminalMason(userHome, mason.app());
  }

  Path home() {
    return home;
  }

  Api owner() {
    return as(OWNER);
  }

  Api as(String user) {
    return new Api(baseUrl(), Map.of("X-Forwarded-Email", user));
  }

  String baseUrl() {
    return "http://127.0.0.1:" + app.port();
  }

  String socketUrl() {
    return "ws://127.0.0.1:" + app.port() + TerminalRoutes.SOCKET_PATH;
  }

  /** Starts a shell and waits for its first prompt. */
  String newSession() {
    var created = owner().post("/api/session", "{\"label\": \"test\"}");
    if (created.status() != 200) {
      throw new AssertionError("cannot create a session: " + created);
    }
    String id = created.json().get("session_id").asText();
    Eventually.await(Duration.ofSeconds(15), "the shell to print a prompt", () -> status(id).get("output_offset").asLong() > 0);
    return id;
  }

  /** The session's entry in GET /api/sessions, or null. */
  JsonNode status(String sessionId) {
    for (JsonNode session : owner().get("/api/sessions").json()) {
      if (session.get("session_id").asText().equals(sessionId)) {
        return session;
      }
    }
    return null;
  }

  /** The session's gateway secret, as its shell sees it ({@code $MASON_SESSION_SECRET}). */
  String sessionSecret(String sessionId) {
    Poller poller = new Poller(owner(), sessionId, "tab-secret-" + sessionId.substring(0, 4), 0, null);
    input(sessionId, "echo \"SECRET=$MASON_SESSION_SECRET\"; echo SEC-$((8*8))\n");
    java.util.regex.Matcher matcher = SECRET.matcher(poller.until("SEC-64", Duration.ofSeconds(15)).text());
    if (!matcher.find()) {
      throw new AssertionError("no session secret in the shell of " + sessionId);
    }
    return matcher.group(1);
  }

  void input(String sessionId, String text) {
    var response = owner().post("/api/input", Json.object("session_id", sessionId, "input", text));
    if (response.status() != 200) {
      throw new AssertionError("input failed: " + response);
    }
  }

  @Override
  public void close() {
    app.close();
  }

  /** Tiny JSON building for request bodies. */
  static final class Json {
    private Json() {}

    static String object(Object... keysAndValues) {
      Map<String, Object> map = new java.util.LinkedHashMap<>();
      for (int i = 0; i < keysAndValues.length; i += 2) {
        map.put((String) keysAndValues[i], keysAndValues[i + 1]);
      }
      return dev.mason.web.Json.write(map);
    }
  }
}
