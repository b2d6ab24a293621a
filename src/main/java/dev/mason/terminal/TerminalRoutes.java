package dev.mason.terminal;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mason.identity.AppOwner;
import dev.mason.identity.IdentityResolver;
import dev.mason.terminal.TerminalRequests.Attach;
import dev.mason.terminal.TerminalRequests.BatchPoll;
import dev.mason.terminal.TerminalRequests.Heartbeat;
import dev.mason.terminal.TerminalRequests.Input;
import dev.mason.terminal.TerminalRequests.NewSession;
import dev.mason.terminal.TerminalRequests.Poll;
import dev.mason.terminal.TerminalRequests.Resize;
import dev.mason.terminal.TerminalRequests.SessionRef;
import dev.mason.web.Json;
import dev.mason.web.PageOrigins;
import dev.mason.web.Requests;
import dev.mason.web.Routes;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.Handler;
import io.javalin.websocket.WsConfig;
import io.javalin.websocket.WsContext;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * The terminal room's HTTP API (the reference's paths and shapes, plus offsets so that reads
 * neither lose nor repeat output; see {@link TerminalRequests} and {@link PolledOutput}) and its
 * WebSocket, {@code /ws/terminal} (protocol in {@link TerminalSocket}). Every route, and the
 * WebSocket upgrade, is the app owner's alone.
 */
public final class TerminalRoutes implements Routes {
  static final String SOCKET_PATH = "/ws/terminal";
  private static final long MAX_MESSAGE_BYTES = InputPump.MAX_PENDING_BYTES + 4096;
  private static final Duration SOCKET_IDLE_TIMEOUT = Duration.ofMinutes(2);
  private static final long PING_SECONDS = 15;

  private final TerminalService service;
  private final IdentityResolver identity;
  private final TerminalAccess access;
  private final UploadEndpoint uploads;
  /** Connections by Jetty's WebSocket session id. */
  private final Map<String, TerminalSocket> sockets = new ConcurrentHashMap<>();

  /**
   * @param owner the only user allowed to use terminals, decided by the application (the
   *     {@code APP_OWNER} setting, the app's creator, the owner of the workspace token, or the local
   *     user); compared without regard to case
   * @param identity establishes the caller of a WebSocket upgrade: the server's request filters,
   *     which give {@link Requests#caller} its resolver, do not run on upgrades
   * @param origins the pages that may use terminals: the web server's own rule
   */
  public TerminalRoutes(TerminalService service, AppOwner owner, IdentityResolver identity, PageOrigins origins) {
    this.service = service;
    this.identity = identity;
    this.access = new TerminalAccess(owner, origins);
    this.uploads = new UploadEndpoint(service.uploads());
  }

  @Override
  public Set<String> multipartPaths() {
    return Set.of("/api/upload");
  }

  @Override
  public void addTo(RoutesConfig routes) {
    routes.post("/api/session", owned(this::create));
    routes.post("/api/input", owned(this::input));
    routes.post("/api/output", owned(this::output));
    routes.post("/api/output-batch", owned(this::outputBatch));
    routes.post("/api/heartbeat", owned(this::heartbeat));
    routes.post("/api/resize", owned(this::resize));
    routes.post("/api/session/close", owned(this::close));
    routes.get("/api/sessions", owned(this::sessions));
    routes.post("/api/session/attach", owned(this::attach));
    routes.post("/api/upload", owned(uploads::handle));
    routes.wsBeforeUpgrade(SOCKET_PATH, ctx -> access.check(ctx, identity.resolve(ctx::header)));
    routes.ws(SOCKET_PATH, this::socket);
  }

  /**
   * {@code handler} behind the terminal owner check (and the origin check): for the rooms whose
   * routes belong to the terminal owner too, the credential and the gateway's usage.
   */
  public Handler owned(Handler handler) {
    return ctx -> {
      access.check(ctx, Requests.caller(ctx));
      handler.handle(ctx);
    };
  }

  private void create(Context ctx) {
    String body = ctx.body();
    NewSession request = body.isBlank() ? new NewSession(null, null, null, null, null) : Json.read(body, NewSession.class);
    TerminalSession session = service.create(request.label(), request.cols(), request.rows(), request.cli(), request.directory());
    ctx.json(Map.of("session_id", session.id()));
  }

  private void input(Context ctx) {
    Input request = Json.read(ctx.body(), Input.class);
    service.get(request.sessionId()).write(request.input().getBytes(StandardCharsets.UTF_8));
    ok(ctx);
  }

