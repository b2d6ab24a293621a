package dev.mason.mcp;

import dev.mason.agent.Execution;
import dev.mason.agent.event.ExecutionStatus;
import dev.mason.agent.ExecutionService;
import dev.mason.bus.ChangeBus;
import dev.mason.common.Periodic;
import dev.mason.common.Refusal;
import dev.mason.identity.Caller;
import dev.mason.project.Conversation;
import dev.mason.project.ConversationSettings;
import dev.mason.project.Project;
import dev.mason.project.ProjectService;
import dev.mason.store.Database;
import dev.mason.web.Json;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tasks other agents delegate through MCP, fire and forget: each runs as an agent execution in a
 * conversation of its owner's project (so a person can watch it in the chat page), at most
 * {@link McpSettings#maxTasksPerUser()} at once per user, the rest queued first come first served.
 *
 * <p>Lifecycle: queued → running → completed, error, cancelled, timeout or interrupted. A task
 * is stored before it starts; the run's end (observed through {@link ExecutionService#whenFinished})
 * collects its {@link TaskOutcome} and frees the slot. At start-up, tasks an earlier process left
 * running are marked interrupted, and queued ones go on waiting for a slot.
 *
 * <p>Runs act as their owner: with the latest credential the owner presented
 * ({@link PresentedCredentials}), which is never stored. A task that needs its owner's token and
 * is still queued after a restart starts when its owner next talks to {@code /mcp}.
 *
 * <p>Concurrency: decisions to start tasks are taken under {@code startLock}, one at a time, so
 * a user's running count cannot overshoot the limit; every change of a task's status is a
 * conditional update in {@link TaskStore}, so a run ending, a cancel and a timeout racing each
 * other leave exactly one final status. {@code endings} holds, for each task started here and not
 * yet ended, a future completed once its final status is stored; {@link #cancel} waits on it.
 */
public final class TaskService implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(TaskService.class);
  static final String DELEGATED_PROJECT = "Delegated tasks";
  static final int DEFAULT_TIMEOUT_SECONDS = (int) Duration.ofHours(1).toSeconds();
  static final int MAX_TIMEOUT_SECONDS = (int) Duration.ofHours(24).toSeconds();
  static final int MAX_PROMPT_CHARS = 100_000;
  static final Duration INBOX_WINDOW = Duration.ofHours(24);
  static final int INBOX_LIMIT = 100;
  /** How long a run asked to stop at its timeout may take before the task is ended without it. */
  static final Duration STOP_GRACE = Duration.ofSeconds(30);
  /** How long mason_cancel waits for a running task to end before answering. */
  static final Duration CANCEL_WAIT = Duration.ofSeconds(10);
  private static final int PROJECT_LOCKS = 16;
  private static final Duration STOP_LIMIT = Duration.ofSeconds(2);

  private final ProjectService projects;
  private final ExecutionService executions;
  private final McpSettings settings;
  private final TaskStore store;
  private final Clock clock;
  private final QueuedTaskStarter starter;
  private volatile Periodic leftoverSweep;
  private final TaskDeadlines deadlines = new TaskDeadlines();
  private final PresentedCredentials credentials;
  private final ReentrantLock startLock = new ReentrantLock();
  /** Striped by owner: two concurrent first tasks of a user make one "Delegated tasks" project. */
  private final ReentrantLock[] projectLocks = new ReentrantLock[PROJECT_LOCKS];
  private final Map<UUID, CompletableFuture<Void>> endings = new ConcurrentHashMap<>();
  private volatile boolean closed;

  public TaskService(Database db, ProjectService projects, ExecutionService executions, McpSettings settings,
      ChangeBus changes) {
    this.projects = projects;
    this.executions = executions;
    this.settings = settings;
    this.store = new TaskStore(db, changes);
    this.clock = Clock.systemUTC();
    this.starter = new QueuedTaskStarter(this::startQueued);
    this.credentials = new PresentedCredentials(starter::wake, clock);
    for (int i = 0; i < PROJECT_LOCKS; i++) {
      projectLocks[i] = new ReentrantLock();
    }
  }

  /**
   * Marks the tasks processes that are gone left running as interrupted (their runs were
   * interrupted with them), now and periodically for another Mason on the same database that
   * dies; and starts the worker that starts queued tasks.
   */
  public void start() {
    endLeftRunning();
    leftoverSweep = store.sweep("mcp-leftover-tasks", this::endLeftRunning);
    starter.start();
    starter.wake();
  }

  private void endLeftRunning() {
    for (DelegatedTask task : store.leftRunning()) {
      end(task, TaskStatus.INTERRUPTED, "Mason restarted while the task was running; run it again to continue");
    }
  }

  PresentedCredentials credentials() {
    return credentials;
  }

  McpSettings settings() {
    return settings;
  }

  /** What mason_run asks for; validated by the tool before it gets here. */
  /** @param runtime {@code mason} or {@code claude-code}; null for Mason's own agent */
  record RunRequest(String prompt, UUID projectId, String contextJson, int timeoutSeconds, String runtime) {}

  /** Stores a task for {@code caller} and starts it at once when they have a free slot. */
  Map<String, Object> run(Caller caller, RunRequest request, String baseUrl) {
    if (closed) {
      throw new Refusal(503, "Mason is shutting down; delegate the task again in a moment", null);
    }
    if (request.runtime() != null && executions.unavailable(request.runtime()) != null) {
      throw Refusal.badRequest("runtime", "runtime " + request.runtime() + " is not available: " + executions.unavailable(request.runtime()));
    }
    Project project = request.projectId() != null ? projects.get(caller, request.projectId()) : delegatedProject(caller);
    Conversation conversation = projects.createConversation(caller, project.id(),
        "Delegated: " + TaskViews.oneLine(request.prompt(), 60),
        new ConversationSettings(null, null, null, null, null, null, request.runtime()));
    DelegatedTask task = store.insert(caller.user(), project.id(), conversation.id(), request.prompt(),
        request.contextJson(), request.timeoutSeconds(), caller.accessToken() != null, clock.instant());
    log.info("Task {} delegated by {} in project {}", task.id(), caller.user(), project.id());
    startQueued(caller.user());
    return TaskViews.brief(store.find(caller.user(), task.id()).orElse(task), baseUrl);
  }

  /** The caller's tasks of the last 24 hours (and older ones not yet ended), newest first, with counts by status. */
  Map<String, Object> inbox(Caller caller, String status, String baseUrl) {
    Instant now = clock.instant();
    List<DelegatedTask> tasks = store.recent(caller.user(), now.minus(INBOX_WINDOW), status, INBOX_LIMIT);
    Map<String, Integer> counts = new TreeMap<>();
    tasks.forEach(task -> counts.merge(task.status().wire(), 1, Integer::sum));
    Map<String, Object> view = new LinkedHashMap<>();
    view.put("tasks", tasks.stream().map(task -> TaskViews.inboxEntry(task, baseUrl, now)).toList());
    view.put("counts", counts);
    return view;
  }

  Map<String, Object> result(Caller caller, UUID taskId, String baseUrl) {
    return TaskViews.result(find(caller, taskId), baseUrl, clock.instant());
  }

  /**
   * Cancels the caller's task: a queued one at once, a running one by stopping its run, waiting
   * up to {@link #CANCEL_WAIT} for its end to be stored (no polling: the task's ending completes
   * when the run's completion has been recorded). A task that already ended is left as it was.
   */
  Map<String, Object> cancel(Caller caller, UUID taskId, String baseUrl) {
    DelegatedTask task = find(caller, taskId);
    if (task.status() == TaskStatus.QUEUED && store.endQueued(taskId, TaskStatus.CANCELLED, null, clock.instant())) {
      log.info("Queued task {} cancelled by {}", taskId, caller.user());
      return withMessage(TaskViews.brief(find(caller, taskId), baseUrl), "The task was cancelled before it started.");
    }
    task = find(caller, taskId);
    if (task.status() == TaskStatus.RUNNING) {
      CompletableFuture<Void> ending = endings.get(taskId);
      store.requestStop(taskId, "cancel");
      stopRun(task);
      awaitEnd(taskId, ending);
      task = find(caller, taskId);
      log.info("Running task {} cancelled by {}; now {}", taskId, caller.user(), task.status());
      return withMessage(TaskViews.brief(task, baseUrl), task.status() == TaskStatus.RUNNING
          ? "Stop requested; the run is ending." : "The task was stopped.");
    }
    return withMessage(TaskViews.brief(task, baseUrl), "The task had already ended (" + task.status() + ").");
  }

  /**
   * Waits, up to {@link #CANCEL_WAIT}, for the task's end to be stored. Without an ending (its run
   * started in another process, or is still being started here) there is nothing to wait on.
   */
  private void awaitEnd(UUID taskId, CompletableFuture<Void> ending) {
    if (ending == null) {
      return;
    }
    try {
      ending.get(CANCEL_WAIT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      log.info("Task {} had not ended {} s after it was asked to stop", taskId, CANCEL_WAIT.toSeconds());
    } catch (ExecutionException e) {
      // The ending is only ever completed normally; nothing to add.
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new Refusal(503, "interrupted while waiting for the task to stop", null);
    }
  }

  private DelegatedTask find(Caller caller, UUID taskId) {
    return store.find(caller.user(), taskId).orElseThrow(() -> Refusal.notFound("task " + taskId));
  }

  private Project delegatedProject(Caller caller) {
    ReentrantLock lock = projectLocks[Math.floorMod(caller.user().hashCode(), PROJECT_LOCKS)];
    lock.lock();
    try {
      // Listed newest first: the oldest project of that name is the one to keep using.
      return projects.list(caller).stream().filter(p -> p.name().equals(DELEGATED_PROJECT)).reduce((a, b) -> b)
          .orElseGet(() -> projects.create(caller, DELEGATED_PROJECT));
    } finally {
      lock.unlock();
    }
  }

  /** One pass of the starter: every owner with queued tasks, the one waiting longest first. */
  private void startQueued() {
    for (String owner : store.ownersWithQueued()) {
      startQueued(owner);
    }
  }

  /** Starts the owner's queued tasks, oldest first, while they have free slots and a usable credential. */
  private void startQueued(String owner) {
    startLock.lock();
    try {
      if (closed) {
        return;
      }
      int free = settings.maxTasksPerUser() - store.countRunning(owner);
      if (free <= 0) {
        return;
      }
      for (DelegatedTask task : store.queued(owner, free)) {
        Optional<Caller> caller = runAs(task);
        if (caller.isEmpty()) {
          // First come first served: the tasks behind it wait for the owner too.
          return;
        }
        begin(task, caller.get());
      }
    } finally {
      startLock.unlock();
    }
  }

  /** The identity the task's run acts as, or empty while its owner's token is unknown to this process. */
  private Optional<Caller> runAs(DelegatedTask task) {
    Optional<Caller> presented = credentials.current(task.owner());
    if (presented.isPresent() || task.needsToken()) {
      return presented;
    }
    // Delegated through the Apps proxy without a forwarded token: it ran with Mason's credentials then, too.
    return Optional.of(new Caller(task.owner(), null, Caller.Source.FORWARDED_HEADERS));
  }

  private void begin(DelegatedTask task, Caller caller) {
    if (!store.claim(task.id(), clock.instant())) {
      return;
    }
    endings.put(task.id(), new CompletableFuture<>());
    ExecutionService.Started started;
    try {
      started = executions.start(caller, task.projectId(), task.conversationId(), TaskPrompt.of(task));
    } catch (Refusal e) {
      end(task.id(), TaskStatus.ERROR, "the task could not start: " + e.getMessage());
      return;
    } catch (RuntimeException e) {
      log.error("Task {} could not start", task.id(), e);
      end(task.id(), TaskStatus.ERROR, "the task could not start: " + e.getClass().getSimpleName());
      return;
    }
    UUID executionId = started.executionId();
    store.setExecution(task.id(), executionId);
    // A cancel that came while the run was being started found no run to stop: stop it now.
    store.find(task.id()).filter(t -> t.stopReason() != null).ifPresent(this::stopRun);
    log.info("Task {} of {} started as execution {}", task.id(), task.owner(), executionId);
    deadlines.schedule(task.id(), Duration.ofSeconds(task.timeoutSeconds()), () -> timeOut(task.id()));
    executions.whenFinished(executionId).whenComplete((status, failure) -> {
      try {
        runEnded(task.id(), status, failure);
      } catch (RuntimeException e) {
        log.error("Recording the end of task {} failed", task.id(), e);
      }
    });
  }

  /** The run of a task ended with {@code executionStatus}: its task ends with the matching status. */
  private void runEnded(UUID taskId, ExecutionStatus executionStatus, Throwable failure) {
    deadlines.cancel(taskId);
    DelegatedTask task = store.find(taskId).orElse(null);
    if (task != null && task.status() == TaskStatus.RUNNING) {
      TaskStatus status = failure != null ? TaskStatus.ERROR
          : TaskStatus.afterRun(executionStatus, "timeout".equals(task.stopReason()));
      String error = switch (status) {
        case TIMEOUT -> "stopped after its timeout of " + task.timeoutSeconds() + " s";
        case INTERRUPTED -> "Mason stopped while the task was running; run it again to continue";
        case ERROR -> runError(task, failure);
        default -> null;
      };
      end(task, status, error);
    } else {
      ended(taskId);
    }
    starter.wake();
  }

  private String runError(DelegatedTask task, Throwable failure) {
    if (failure != null) {
      return "the run could not be followed: " + failure.getMessage();
    }
    try {
      Execution execution = executions.find(owner(task), task.executionId());
      return execution.error() != null ? execution.error() : "the run failed";
    } catch (Refusal e) {
      return "the run failed";
    }
  }

  /** The deadline of a running task passed: its run is stopped, and ended without it if it does not stop. */
  private void timeOut(UUID taskId) {
    DelegatedTask task = store.find(taskId).orElse(null);
    if (task == null || task.status() != TaskStatus.RUNNING) {
      return;
    }
    log.info("Task {} reached its timeout of {} s; stopping it", taskId, task.timeoutSeconds());
    store.requestStop(taskId, "timeout");
    stopRun(task);
    deadlines.schedule(taskId, STOP_GRACE, () -> store.find(taskId)
        .filter(t -> t.status() == TaskStatus.RUNNING)
        .ifPresent(t -> {
          log.warn("Task {} did not stop within {} s of its timeout; ending it without its run", taskId, STOP_GRACE.toSeconds());
          end(t, TaskStatus.TIMEOUT, "stopped after its timeout of " + t.timeoutSeconds() + " s (the run did not stop in time)");
          starter.wake();
        }));
  }

  private void stopRun(DelegatedTask task) {
    if (task.executionId() != null) {
      try {
        executions.stop(owner(task), task.executionId());
      } catch (Refusal e) {
        log.warn("Task {}: its execution {} is gone: {}", task.id(), task.executionId(), e.getMessage());
      }
    }
  }

  private void end(UUID taskId, TaskStatus status, String error) {
    store.find(taskId).ifPresent(task -> {
      if (task.status() == TaskStatus.QUEUED) {
        store.endQueued(taskId, status, error, clock.instant());
      } else {
        end(task, status, error);
      }
    });
    ended(taskId);
  }

  /** The task's end is stored (or it had already ended): whoever waits on it goes on. */
  private void ended(UUID taskId) {
    CompletableFuture<Void> ending = endings.remove(taskId);
    if (ending != null) {
      ending.complete(null);
    }
  }

  /** Ends a running task with its outcome, collected from its conversation and folder. */
  private void end(DelegatedTask task, TaskStatus status, String error) {
    Instant now = clock.instant();
    TaskOutcome outcome;
    try {
      outcome = TaskOutcome.collect(projects, task, status == TaskStatus.ERROR ? error : null, now);
    } catch (RuntimeException e) {
      log.warn("Collecting the outcome of task {} failed: {}", task.id(), e.toString());
      outcome = TaskOutcome.NONE;
    }
    try {
      if (store.finish(task.id(), status, error, Json.write(outcome.toJson()), now)) {
        log.info("Task {} of {} ended: {}", task.id(), task.owner(), status);
      }
    } finally {
      ended(task.id());
    }
  }

  /** The owner as a caller for owner-scoped reads and stops; no workspace call is made with it. */
  private static Caller owner(DelegatedTask task) {
    return new Caller(task.owner(), null, Caller.Source.LOCAL);
  }

  private static Map<String, Object> withMessage(Map<String, Object> view, String message) {
    view.put("message", message);
    return view;
  }

  /**
   * Stops starting tasks and drops pending deadlines. Runs still going are stopped by the agent
   * engine, which is closed after this; their tasks then end as interrupted.
   */
  @Override
  public void close() {
    closed = true;
    if (leftoverSweep != null) {
      leftoverSweep.close();
    }
    starter.close();
    // Wait for a start in progress, so none begins after the agent engine started to stop.
    try {
      if (startLock.tryLock(STOP_LIMIT.toMillis(), TimeUnit.MILLISECONDS)) {
        startLock.unlock();
      } else {
        log.warn("A task was still being started {} s after shutdown began", STOP_LIMIT.toSeconds());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    deadlines.close();
  }
}
