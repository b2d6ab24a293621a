package dev.mason.agent.claudecode;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mason.agent.AgentRuntime;
import dev.mason.agent.event.AgentEvent;
import dev.mason.agent.event.ExecutionStatus;
import dev.mason.agent.message.ChatMessage;
import dev.mason.agent.message.ContentBlock;
import dev.mason.agent.tool.BashSandbox;
import dev.mason.common.AtomicFile;
import dev.mason.common.Periodic;
import dev.mason.identity.Caller;
import dev.mason.web.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code claude-code} runtime: each conversation's messages run in the real Claude Code CLI,
 * one process per conversation kept alive between messages ({@link ClaudeProcess}), so a later
 * message starts at once; a process idle for {@link #idle} is ended by the idle reaper, which looks
 * every quarter of that (at most every 30 s).
 *
 * <p>The process works in the project folder with permissions bypassed, its config in a folder of
 * Mason's ({@code CLAUDE_CONFIG_DIR}, never {@code ~/.claude}), its models through Mason's gateway
 * and Mason's Databricks tools through Mason's {@code /mcp}, both with secrets issued for this
 * conversation that act as the caller ({@link Wiring}). Its environment holds nothing of Mason's.
 * Where Mason's own Bash would be confined for the caller, Claude Code gets no Bash tool.
 *
 * <p>Concurrency: {@code processes} and {@code busy} are concurrent; the execution service runs at
 * most one message per conversation at a time, so a conversation's process has one user at once.
 */
public final class ClaudeCodeRuntime implements AgentRuntime {
  private static final Logger log = LoggerFactory.getLogger(ClaudeCodeRuntime.class);
  public static final String NAME = "claude-code";
  private static final Duration MAX_REAP_EVERY = Duration.ofSeconds(30);
  /** From stop to the process tree killed: the interrupt's answer is awaited this long. */
  static final Duration INTERRUPT_GRACE = Duration.ofMillis(700);
  private static final Duration POLL = Duration.ofMillis(50);
  private static final Duration GRACEFUL_EXIT = Duration.ofSeconds(3);
  /** After a result the CLI may still be appending the message's last lines to its transcript: copied again then. */
  private static final List<Duration> KEEP_AGAIN = List.of(Duration.ofSeconds(1), Duration.ofSeconds(3));
  static final String FRESH_NOTE = "(The earlier Claude Code session could not be resumed, so this answer starts a new one "
      + "without the earlier context.)";

  /** What the runtime needs from the rest of Mason, per conversation process. */
  public interface Wiring {
    /** The variables that send the CLI's model calls to Mason's gateway, acting as {@code caller}. */
    Map<String, String> models(String key, Caller caller);

    /** Mason's {@code /mcp} URL and a token that acts as {@code caller} there. */
    Mcp mcp(String key, Caller caller);

    /** A new message of the same user: their latest token behind the process's secrets from now on. */
    void refresh(String key, Caller caller);

    /** The process of {@code key} ended: its secrets open nothing any more. */
    void release(String key);

    /** Writes the project's enabled skills into {@code skillsFolder} ({@code .claude/skills}). */
    void writeSkills(Caller caller, UUID projectId, Path skillsFolder);

    /**
     * How {@code caller}'s process is confined, following Mason's own Bash for them: unconfined
     * where their Bash runs on the host; else without Bash, and, where their Bash runs in the
     * sandbox, the whole process in it too, so its file tools see only the project folder.
     */
    Confinement confinement(Caller caller);

    /** The model for the CLI's small side calls. */
    String miniModel();
  }

  public record Mcp(String url, String token) {}

  /** @param sandbox the sandbox the whole process runs in, or null */
  public record Confinement(boolean bash, BashSandbox sandbox) {
    public static final Confinement NONE = new Confinement(true, null);
  }

  private final ClaudeBinary.Lookup binaries;
  private final Path home;
  private final Path configDir;
  private final Wiring wiring;
  private final Duration idle;
  private final SessionFiles sessions;
  private final Map<UUID, ClaudeProcess> processes = new ConcurrentHashMap<>();
  private final Set<UUID> busy = ConcurrentHashMap.newKeySet();
  /** Held while a message marks its conversation busy and while the idle ones are picked out, so neither misses the other. */
  private final Object reaping = new Object();
  private final Periodic reaper;

  /** @param home the runtime's folder under MASON_HOME: the CLI's config, its home, the MCP configs */
  public ClaudeCodeRuntime(ClaudeBinary.Lookup binaries, Path home, Wiring wiring, Duration idle) {
    this.binaries = binaries;
    this.home = home;
    this.configDir = home.resolve("config");
    this.wiring = wiring;
    this.idle = idle;
    this.sessions = new SessionFiles(configDir);
    Duration quarter = idle.dividedBy(4);
    this.reaper = Periodic.start("claude-code-idle-reaper",
        quarter.compareTo(MAX_REAP_EVERY) > 0 ? MAX_REAP_EVERY : quarter, this::reapIdle);
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public String unavailableReason() {
    return binaries.find().problem();
  }

  /** The pid of the conversation's process, for tests and the benchmark; null when it has none. */
  public Long processId(UUID key) {
    ClaudeProcess process = processes.get(key);
    return process == null ? null : process.pid();
  }

  @Override
  public Result run(Request request, Events events) {
    ClaudeBinary binary = binaries.find();
    if (binary.path() == null) {
      return new Result(List.of(), ExecutionStatus.ERROR, binary.problem(), null, 0, null, request.sessionId());
    }
    synchronized (reaping) {
      busy.add(request.key());
    }
    try {
      return runBusy(binary.path(), request, events);
    } finally {
      busy.remove(request.key());
    }
  }

  private Result runBusy(Path binary, Request request, Events events) {
    Confinement confinement = wiring.confinement(request.caller());
    String fingerprint = request.caller().user() + "\n" + request.model() + "\n" + confinement.bash() + "\n"
        + (confinement.sandbox() != null) + "\n" + request.instructions();
    ClaudeProcess process = processes.get(request.key());
    if (process != null && (!process.alive() || !process.fingerprint().equals(fingerprint))) {
      end(request.key());
      process = null;
    }
    String resume = null;
    String note = null;
    boolean reused = process != null;
    try {
      if (process == null) {
        resume = resumable(request);
        note = request.sessionId() != null && resume == null ? FRESH_NOTE : null;
        process = start(binary, request, fingerprint, confinement, resume);
      }
    } catch (IOException e) {
      return new Result(List.of(), ExecutionStatus.ERROR, "Claude Code could not be started: " + e.getMessage(), null, 0, null, request.sessionId());
    }
    wiring.refresh(request.key().toString(), request.caller());
    Result result = converse(process, request, events, note, resume != null);
    if (result == null && reused) {
      // The kept process had ended on its own (killed, crashed) before it read the message: a new one resumes the session.
      end(request.key());
      try {
        resume = resumable(request);
        note = request.sessionId() != null && resume == null ? FRESH_NOTE : null;
        process = start(binary, request, fingerprint, confinement, resume);
      } catch (IOException e) {
        return new Result(List.of(), ExecutionStatus.ERROR, "Claude Code could not be started: " + e.getMessage(), null, 0, null, request.sessionId());
      }
      result = converse(process, request, events, note, resume != null);
    }
    if (result == null) {
      // The CLI ended before its first line: a session it could not resume, or a failed start. Once more, fresh.
      log.warn("Conversation {}: Claude Code ended before its first line{}: {}", request.key(),
          resume == null ? "" : " resuming session " + resume, process.stderrTail().lines().reduce((a, b) -> b).orElse("no message"));
      end(request.key());
      String again = resume != null || note != null ? FRESH_NOTE : null;
      try {
        process = start(binary, request, fingerprint, confinement, null);
      } catch (IOException e) {
        return new Result(List.of(), ExecutionStatus.ERROR, "Claude Code could not be started: " + e.getMessage(), null, 0, null, null);
      }
      result = converse(process, request, events, again, false);
      if (result == null) {
        String tail = process.stderrTail();
        end(request.key());
        return new Result(List.of(), ExecutionStatus.ERROR, "Claude Code ended before answering"
            + (tail.isEmpty() ? "" : ": " + lastLine(tail)), null, 0, null, null);
      }
    }
    process.session(result.sessionId());
    keep(request.key(), result.sessionId(), request.folder());
    keepAgainSoon(request.key(), result.sessionId(), request.folder());
    return result;
  }

  /** The conversation's session when the CLI can resume it here (its transcript put back where the CLI reads it), else null. */
  private String resumable(Request request) throws IOException {
    return request.sessionId() != null && sessions.prepare(request.sessionId(), request.folder()) ? request.sessionId() : null;
  }

  private void keepAgainSoon(UUID key, String sessionId, Path folder) {
    if (sessionId == null || folder == null) {
      return;
    }
    Thread.ofVirtual().name("claude-code-keep-" + key).start(() -> {
      try {
        for (Duration wait : KEEP_AGAIN) {
          Thread.sleep(wait);
          keep(key, sessionId, folder);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    });
  }

  /**
   * Copies the session's transcript into the project folder, for its backup. The CLI may still be
   * writing the message's last lines when its result arrives, so this runs again when the process
   * ends ({@link #end}) and before the next message.
   */
  private void keep(UUID key, String sessionId, Path folder) {
    if (sessionId == null || folder == null) {
      return;
    }
    try {
      sessions.keep(sessionId, folder);
    } catch (IOException e) {
      log.warn("Conversation {}: the Claude Code transcript could not be kept in the project folder: {}", key, e.toString());
    }
  }

  /**
   * One message on a running process, to its {@code result} line. Null when {@code resuming} and
   * the CLI ended the message before its {@code system/init} line: that is how a session that
   * cannot be resumed (missing, corrupt) shows ("No conversation found with session ID").
   */
  private Result converse(ClaudeProcess process, Request request, Events events, String note, boolean resuming) {
    MasonEvents out = new MasonEvents(events);
    StreamJsonTranslator translator = new StreamJsonTranslator(out);
    keep(request.key(), process.session(), request.folder());
    process.drain();
    process.touch();
    try {
      process.sendUserMessage(request.message());
    } catch (IOException e) {
      if (resuming && !process.alive()) {
        return null;
      }
      String tail = process.stderrTail();
      end(request.key());
      return failed(translator, request, "Claude Code did not take the message: " + (tail.isEmpty() ? e.getMessage() : lastLine(tail)));
    }
    boolean noteShown = false;
    Instant interruptedAt = null;
    try {
      while (true) {
        if (request.cancellation().isCancelled() && interruptedAt == null) {
          interruptedAt = Instant.now();
          process.interrupt();
        }
        if (interruptedAt != null && Duration.between(interruptedAt, Instant.now()).compareTo(INTERRUPT_GRACE) > 0) {
          break;
        }
        JsonNode line = process.next(POLL);
        if (line == null) {
          continue;
        }
        if (line == ClaudeProcess.EOF) {
          // Ended before its first line: a session it could not resume, or a start that failed at once.
          if (translator.sessionId() == null && interruptedAt == null && !noteShown) {
            return null;
          }
          break;
        }
        if (resuming && translator.sessionId() == null && line.path("type").asText().equals("result")) {
          return null;
        }
        if (note != null && !noteShown && !line.path("type").asText().equals("system")) {
          out.text(note);
          noteShown = true;
        }
        if (translator.accept(line)) {
          break;
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      interruptedAt = Instant.now();
    } finally {
      process.touch();
    }
    List<ChatMessage> added = withNote(translator.added(), noteShown ? note : null);
    StreamJsonTranslator.Ending ending = translator.ending();
    String sessionId = translator.sessionId() != null ? translator.sessionId() : request.sessionId();
    process.session(sessionId);
    if (interruptedAt != null) {
      // Stopped: interrupted first (the CLI records the stop in its transcript), then the whole tree ends.
      end(request.key(), false);
      return new Result(added, ExecutionStatus.CANCELLED, null, ending == null ? null : ending.usage(), translator.turns(), costOf(ending), sessionId);
    }
    if (ending == null) {
      String tail = process.stderrTail();
      end(request.key());
      return new Result(added, ExecutionStatus.ERROR, "Claude Code ended " + (translator.sessionId() == null ? "before answering" : "mid-answer")
          + (tail.isEmpty() ? "" : ": " + lastLine(tail)), null, translator.turns(), null, sessionId);
    }
    return new Result(added, ending.isError() ? ExecutionStatus.ERROR : ExecutionStatus.COMPLETED, ending.error(), ending.usage(),
        Math.max(ending.turns(), translator.turns()), ending.costUsd(), sessionId);
  }

  private static Double costOf(StreamJsonTranslator.Ending ending) {
    return ending == null ? null : ending.costUsd();
  }

  private static Result failed(StreamJsonTranslator translator, Request request, String error) {
    return new Result(translator.added(), ExecutionStatus.ERROR, error, null, translator.turns(), null, request.sessionId());
  }

  private static List<ChatMessage> withNote(List<ChatMessage> added, String note) {
    if (note == null) {
      return added;
    }
    List<ChatMessage> with = new ArrayList<>(added);
    if (!with.isEmpty() && with.getFirst().role() == ChatMessage.Role.ASSISTANT) {
      List<ContentBlock> blocks = new ArrayList<>(with.getFirst().content());
      blocks.addFirst(new ContentBlock.Text(note));
      with.set(0, new ChatMessage(ChatMessage.Role.ASSISTANT, blocks));
    } else {
      with.addFirst(new ChatMessage(ChatMessage.Role.ASSISTANT, List.of(new ContentBlock.Text(note))));
    }
    return with;
  }

  private static String lastLine(String text) {
    return text.lines().filter(l -> !l.isBlank()).reduce((a, b) -> b).orElse(text);
  }

  private ClaudeProcess start(Path binary, Request request, String fingerprint, Confinement confinement, String resume)
      throws IOException {
    String key = request.key().toString();
    Files.createDirectories(configDir);
    Path cliHome = home.resolve("home");
    Files.createDirectories(cliHome);
    wiring.writeSkills(request.caller(), request.projectId(), request.folder().resolve(".claude").resolve("skills"));
    Files.createDirectories(request.folder().resolve(SessionFiles.IN_PROJECT));
    Path mcpConfig = writeMcpConfig(key, wiring.mcp(key, request.caller()));

    List<String> command = new ArrayList<>();
    if (confinement.sandbox() != null) {
      command.addAll(sandboxed(confinement.sandbox(), binary, request.folder(), cliHome, mcpConfig));
      binary = binary.toRealPath();
    }
    command.addAll(List.of(binary.toString(), "-p",
        "--input-format", "stream-json", "--output-format", "stream-json", "--verbose", "--include-partial-messages",
        "--permission-mode", "bypassPermissions",
        "--model", request.model(),
        "--mcp-config", mcpConfig.toString(), "--strict-mcp-config"));
    if (!confinement.bash()) {
      command.addAll(List.of("--disallowedTools", "Bash"));
    }
    if (request.instructions() != null && !request.instructions().isBlank()) {
      command.addAll(List.of("--append-system-prompt", request.instructions()));
    }
    if (resume != null) {
      command.addAll(List.of("--resume", resume));
    }
    Map<String, String> env = new LinkedHashMap<>();
    String path = System.getenv("PATH");
    env.put("PATH", path == null ? "/usr/local/bin:/usr/bin:/bin" : path);
    env.put("HOME", cliHome.toString());
    env.put("LANG", "C.UTF-8");
    env.put("TERM", "dumb");
    env.put("CLAUDE_CONFIG_DIR", configDir.toString());
    // No update checks, error reports or title calls: only the model calls the user asked for.
    env.put("CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC", "1");
    env.put("DISABLE_AUTOUPDATER", "1");
    env.put("ANTHROPIC_SMALL_FAST_MODEL", wiring.miniModel());
    env.put("ANTHROPIC_DEFAULT_HAIKU_MODEL", wiring.miniModel());
    if ("root".equals(System.getProperty("user.name"))) {
      // The CLI refuses to bypass permissions as root unless told it is in a sandbox: a container's root.
      env.put("IS_SANDBOX", "1");
    }
    env.putAll(wiring.models(key, request.caller()));
    ClaudeProcess process = ClaudeProcess.start(command, request.folder(), env, fingerprint);
    process.session(resume);
    processes.put(request.key(), process);
    log.info("Conversation {}: Claude Code started (pid {}{})", request.key(), process.pid(), resume == null ? "" : ", resuming " + resume);
    return process;
  }

  /**
   * The sandbox's command line for the CLI: the network (its model calls and MCP go to Mason on
   * loopback), its installation read-only, its own MCP config but no other conversation's, an
   * empty home and config folder with only this project's transcripts in it, and the project
   * folder. Mason's home, the other projects and the other users' transcripts are not there.
   */
  private List<String> sandboxed(BashSandbox sandbox, Path binary, Path folder, Path cliHome, Path mcpConfig) throws IOException {
    Path installed = binary.toRealPath();
    Path modules = installed;
    while (modules != null && !modules.getFileName().toString().equals("node_modules")) {
      modules = modules.getParent();
    }
    Path transcripts = configDir.resolve("projects").resolve(SessionFiles.cliName(folder));
    Files.createDirectories(transcripts);
    return sandbox.command(folder.toRealPath(), new BashSandbox.Extra(true,
        List.of(modules != null ? modules : installed.getParent(), mcpConfig),
        List.of(cliHome, configDir), List.of(transcripts)));
  }

  /** The MCP config, private to Mason's user: it holds the conversation's MCP token. */
  private Path writeMcpConfig(String key, Mcp mcp) throws IOException {
    Path folder = AtomicFile.privateFolder(home.resolve("mcp"));
    ObjectNode config = Json.MAPPER.createObjectNode();
    ObjectNode server = config.putObject("mcpServers").putObject("mason").put("type", "http").put("url", mcp.url());
    server.putObject("headers").put("Authorization", "Bearer " + mcp.token());
    Path file = folder.resolve(key + ".json");
    AtomicFile.writePrivate(file, Json.write(config));
    return file;
  }

  /** Ends the conversation's process gracefully and revokes its secrets. */
  private void end(UUID key) {
    end(key, true);
  }

  /**
   * Ends the conversation's process and revokes its secrets; then keeps its transcript, complete
   * now that the CLI has stopped writing it.
   *
   * @param graceful give the CLI up to a second to exit by itself on the end of its input (it
   *     flushes its transcript), before the tree is killed; false for a stop, which must be quick
   */
  private void end(UUID key, boolean graceful) {
    finish(key, processes.remove(key), graceful);
  }

  /** Ends {@code process}, already taken out of the map (null: none), and revokes the conversation's secrets. */
  private void finish(UUID key, ClaudeProcess process, boolean graceful) {
    wiring.release(key.toString());
    try {
      Files.deleteIfExists(home.resolve("mcp").resolve(key + ".json"));
    } catch (IOException e) {
      log.debug("Could not delete the MCP config of {}: {}", key, e.toString());
    }
    if (process != null) {
      if (graceful) {
        process.endInput(GRACEFUL_EXIT);
      }
      process.close();
      keep(key, process.session(), process.folder());
    }
  }

  /** Ends the conversation's process, if it has one and no message is running in it (a deleted conversation). */
  public void endIdle(UUID key) {
    ClaudeProcess process;
    synchronized (reaping) {
      process = busy.contains(key) ? null : processes.remove(key);
    }
    if (process != null) {
      finish(key, process, true);
    }
  }

  /** Ends the processes idle past the cutoff or dead: only the very process looked at, and only while no message runs in it. */
  private void reapIdle() {
    Instant cutoff = Instant.now().minus(idle);
    for (Map.Entry<UUID, ClaudeProcess> entry : processes.entrySet()) {
      UUID key = entry.getKey();
      ClaudeProcess inspected = entry.getValue();
      boolean taken;
      synchronized (reaping) {
        taken = !busy.contains(key) && (inspected.lastUsed().isBefore(cutoff) || !inspected.alive())
            && processes.remove(key, inspected);
      }
      if (taken) {
        log.info("Conversation {}: its Claude Code process was idle for {} min and is ended", key, idle.toMinutes());
        finish(key, inspected, true);
      }
    }
  }

  /** Ends every process at once (each may take {@link #GRACEFUL_EXIT} to flush its transcript), bounded. */
  @Override
  public void close() {
    reaper.close();
    List<Thread> ending = new ArrayList<>();
    for (UUID key : List.copyOf(processes.keySet())) {
      ending.add(Thread.ofVirtual().name("claude-code-end-" + key).start(() -> end(key)));
    }
    Instant deadline = Instant.now().plus(GRACEFUL_EXIT.multipliedBy(3));
    for (Thread thread : ending) {
      try {
        Duration left = Duration.between(Instant.now(), deadline);
        if (left.isNegative() || !thread.join(left)) {
          log.warn("{} did not finish within {} ms of shutdown", thread.getName(), GRACEFUL_EXIT.multipliedBy(3).toMillis());
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  /** The event model's records, one per translated event. */
  private static final class MasonEvents implements StreamJsonTranslator.Output {
    private final Events events;

    MasonEvents(Events events) {
      this.events = events;
    }

    @Override
    public void textDelta(String text) {
      events.emit(new AgentEvent.TextDelta(text));
    }

    @Override
    public void thinkingDelta(String thinking) {
      events.emit(new AgentEvent.ThinkingDelta(thinking));
    }

    @Override
    public void text(String text) {
      events.emit(new AgentEvent.Text(text));
    }

    @Override
    public void thinking(String thinking) {
      events.emit(new AgentEvent.Thinking(thinking));
    }

    @Override
    public void toolUse(String id, String name, String server, JsonNode input) {
      events.emit(new AgentEvent.ToolUse(id, name, input, server));
    }

    @Override
    public void toolResult(String toolUseId, String content, boolean isError, long durationMs) {
      events.emit(new AgentEvent.ToolResult(toolUseId, content, isError, durationMs));
    }

    /** TodoWrite's items ({@code content}, {@code status}, and {@code id} when given); an item without both is skipped. */
    @Override
    public void todos(JsonNode todos) {
      List<AgentEvent.Todo> items = new ArrayList<>();
      for (JsonNode todo : todos) {
        if (todo.path("content").isTextual() && todo.path("status").isTextual()) {
          items.add(new AgentEvent.Todo(todo.get("content").asText(), todo.get("status").asText(),
              todo.hasNonNull("id") ? todo.get("id").asText() : null));
        }
      }
      events.emit(new AgentEvent.Todos(items));
    }

    @Override
    public void usage(dev.mason.agent.llm.Usage usage, int turn, String stopReason) {
      events.emit(new AgentEvent.Usage(usage.inputTokens(), usage.outputTokens(), usage.cacheReadInputTokens(),
          usage.cacheCreationInputTokens(), Math.max(1, turn), stopReason));
    }

    @Override
    public void session(String sessionId) {
      events.session(sessionId);
    }
  }
}