  private void output(Context ctx) {
    Poll request = Json.read(ctx.body(), Poll.class);
    TerminalSession session = service.get(request.sessionId());
    ObjectNode body = Json.MAPPER.valueToTree(PolledOutput.read(session, request.offset(), request.readerId(), request.maxBytes()));
    body.put("shutting_down", service.shuttingDown());
    ctx.json(body);
  }

  /** Unknown sessions are left out of {@code outputs}, as in the reference. */
  private void outputBatch(Context ctx) {
    BatchPoll request = Json.read(ctx.body(), BatchPoll.class);
    Map<String, PolledOutput> outputs = new LinkedHashMap<>();
    for (String id : request.sessionIds()) {
      service.find(id).ifPresent(session ->
          outputs.put(id, PolledOutput.read(session, request.offsets().get(id), request.readerId(), request.maxBytes())));
    }
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("outputs", outputs);
    body.put("shutting_down", service.shuttingDown());
    ctx.json(body);
  }

  /** Presence without reading: keeps the session from the idle reaper and the reader's lease alive. */
  private void heartbeat(Context ctx) {
    Heartbeat request = Json.read(ctx.body(), Heartbeat.class);
    TerminalSession session = service.get(request.sessionId());
    boolean warned = session.closesAt() != null;
    session.touch();
    ReaderCursor reader = session.readers().find(request.readerId());
    if (reader != null) {
      reader.touch(System.nanoTime());
    }
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("status", "ok");
    body.put("timeout_warning", warned);
    ctx.json(body);
  }

  private void resize(Context ctx) {
    Resize request = Json.read(ctx.body(), Resize.class);
    service.get(request.sessionId()).resize(request.cols(), request.rows());
    ok(ctx);
  }

  private void close(Context ctx) {
    SessionRef request = Json.read(ctx.body(), SessionRef.class);
    if (service.close(request.sessionId())) {
      ok(ctx);
    } else {
      ctx.json(Map.of("status", "ok", "detail", "session not found"));
    }
  }

  private void sessions(Context ctx) {
    List<SessionStatus> statuses = service.list().stream().map(TerminalSession::status).toList();
    ctx.json(statuses);
  }

  /** Replays what the ring holds (or from {@code offset}) and places the reader after it. */
  private void attach(Context ctx) {
    Attach request = Json.read(ctx.body(), Attach.class);
    TerminalSession session = service.get(request.sessionId());
    long from = request.offset() != null ? request.offset() : session.ring().start();
    PolledOutput replay = PolledOutput.read(session, from, request.readerId(), session.ring().capacity());
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("session_id", session.id());
    body.put("label", session.label());
    body.put("output", List.of(replay.output()));
    body.put("process", session.status().process());
    body.put("created_at", session.createdAt());
    body.put("offset", replay.offset());
    body.put("next_offset", replay.nextOffset());
    body.put("gap", replay.gap());
    body.put("more", replay.more());
    body.put("exited", replay.exited());
    body.put("exit_code", replay.exitCode());
    ctx.json(body);
  }

  private static void ok(Context ctx) {
    ctx.json(Map.of("status", "ok"));
  }

  private void socket(WsConfig ws) {
    ws.onConnect(ctx -> {
      ctx.session.setMaxTextMessageSize(MAX_MESSAGE_BYTES);
      ctx.session.setMaxBinaryMessageSize(MAX_MESSAGE_BYTES);
      ctx.session.setMaxFrameSize(MAX_MESSAGE_BYTES);
      ctx.session.setIdleTimeout(SOCKET_IDLE_TIMEOUT);
      ctx.enableAutomaticPings(PING_SECONDS, TimeUnit.SECONDS);
      TerminalSocket socket = new TerminalSocket(ctx.session, service);
      sockets.put(ctx.sessionId(), socket);
      socket.start();
      if (service.shuttingDown()) {
        socket.announceShutdown();
      }
    });
    ws.onMessage(ctx -> socketOf(ctx).onText(ctx.message()));
    ws.onBinaryMessage(ctx -> socketOf(ctx).onBinary(ctx.data()));
    ws.onClose(this::disconnected);
    ws.onError(this::disconnected);
  }

  private TerminalSocket socketOf(WsContext ctx) {
    TerminalSocket socket = sockets.get(ctx.sessionId());
    if (socket == null) {
      throw new IllegalStateException("no terminal connection for WebSocket " + ctx.sessionId());
    }
    return socket;
  }

  private void disconnected(WsContext ctx) {
    ctx.disableAutomaticPings();
    TerminalSocket socket = sockets.remove(ctx.sessionId());
    if (socket != null) {
      socket.onClose();
    }
  }
}
