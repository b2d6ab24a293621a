package dev.mason.tracing;

import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.common.AttributesBuilder;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanBuilder;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Traces the model calls that pass through Mason's model gateway (terminal CLI sessions: Claude
 * Code, Codex, Gemini CLI, OpenCode), with no hook inside any CLI. The gateway reads each call's
 * messages in its protocol and hands them over in one shape ({@link Call}); here they become
 * spans, one trace per CLI conversation turn:
 *
 * <ul>
 *   <li>a turn opens with a call that offers tools and ends in the user's own words
 *       ({@link Role#PROMPT}), and is an AGENT root span ({@code invoke_agent <cli>});
 *   <li>every call of the turn is an LLM child span; the tool calls the CLI ran between two
 *       calls (the {@code tool_use} of one answer and the {@code tool_result} the next request
 *       carries) are TOOL child spans, timed from the end of the one call to the start of the next;
 *   <li>the turn ends with the first call that answers without asking for a tool; a prompt that
 *       arrives while the turn waits for tool results is a sub-agent run inside a tool (Claude
 *       Code's Task), so it joins the turn and its own final answer does not end it;
 *   <li>calls are grouped by the terminal session and the CLI's own conversation id where its
 *       protocol carries one; a turn that has seen no call for {@link #gap} is ended anyway, so
 *       an interrupted turn and a CLI that carries no id are still cut into traces by time.
 * </ul>
 *
 * A call outside any turn (a CLI's side request for a title or a summary, with no tools) is a
 * trace of its own. Every root carries the session as MLflow's session metadata, so MLflow lists
 * a session's turns together.
 *
 * <p>Thread-safe: {@code turns} is guarded by {@code lock}; calls come from the gateway's request
 * threads, the {@link TurnReaper} and session ends. Nothing here blocks: ended spans go to the
 * bounded export queue.
 */
public final class GatewayTraces implements AutoCloseable {
  /** Open turns at most; past it the longest idle is ended. */
  static final int MAX_OPEN_TURNS = 1000;

  /** Traces nothing: tracing is off. */
  static final GatewayTraces OFF = new GatewayTraces(null, null, null, null, null, Duration.ofMinutes(5));

  /** Where a call stands in its CLI's conversation, read from the request's last messages. */
  public enum Role {
    /** Offers tools and ends in the user's own words: a new turn (or a sub-agent's task). */
    PROMPT,
    /** Carries the results of tools the last answer asked for: the turn goes on. */
    TOOL_RESULTS,
    /** Offers no tools: a CLI's side request (a title, a summary, a quota check). */
    SIDE
  }

  /** A tool call the CLI ran: asked for in one answer, answered in the next request. */
  public record ToolRun(String id, String name, String arguments, String result, boolean isError) {
    public ToolRun {
      Objects.requireNonNull(name, "name");
    }
  }

  /** Tokens of one call. */
  public record Tokens(long input, long output, long cacheRead, long cacheCreation) {}

  /**
   * One model call through the gateway.
   *
   * @param sessionId the terminal session
   * @param conversationId the CLI's own session or conversation id when its protocol carries one, else null
   * @param cli which CLI ({@code claude}, {@code codex}, {@code gemini}, {@code opencode}, …)
   * @param userToken the user's workspace token, to export as them and to mask; may be null
   * @param inputMessages what is new to this call (the user's prompt, or the tool results), as
   *     GenAI messages JSON ({@code [{"role", "parts": [...]}]}); null when unknown
   * @param prompt the user's own words in the request's last message, or null
   * @param outputMessages the answer as GenAI messages JSON, or null
   * @param answer the answer's text, or null
   * @param asksForTools whether the answer asked for tool calls
   * @param toolRuns the tool calls whose results this request carries, in their order
   * @param stopReason why the answer ended, or null
   * @param error the failure, or null when the call succeeded
   */
  public record Call(String sessionId, String conversationId, String cli, String user, String userToken, String model,
      Role role, String inputMessages, String prompt, String outputMessages, String answer, boolean asksForTools,
      List<ToolRun> toolRuns, Tokens tokens, Instant start, Instant end, String stopReason, String error) {
    public Call {
      Objects.requireNonNull(sessionId, "sessionId");
      Objects.requireNonNull(cli, "cli");
      Objects.requireNonNull(user, "user");
      Objects.requireNonNull(model, "model");
      Objects.requireNonNull(role, "role");
      Objects.requireNonNull(tokens, "tokens");
      Objects.requireNonNull(start, "start");
      Objects.requireNonNull(end, "end");
      toolRuns = toolRuns == null ? List.of() : List.copyOf(toolRuns);
    }

    @Override
    public String toString() {
      return "Call[session " + sessionId + ", " + cli + ", " + user + ", " + model + ", " + role + ", " + tokens.input() + "/"
          + tokens.output() + " tokens]";
    }
  }

  /** An open turn. */
  private static final class Turn {
    final String key;
    final String sessionId;
    final Span root;
    final Context context;
    Instant lastEnd;
    /** The final answer, masked already; null until it comes. */
    String answer;
    /** Sub-agent prompts inside the turn's tool calls whose final answer has not come. */
    int nested;
    long inputTokens;
    long outputTokens;

    Turn(String key, String sessionId, Span root, Instant lastEnd) {
      this.key = key;
      this.sessionId = sessionId;
      this.root = root;
      this.context = Context.root().with(root);
      this.lastEnd = lastEnd;
    }
  }

  private final Tracer tracer;
  private final TracingSettings settings;
  private final MlflowExporter exporter;
  private final Masker masker;
  private final String version;
  private final Duration gap;
  private final ReentrantLock lock = new ReentrantLock();
  private final Map<String, Turn> turns = new LinkedHashMap<>();
  private final ScheduledExecutorService reaper;

  GatewayTraces(Tracer tracer, TracingSettings settings, MlflowExporter exporter, Masker masker, String version, Duration gap) {
    this.tracer = tracer;
    this.settings = settings;
    this.exporter = exporter;
    this.masker = masker;
    this.version = version;
    this.gap = gap;
    if (tracer == null) {
      reaper = null;
    } else {
      reaper = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread thread = new Thread(r, "gateway-turn-reaper");
        thread.setDaemon(true);
        return thread;
      });
      long every = Math.max(200, Math.min(gap.toMillis() / 2, 30_000));
      reaper.scheduleWithFixedDelay(new TurnReaper(), every, every, TimeUnit.MILLISECONDS);
    }
  }

  /** Ends the turns that have seen no call for {@link #gap}. */
  private final class TurnReaper implements Runnable {
    @Override
    public void run() {
      Instant idleSince = Instant.now().minus(gap);
      endTurns(turn -> turn.lastEnd.isBefore(idleSince));
    }
  }

  /** Whether calls are traced; when false, {@link #record} does nothing. */
  public boolean enabled() {
    return tracer != null;
  }

  public void record(Call call) {
    if (tracer == null) {
      return;
    }
    String experiment = settings.experimentFor(call.user());
    exporter.useToken(experiment, call.userToken());
    Masker masking = masker.and(call.userToken());
    String key = call.sessionId() + "\n" + (call.conversationId() == null ? "" : call.conversationId());
    boolean ok = call.error() == null;
    lock.lock();
    try {
      Turn turn = turns.get(key);
      if (turn != null && turn.lastEnd.plus(gap).isBefore(call.start())) {
        end(turn);
        turn = null;
      }
      if (ok && call.role() != Role.SIDE) {
        if (turn == null) {
          turn = open(key, call, experiment, masking);
        } else if (call.role() == Role.PROMPT) {
          turn.nested++;
        }
      }
      if (turn != null && call.role() == Role.TOOL_RESULTS) {
        Instant toolsStart = turn.lastEnd.isAfter(call.start()) ? call.start() : turn.lastEnd;
        for (ToolRun run : call.toolRuns()) {
          toolSpan(run, turn, experiment, masking, toolsStart, call.start());
        }
      }
      llmSpan(call, turn, experiment, masking);
      if (turn != null) {
        if (call.end().isAfter(turn.lastEnd)) {
          turn.lastEnd = call.end();
        }
        turn.inputTokens += call.tokens().input();
        turn.outputTokens += call.tokens().output();
        if (ok && !call.asksForTools() && call.role() != Role.SIDE) {
          if (turn.nested > 0) {
            turn.nested--;
          } else {
            turn.answer = call.answer() == null ? null : masking.text(call.answer());
            end(turn);
          }
        }
      }
    } finally {
      lock.unlock();
    }
  }

  /** The terminal session ended: its open turns end with it. */
  public void sessionEnded(String sessionId) {
    if (tracer != null) {
      endTurns(turn -> turn.sessionId.equals(sessionId));
    }
  }

  /** Ends every open turn (shutdown), before the export queue is flushed. */
  @Override
  public void close() {
    if (reaper != null) {
      reaper.shutdownNow();
      endTurns(turn -> true);
    }
  }

  private void endTurns(java.util.function.Predicate<Turn> which) {
    lock.lock();
    try {
      for (Turn turn : new ArrayList<>(turns.values())) {
        if (which.test(turn)) {
          end(turn);
        }
      }
    } finally {
      lock.unlock();
    }
  }

  private Turn open(String key, Call call, String experiment, Masker masking) {
    if (turns.size() >= MAX_OPEN_TURNS) {
      Iterator<Turn> oldest = turns.values().iterator();
      end(oldest.next());
    }
    String session = call.conversationId() != null ? call.conversationId() : call.sessionId();
    AttributesBuilder attributes = common(call, experiment)
        .put(SpanKeys.OPERATION, "invoke_agent")
        .put(SpanKeys.MLFLOW_SPAN_TYPE, "AGENT")
        .put(SpanKeys.AGENT_NAME, call.cli())
        .put(SpanKeys.MLFLOW_USER, call.user())
        .put(SpanKeys.MLFLOW_SESSION, session)
        .put(SpanKeys.CONVERSATION, session);
    if (call.inputMessages() != null) {
      attributes.put(SpanKeys.INPUT_MESSAGES, masking.text(call.inputMessages()));
    }
    if (call.prompt() != null) {
      attributes.put(SpanKeys.MLFLOW_INPUTS, Messages.literal(masking.text(call.prompt())));
    }
    Span root = tracer.spanBuilder("invoke_agent " + call.cli()).setNoParent().setStartTimestamp(call.start())
        .setAllAttributes(attributes.build()).startSpan();
    Turn turn = new Turn(key, call.sessionId(), root, call.start());
    turns.put(key, turn);
    return turn;
  }

  private void end(Turn turn) {
    turns.remove(turn.key);
    turn.root.setAttribute(SpanKeys.INPUT_TOKENS, turn.inputTokens);
    turn.root.setAttribute(SpanKeys.OUTPUT_TOKENS, turn.outputTokens);
    if (turn.answer != null) {
      String answer = turn.answer;
      turn.root.setAttribute(SpanKeys.OUTPUT_MESSAGES, Messages.single("assistant", "text", answer));
      turn.root.setAttribute(SpanKeys.MLFLOW_OUTPUTS, Messages.literal(answer));
      turn.root.setStatus(StatusCode.OK);
    }
    turn.root.end(turn.lastEnd);
  }

  private AttributesBuilder common(Call call, String experiment) {
    AttributesBuilder attributes = Attributes.builder()
        .put(SpanKeys.USER, call.user())
        .put(SpanKeys.SESSION_ID, call.sessionId())
        .put(SpanKeys.RUNTIME, "terminal")
        .put(SpanKeys.CLI, call.cli())
        .put(SpanKeys.VERSION, version)
        .put(SpanKeys.EXPERIMENT, experiment);
    if (call.conversationId() != null) {
      attributes.put(SpanKeys.CLI_CONVERSATION, call.conversationId());
    }
    return attributes;
  }

  private void llmSpan(Call call, Turn turn, String experiment, Masker masking) {
    AttributesBuilder attributes = common(call, experiment)
        .put(SpanKeys.OPERATION, "chat")
        .put(SpanKeys.MLFLOW_SPAN_TYPE, "LLM")
        .put(SpanKeys.REQUEST_MODEL, call.model())
        .put(SpanKeys.RESPONSE_MODEL, call.model())
        .put(SpanKeys.INPUT_TOKENS, call.tokens().input())
        .put(SpanKeys.OUTPUT_TOKENS, call.tokens().output())
        .put(SpanKeys.CACHE_READ_TOKENS, call.tokens().cacheRead())
        .put(SpanKeys.CACHE_CREATION_TOKENS, call.tokens().cacheCreation())
        .put(SpanKeys.GATEWAY_ROLE, call.role().name().toLowerCase(java.util.Locale.ROOT));
    if (turn == null) {
      // A trace of its own: the root carries the trace's user and session.
      String session = call.conversationId() != null ? call.conversationId() : call.sessionId();
      attributes.put(SpanKeys.MLFLOW_USER, call.user()).put(SpanKeys.MLFLOW_SESSION, session);
    }
    if (call.inputMessages() != null) {
      String input = masking.text(call.inputMessages());
      attributes.put(SpanKeys.INPUT_MESSAGES, input).put(SpanKeys.MLFLOW_INPUTS, input);
    }
    if (call.outputMessages() != null) {
      String output = masking.text(call.outputMessages());
      attributes.put(SpanKeys.OUTPUT_MESSAGES, output).put(SpanKeys.MLFLOW_OUTPUTS, output);
    }
    if (call.stopReason() != null) {
      attributes.put(SpanKeys.FINISH_REASONS, List.of(call.stopReason()));
    }
    SpanBuilder builder = tracer.spanBuilder("chat " + call.model()).setStartTimestamp(call.start()).setAllAttributes(attributes.build());
    Span span = (turn == null ? builder.setNoParent() : builder.setParent(turn.context)).startSpan();
    if (call.error() != null) {
      span.setAttribute(SpanKeys.ERROR_TYPE, "model_error");
      span.setStatus(StatusCode.ERROR, masking.text(call.error()));
    } else {
      span.setStatus(StatusCode.OK);
    }
    span.end(call.end());
  }

  private void toolSpan(ToolRun run, Turn turn, String experiment, Masker masking, Instant start, Instant end) {
    String arguments = run.arguments() == null ? "{}" : masking.text(run.arguments());
    String result = run.result() == null ? "" : masking.text(run.result());
    AttributesBuilder attributes = Attributes.builder()
        .put(SpanKeys.OPERATION, "execute_tool")
        .put(SpanKeys.MLFLOW_SPAN_TYPE, "TOOL")
        .put(SpanKeys.EXPERIMENT, experiment)
        .put(SpanKeys.TOOL_NAME, run.name())
        .put(SpanKeys.TOOL_ARGUMENTS, arguments)
        .put(SpanKeys.TOOL_RESULT, result)
        .put(SpanKeys.MLFLOW_INPUTS, arguments)
        .put(SpanKeys.MLFLOW_OUTPUTS, Messages.literal(result))
        .put(SpanKeys.TOOL_IS_ERROR, run.isError());
    if (run.id() != null) {
      attributes.put(SpanKeys.TOOL_CALL_ID, run.id());
    }
    Span span = tracer.spanBuilder("execute_tool " + run.name()).setParent(turn.context).setStartTimestamp(start)
        .setAllAttributes(attributes.build()).startSpan();
    if (run.isError()) {
      span.setAttribute(SpanKeys.ERROR_TYPE, "tool_error");
      span.setStatus(StatusCode.ERROR, "the tool answered an error");
    } else {
      span.setStatus(StatusCode.OK);
    }
    span.end(end);
  }
}
