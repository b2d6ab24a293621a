package dev.mason.agent;

import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.mason.agent.event.AgentEvent;
import dev.mason.agent.event.ExecutionStatus;
import dev.mason.agent.event.LoggedEvent;
import dev.mason.agent.llm.ModelRouter;
import dev.mason.agent.llm.ModelSettings;
import dev.mason.agent.message.ChatMessage;
import dev.mason.agent.message.ContentBlock;
import dev.mason.agent.tool.Tool;
import dev.mason.agent.tool.ToolContext;
import dev.mason.bus.Change;
import dev.mason.bus.ChangeBus;
import dev.mason.common.Periodic;
import dev.mason.common.Refusal;
import dev.mason.identity.Caller;
import dev.mason.project.Conversation;
import dev.mason.project.ConversationSettings;
import dev.mason.project.Message;
import dev.mason.project.Project;
import dev.mason.project.ProjectService;
import dev.mason.project.Transcripts;
import dev.mason.store.Database;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts agent runs, follows and stops them, and answers for them after they end — also after a
 * restart, from the database.
 *
 * <p>Each run is one virtual thread. {@code running} holds the runs of this process; it is the
 * only shared state, a concurrent map.
 */
public final class ExecutionService implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(ExecutionService.class);
  private static final Duration SHUTDOWN_LIMIT = Duration.ofSeconds(4);
  private static final Duration MIN_WRITER_WAIT = Duration.ofMillis(500);
  private static final Duration DELETE_WAIT = Duration.ofSeconds(5);
  static final Duration KEEPALIVE = Duration.ofSeconds(15);
  /** The engine of runs on Mason's own agent loop, as traces name it. */
  static final String RUNTIME = "mason-agent";

  /** The tools of one run, decided per caller (a workspace's tools only when one is configured). */
  public interface RunTools {
    List<Tool> forRun(Caller caller, UUID projectId);
  }

  /** The skills enabled for a project, as the system prompt lists them. */
  public interface PromptSkills {
    List<SystemPrompt.SkillLine> enabled(Caller caller, UUID projectId);
  }

  private final ProjectService projects;
  private final Transcripts conversations;
  private final ExecutionStore store;
  private final EventWriter writer;
  private final ModelSettings models;
  private final Function<Caller, ModelRouter> routers;
  private final RunTools tools;
  private final PromptSkills skills;
  private final String workspaceUrl;
  private final AgentLimits limits;
  private final TitleWriter titles;
  private final Database db;
  private final ChangeBus changes;
  private final Periodic leftoverSweep;
  private final RunListener listener;
  /** The runtimes other than Mason's own loop, by the name a conversation's {@code runtime} setting gives. */
  private final Map<String, AgentRuntime> runtimes;
  private final Map<UUID, RunningExecution> running = new ConcurrentHashMap<>();
  private final Map<UUID, Thread> threads = new ConcurrentHashMap<>();
  private volatile boolean shuttingDown;

  /**
   * @param routers the model clients a caller's runs use: on Databricks Apps the workspace's
   *     endpoints are called with the user's own token or the app's, as the application decides
   * @param runtimes the engines other than Mason's own loop a conversation can choose
   */
  public ExecutionService(Database db, ProjectService projects, ModelSettings models, Function<Caller, ModelRouter> routers,
      RunTools tools, PromptSkills skills, String workspaceUrl, AgentLimits limits, RunListener listener, ChangeBus changes,
      List<AgentRuntime> runtimes) {
    this.projects = projects;
    this.conversations = projects.transcripts();
    this.store = new ExecutionStore(db, changes);
    this.changes = changes;
    this.writer = new EventWriter(store);
    this.models = models;
    this.routers = routers;
    this.tools = tools;
    this.skills = skills;
    this.workspaceUrl = workspaceUrl;
    this.limits = limits;
    this.titles = new TitleWriter(models);
    this.db = db;
    this.listener = listener;
    this.runtimes = new java.util.LinkedHashMap<>();
    runtimes.forEach(r -> this.runtimes.put(r.name(), r));
    interruptLeftovers();
    this.leftoverSweep = db.runner().sweep("mason-leftover-runs", this::interruptLeftovers);
    // A stop the user sent to another Mason on the database, for a run going here.
    changes.onEvery(Change.Kind.EXECUTION_STOP_REQUESTED, change -> {
      RunningExecution run = running.get(change.executionId());
      if (run != null) {
        run.cancel();
      }
    });
  }

  /**
   * Closes the runs processes that are gone left running: what each had streamed (its partial
   * answer and the tool calls made so far) is kept in the conversation, marked interrupted, so the
   * next message resumes with it; then its log gets an error and done. At start-up, and
   * periodically for the runs of another Mason on the same database that died.
   */
  private void interruptLeftovers() {
    int closed = 0;
    for (ExecutionStore.Leftover left : store.leftovers()) {
      if (store.interrupt(left, () -> keepPartialAnswer(left))) {
        closed++;
      }
    }
    if (closed > 0) {
      log.warn("{} execution(s) left running by a process that is gone were marked interrupted", closed);
    }
  }

  private void keepPartialAnswer(ExecutionStore.Leftover left) {
    List<Message> stored = conversations.messages(left.conversationId());
    // The run's turns are saved in one transaction at its end: a user text last means none were.
    boolean saved = !stored.isEmpty() && !History.isUserText(stored.getLast());
    List<ChatMessage> partial = saved ? List.of() : PartialTurns.from(left.events());
    for (int i = 0; i < partial.size(); i++) {
      conversations.addMessage(left.conversationId(), partial.get(i).role().wire(), partial.get(i).contentJson(),
          false, i == partial.size() - 1, null);
    }
  }

  /** What {@code invoke_agent} answers at once. */
  public record Started(UUID executionId, UUID conversationId) {}

  /**
   * Starts a run in an existing conversation of the caller's project, exactly as
   * {@code POST /api/invoke_agent} does; for rooms that start runs themselves (the MCP room's
   * delegated tasks).
   *
   * @throws Refusal 404 when the caller has no such project or conversation, 409 when the
   *     conversation already has a running execution, 400 when no model is configured
   */
  public Started start(Caller caller, UUID projectId, UUID conversationId, String message) {
    return invoke(caller, new InvokeRequest(projectId.toString(), conversationId.toString(), message,
        ConversationSettings.NONE, null), "task");
  }

  /**
   * Every runtime a conversation can choose, in order: whether it can run here and, when not, why
   * ({@code GET /api/runtimes}, the Settings panel).
   */
  public List<Map<String, Object>> runtimes() {
    List<Map<String, Object>> list = new ArrayList<>();
    for (String name : ConversationSettings.RUNTIMES) {
      String reason = unavailable(name);
      var entry = new java.util.LinkedHashMap<String, Object>();
      entry.put("name", name);
      entry.put("label", name.equals("mason") ? "Mason" : "Claude Code");
      entry.put("available", reason == null);
      entry.put("reason", reason);
      entry.put("default", name.equals("mason"));
      list.add(entry);
    }
    return list;
  }

  /** Null when {@code runtime} (a name of {@link ConversationSettings#RUNTIMES}) can run here, else why not. */
  public String unavailable(String runtime) {
    if (runtime.equals("mason")) {
      return null;
    }
    AgentRuntime engine = runtimes.get(runtime);
    return engine == null ? "the " + runtime + " runtime is not set up in this Mason" : engine.unavailableReason();
  }

  private void requireAvailable(String runtime) {
    String reason = unavailable(runtime);
    if (reason != null) {
      throw Refusal.badRequest("runtime", "runtime " + runtime + " is not available: " + reason);
    }
  }

  /**
   * Completes with the run's final status (completed, cancelled, error or interrupted) once its
   * row and event log are finished; at once when the run has already ended, also when it ended in
   * an earlier process. Callbacks attached to it run on the run's thread: keep them short.
   */
  public CompletionStage<ExecutionStatus> whenFinished(UUID executionId) {
    RunningExecution run = running.get(executionId);
    if (run != null) {
      return run.finished().minimalCompletionStage();
    }
    // Not running here: it never was, or it ended, and then its row was final before it left `running`.
    return store.status(executionId).<CompletionStage<ExecutionStatus>>map(CompletableFuture::completedFuture)
        .orElseGet(() -> CompletableFuture.failedFuture(new IllegalArgumentException("no execution " + executionId)));
  }

  Started invoke(Caller caller, InvokeRequest request) {
    return invoke(caller, request, "chat");
  }

  /** @param source what started the run, for its trace: {@code chat} or {@code task} */
  private Started invoke(Caller caller, InvokeRequest request, String source) {
    if (shuttingDown) {
      throw new Refusal(503, "Mason is shutting down; send the message again in a moment", null);
    }
    Project project = projects.get(caller, request.project());
    if (!models.configured()) {
      throw new Refusal(400, models.whatToSet(), "model");
    }
    if (request.settings().runtime() != null && !request.settings().runtime().isBlank()) {
      requireAvailable(request.settings().runtime().trim());
    }
    Conversation conversation;
    boolean created;
    if (request.conversation() != null) {
      conversation = projects.updateConversation(caller, project.id(), request.conversation(), null, request.settings());
      created = false;
    } else {
      conversation = conversations.createConversation(project.id(), TitleWriter.provisional(request.message()),
          ConversationSettings.NONE.merge(request.settings()));
      created = true;
    }
    String runtime = conversation.settings().runtimeOrDefault();
    requireAvailable(runtime);
    String model = conversation.settings().model() != null ? conversation.settings().model() : models.defaultModel();
    List<Message> stored = created ? List.of() : conversations.messages(conversation.id());
    // One transaction: a run never exists without its message, nor a message without its run.
    Execution execution = db.inTransaction(h -> {
      if (created) {
        projects.conversationCreated(caller.user(), conversation);
      }
      Execution inserted = store.create(conversation.id(), project.id(), caller.user(), model, EventLog.SEQ_BLOCK)
          .orElseThrow(() -> Refusal.conflict("conversation " + conversation.id() + " already has a running execution; "
              + "stop it or wait for it to finish"));
      conversations.addMessage(conversation.id(), "user", ChatMessage.user(request.message()).contentJson(), false, false, null);
      return inserted;
    });

    EventLog events = new EventLog(execution.id(), writer, store::reserveSeq, EventLog.SEQ_BLOCK);
    RunningExecution run = new RunningExecution(execution, events);
    running.put(execution.id(), run);
    var start = new RunListener.RunStart(execution.id(), conversation.id(), project.id(), project.name(), caller, source,
        runtime.equals("mason") ? RUNTIME : runtime, model, request.message(), request.mlflowExperimentName());
    Thread thread = Thread.ofVirtual().name("agent-run-" + execution.id()).unstarted(() ->
        execute(caller, project, conversation, model, stored, start, run, created));
    threads.put(execution.id(), thread);
    thread.start();
    if (created) {
      String provisional = conversation.title();
      titles.writeLater(routers.apply(caller), model, request.message(),
          title -> projects.retitle(caller.user(), project.id(), conversation.id(), provisional, title));
    }
    return new Started(execution.id(), conversation.id());
  }

  /**
   * One run, start to end. Whatever throws inside it, the {@code finally} settles it: the turns
   * are saved, the log gets its last events and {@code done}, the row its final status, and the
   * run leaves this process's registries.
   */
  private void execute(Caller caller, Project project, Conversation conversation, String model, List<Message> stored,
      RunListener.RunStart start, RunningExecution run, boolean created) {
    Instant started = Instant.now();
    String message = start.message();
    Heard events = new Heard(run.events(), hear(start));
    AgentLoop.Outcome outcome = null;
    try {
      events.append(new AgentEvent.ConversationCreated(conversation.id(), created, run.execution().id()));
      Path folder = projects.folder(caller, project.id());
      AgentRuntime engine = runtimes.get(conversation.settings().runtimeOrDefault());
      if (engine != null) {
        outcome = runOn(engine, caller, project, conversation, model, folder, message, run, events);
        return;
      }
      List<Tool> runTools = tools.forRun(caller, project.id());
      String system = SystemPrompt.build(project.name(), conversation.settings(), workspaceUrl, readClaudeMd(folder),
          skills.enabled(caller, project.id()), runTools.stream().map(Tool::name).toList());
      List<ChatMessage> history = new ArrayList<>(History.replayable(stored));
      history.add(ChatMessage.user(message));
      var context = new ToolContext(caller, project.id(), folder, run.execution().id().toString(), run,
          todos -> events.append(new AgentEvent.Todos(todos.stream()
              .map(todo -> new AgentEvent.Todo(todo.content(), todo.status(), todo.id())).toList())));
      ModelRouter router = routers.apply(caller);
      var loop = new AgentLoop(router.clientFor(model), runTools,
          new HistoryCompactor(router.clientFor(models.miniModel()), models.miniModel()), limits);
      outcome = loop.run(model, system, history, context, events::append);
    } catch (Throwable e) {
      log.error("Execution {} failed", run.execution().id(), e);
      outcome = failed(e);
    } finally {
      settle(conversation, run, events, outcome != null ? outcome : failed(null), started);
    }
  }

  /**
   * One message on another runtime: its events go into the run's log, its session is stored on
   * the conversation as soon as it is known, and its end becomes the run's outcome.
   */
  private AgentLoop.Outcome runOn(AgentRuntime engine, Caller caller, Project project, Conversation conversation, String model,
      Path folder, String message, RunningExecution run, Heard events) {
    UUID conversationId = conversation.id();
    String session = conversations.runtimeSession(conversationId);
    String instructions = SystemPrompt.build(project.name(), conversation.settings(), workspaceUrl, null, List.of(), List.of());
    var request = new AgentRuntime.Request(caller, project.id(), conversationId, run.execution().id(), folder, model, message,
        instructions, session, run);
    String[] stored = {session};
    AgentRuntime.Result result = engine.run(request, new AgentRuntime.Events() {
      @Override
      public void emit(AgentEvent event) {
        events.append(event);
      }

      @Override
      public void session(String sessionId) {
        if (!sessionId.equals(stored[0])) {
          conversations.setRuntimeSession(conversationId, sessionId);
          stored[0] = sessionId;
        }
      }
    });
    if (!java.util.Objects.equals(result.sessionId(), stored[0])) {
      conversations.setRuntimeSession(conversationId, result.sessionId());
    }
    return new AgentLoop.Outcome(result.added(), result.status(), result.error(), result.usage(), result.turns(), result.costUsd());
  }

  private RunListener.Run hear(RunListener.RunStart start) {
    try {
      return listener.started(start);
    } catch (RuntimeException e) {
      log.warn("Execution {}: its listener failed at the start and hears nothing of it: {}", start.executionId(), e.toString());
      return RunListener.Run.IGNORED;
    }
  }

  /**
   * A run's log and its listener: each appended event is handed on to the listener, whose
   * failures are logged and never reach the run.
   */
  private record Heard(EventLog log, RunListener.Run listener) {
    void append(AgentEvent event) {
      LoggedEvent logged = log.append(event);
      try {
        listener.event(logged);
      } catch (RuntimeException e) {
        ExecutionService.log.warn("Execution {}: its listener failed on a {} event: {}", log.executionId(), event.type(), e.toString());
      }
    }

    void ended(ExecutionStatus status) {
      try {
        listener.ended(status);
      } catch (RuntimeException e) {
        ExecutionService.log.warn("Execution {}: its listener failed at the end: {}", log.executionId(), e.toString());
      }
    }
  }

  private static AgentLoop.Outcome failed(Throwable e) {
    String reason = e != null && e.getMessage() != null ? e.getMessage() : "an internal error; Mason's log has the details";
    return new AgentLoop.Outcome(List.of(), ExecutionStatus.ERROR, "the run failed: " + reason, null, 0);
  }

  private void settle(Conversation conversation, RunningExecution run, Heard heard, AgentLoop.Outcome outcome,
      Instant started) {
    EventLog events = run.events();
    ExecutionStatus status = run.isCancelled() && outcome.status() != ExecutionStatus.ERROR ? ExecutionStatus.CANCELLED
        : outcome.status();
    if (shuttingDown && status == ExecutionStatus.CANCELLED) {
      status = ExecutionStatus.INTERRUPTED;
      outcome = new AgentLoop.Outcome(outcome.added(), status,
          "Mason stopped during the run; send the message again to continue", outcome.usage(), outcome.turns());
    }
    try {
      try {
        saveTurns(conversation.id(), outcome, status);
      } catch (RuntimeException e) {
        log.warn("Execution {}: its turns could not be saved: {}", run.execution().id(), e.toString());
      }
      try {
        if (status == ExecutionStatus.ERROR || status == ExecutionStatus.INTERRUPTED) {
          heard.append(AgentEvent.Error.ended(outcome.error() != null ? outcome.error() : "the run failed",
              status == ExecutionStatus.INTERRUPTED));
        } else if (status == ExecutionStatus.CANCELLED) {
          heard.append(new AgentEvent.Cancelled());
        }
        heard.append(new AgentEvent.Result(status, status == ExecutionStatus.ERROR,
            Math.max(0, Duration.between(started, Instant.now()).toMillis()), outcome.turns(),
            outcome.usage() != null ? AgentLoop.tokens(outcome.usage()) : null, outcome.costUsd()));
        // The row is final only once every event before done is stored, and together with done.
        events.awaitWritten();
      } finally {
        ExecutionStatus finalStatus = status;
        String error = outcome.error();
        events.finish(new AgentEvent.Done(status), done -> store.finish(run.execution(), finalStatus, error, done));
      }
    } finally {
      running.remove(run.execution().id());
      threads.remove(run.execution().id());
      heard.ended(status);
      run.finished().complete(status);
    }
  }

  /** Stores what the run added; the last assistant message carries the run's usage and the cancel mark. */
  private void saveTurns(UUID conversationId, AgentLoop.Outcome outcome, ExecutionStatus status) {
    // One transaction: after a crash, the turns of a run are either all stored or none are.
    db.inTransaction(h -> {
      addTurns(conversationId, outcome, status);
      return null;
    });
  }

  private void addTurns(UUID conversationId, AgentLoop.Outcome outcome, ExecutionStatus status) {
    List<ChatMessage> added = outcome.added();
    for (int i = 0; i < added.size(); i++) {
      ChatMessage message = added.get(i);
      boolean last = i == added.size() - 1;
      ArrayNode content = message.contentJson();
      conversations.addMessage(conversationId, message.role().wire(), content, false,
          last && status != ExecutionStatus.COMPLETED,
          last && outcome.usage() != null ? dev.mason.web.Json.MAPPER.valueToTree(AgentLoop.tokens(outcome.usage())) : null);
    }
    if (status == ExecutionStatus.ERROR && outcome.error() != null) {
      conversations.addMessage(conversationId, "assistant",
          new ChatMessage(ChatMessage.Role.ASSISTANT, List.of(new ContentBlock.Text("Error: " + outcome.error()))).contentJson(),
          true, false, null);
    } else if (status != ExecutionStatus.COMPLETED && (added.isEmpty() || added.getLast().role() != ChatMessage.Role.ASSISTANT)) {
      conversations.addMessage(conversationId, "assistant",
          new ChatMessage(ChatMessage.Role.ASSISTANT, List.of(new ContentBlock.Text("(stopped)"))).contentJson(),
          false, true, null);
    }
  }

  private static String readClaudeMd(Path folder) {
    try {
      Path file = folder.resolve("CLAUDE.md");
      return Files.isRegularFile(file) ? Files.readString(file, StandardCharsets.UTF_8) : null;
    } catch (IOException e) {
      return null;
    }
  }

  /**
   * The system prompt a run would get now: the conversation's settings (when one is given) with
   * {@code overrides} applied, the project's CLAUDE.md and enabled skills, the tools on offer.
   */
  String previewPrompt(Caller caller, UUID projectId, UUID conversationId, ConversationSettings overrides) {
    Project project = projects.get(caller, projectId);
    ConversationSettings settings = conversationId == null ? ConversationSettings.NONE
        : projects.conversationSummary(caller, projectId, conversationId).settings();
    Path folder = projects.folder(caller, projectId);
    return SystemPrompt.build(project.name(), settings.merge(overrides), workspaceUrl, readClaudeMd(folder),
        skills.enabled(caller, projectId), tools.forRun(caller, projectId).stream().map(Tool::name).toList());
  }

  /** Where the run's trace can be seen, when it was traced by this process. */
  public java.util.Optional<String> traceUrl(UUID executionId) {
    return listener.traceUrl(executionId);
  }

  /** The caller's run as stored; 404 when they have none with this id. */
  public Execution find(Caller caller, UUID id) {
    return store.find(caller.user(), id).orElseThrow(() -> Refusal.notFound("execution " + id));
  }

  /**
   * Asks the caller's run to stop, wherever it runs: here, or in another Mason on the database,
   * which hears the request on the bus. False when it is not running (or was already asked here).
   * 404 when not theirs.
   */
  public boolean stop(Caller caller, UUID id) {
    Execution execution = find(caller, id);
    RunningExecution run = running.get(id);
    if (run != null) {
      return run.cancel();
    }
    if (!execution.running()) {
      return false;
    }
    changes.record(caller.user(), Change.execution(Change.Kind.EXECUTION_STOP_REQUESTED, execution.projectId(),
        execution.conversationId(), id, ExecutionStatus.RUNNING.wire()));
    return true;
  }

  /** The caller's project's conversations that have a running execution (in any Mason on the database). */
  List<UUID> runningConversations(Caller caller, UUID projectId) {
    projects.get(caller, projectId);
    return store.runningConversations(caller.user(), projectId);
  }

  /** {active, recent} of a conversation. */
  Map<String, Object> list(Caller caller, UUID projectId, UUID conversationId) {
    projects.conversationSummary(caller, projectId, conversationId);
    List<Execution> recent = store.recent(conversationId, 5);
    Execution active = recent.stream().filter(Execution::running).findFirst().orElse(null);
    var body = new java.util.LinkedHashMap<String, Object>();
    body.put("active", active);
    body.put("recent", recent);
    return body;
  }

  /** Receives the events of a stream; returns false when the client has gone. */
  interface EventSink {
    /** Writes an event; it reaches the client at the next {@link #flush()}. */
    boolean send(LoggedEvent event);

    boolean flush();

    boolean keepalive();
  }

  /**
   * Sends the events after {@code afterSeq} to {@code sink}, following a live run until its
   * {@code done}, then returns. Reads memory for runs of this process, the database otherwise.
   * The caller has checked that the execution is the caller's ({@link #find}).
   */
  void follow(Caller caller, UUID id, int afterSeq, EventSink sink) throws InterruptedException {
    int seq = afterSeq;
    while (true) {
      RunningExecution run = running.get(id);
      if (run != null) {
        EventLog.Slice slice = run.events().after(seq, KEEPALIVE);
        // A reader that fell behind gets what piled up in one write.
        for (LoggedEvent event : slice.events()) {
          if (!sink.send(event)) {
            return;
          }
          seq = event.seq();
        }
        if (!slice.events().isEmpty() && !sink.flush()) {
          return;
        }
        if (slice.complete()) {
          return;
        }
        if (slice.events().isEmpty() && !sink.keepalive()) {
          return;
        }
        continue;
      }
      List<LoggedEvent> stored = store.eventsAfter(id, seq, 1_000);
      for (LoggedEvent event : stored) {
        if (!sink.send(event)) {
          return;
        }
        seq = event.seq();
        if (event.event() instanceof AgentEvent.Done) {
          sink.flush();
          return;
        }
      }
      if (!stored.isEmpty() && !sink.flush()) {
        return;
      }
      if (stored.isEmpty()) {
        Execution execution = find(caller, id);
        if (!execution.running()) {
          return;
        }
        // Running but not in this process's memory: its writer has not caught up yet.
        Thread.sleep(100);
      }
    }
  }

  /**
   * Stops the runs of a project (or one of its conversations) in this process and waits for them
   * to settle, bounded, so that deleting their rows comes after their last writes.
   */
  public void stopAndWait(UUID projectId, UUID conversationId) {
    List<RunningExecution> stopping = running.values().stream()
        .filter(run -> run.execution().projectId().equals(projectId)
            && (conversationId == null || run.execution().conversationId().equals(conversationId)))
        .toList();
    stopping.forEach(RunningExecution::cancel);
    Instant deadline = Instant.now().plus(DELETE_WAIT);
    for (RunningExecution run : stopping) {
      try {
        run.finished().get(Math.max(1, Duration.between(Instant.now(), deadline).toMillis()), TimeUnit.MILLISECONDS);
      } catch (TimeoutException e) {
        log.warn("Execution {} did not stop within {} s; deleting it anyway", run.execution().id(), DELETE_WAIT.toSeconds());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      } catch (ExecutionException e) {
        // It ended, badly: that is all a delete needs.
      }
    }
  }

  /** Refuses new runs from now on; runs already started go on until {@link #close}. */
  public void refuseNewRuns() {
    shuttingDown = true;
  }

  /**
   * Stops every run, each ending interrupted with an error saying why, and waits for their logs,
   * bounded by {@code limit}: live readers receive the end of their run before the server closes.
   */
  public void close(Duration limit) {
    shuttingDown = true;
    leftoverSweep.close();
    Instant deadline = Instant.now().plus(limit);
    for (RunningExecution run : running.values()) {
      run.cancel();
    }
    for (Thread thread : threads.values()) {
      try {
        Duration left = Duration.between(Instant.now(), deadline);
        if (left.isNegative() || !thread.join(left)) {
          log.warn("Run {} did not end within {} ms of shutdown; a restart will mark it interrupted", thread.getName(),
              limit.toMillis());
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    }
    // After the runs: a run being stopped still talks to its process until it ends.
    runtimes.values().forEach(AgentRuntime::close);
    Duration left = Duration.between(Instant.now(), deadline);
    writer.close(left.compareTo(MIN_WRITER_WAIT) < 0 ? MIN_WRITER_WAIT : left);
  }

  @Override
  public void close() {
    close(SHUTDOWN_LIMIT);
  }
}
