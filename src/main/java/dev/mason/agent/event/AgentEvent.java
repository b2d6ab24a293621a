package dev.mason.agent.event;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;
import java.util.List;
import java.util.Objects;
import java.util.UUID;

/**
 * One event of an agent run, the wire format every runtime emits: one record per type, each
 * checking its own fields. {@link EventJson} is the one place they are written and read.
 *
 * <p>Evolution rules (the log is append-only and outlives the code that wrote it): a type's
 * existing fields never change meaning; new fields are added at the end of a record, boxed, with
 * null meaning absent, so a log written before them still reads; readers ignore fields they do not
 * know; new types may be added, and readers skip types they do not know. The JSON names are
 * written out on each component, so renaming a Java name never changes the wire.
 */
public sealed interface AgentEvent {
  String CONVERSATION_CREATED = "conversation.created";
  String TEXT_DELTA = "text_delta";
  String THINKING_DELTA = "thinking_delta";
  String TEXT = "text";
  String THINKING = "thinking";
  String TOOL_USE = "tool_use";
  String TOOL_RESULT = "tool_result";
  String TODOS = "todos";
  String USAGE = "usage";
  String RESULT = "result";
  String ERROR = "error";
  String CANCELLED = "cancelled";
  String DONE = "done";

  /** The {@code type} of this event on the wire and in the {@code execution_events.type} column. */
  @JsonIgnore
  String type();

  /** The first event of every run: which conversation it runs in, and whether the run created it. */
  record ConversationCreated(
      @JsonProperty("conversation_id") UUID conversationId,
      @JsonProperty("created") boolean created,
      @JsonProperty("execution_id") UUID executionId) implements AgentEvent {
    public ConversationCreated {
      Objects.requireNonNull(conversationId, "conversation_id");
      Objects.requireNonNull(executionId, "execution_id");
    }

    @Override
    public String type() {
      return CONVERSATION_CREATED;
    }
  }

  /** A piece of the answer's text as the model streams it. */
  record TextDelta(@JsonProperty("text") String text) implements AgentEvent {
    public TextDelta {
      Objects.requireNonNull(text, "text");
    }

    @Override
    public String type() {
      return TEXT_DELTA;
    }
  }

  /** A piece of the model's thinking as it streams. */
  record ThinkingDelta(@JsonProperty("thinking") String thinking) implements AgentEvent {
    public ThinkingDelta {
      Objects.requireNonNull(thinking, "thinking");
    }

    @Override
    public String type() {
      return THINKING_DELTA;
    }
  }

  /** A complete text block of a model turn; it replaces the deltas streamed before it. */
  record Text(@JsonProperty("text") String text) implements AgentEvent {
    public Text {
      Objects.requireNonNull(text, "text");
    }

    @Override
    public String type() {
      return TEXT;
    }
  }

  /** A complete thinking block of a model turn. */
  record Thinking(@JsonProperty("thinking") String thinking) implements AgentEvent {
    public Thinking {
      Objects.requireNonNull(thinking, "thinking");
    }

    @Override
    public String type() {
      return THINKING;
    }
  }

  /**
   * A tool call the model made; its input is the model's JSON, as given.
   *
   * @param toolServer the MCP server whose tool it is, its name shown without the
   *     {@code mcp__<server>__} prefix (the Claude Code runtime's MCP tools); null for any other tool
   */
  record ToolUse(
      @JsonProperty("tool_id") String toolId,
      @JsonProperty("tool_name") String toolName,
      @JsonProperty("tool_input") @JsonInclude(JsonInclude.Include.ALWAYS) JsonNode toolInput,
      @JsonProperty("tool_server") @JsonInclude(JsonInclude.Include.NON_NULL) String toolServer) implements AgentEvent {
    public ToolUse {
      Objects.requireNonNull(toolId, "tool_id");
      Objects.requireNonNull(toolName, "tool_name");
      toolInput = toolInput == null ? NullNode.instance : toolInput;
    }

    public ToolUse(String toolId, String toolName, JsonNode toolInput) {
      this(toolId, toolName, toolInput, null);
    }

    @Override
    public String type() {
      return TOOL_USE;
    }
  }

  /**
   * What a tool call gave back.
   *
   * @param durationMs how long the call took; null in logs that did not record it
   */
  record ToolResult(
      @JsonProperty("tool_use_id") String toolUseId,
      @JsonProperty("content") String content,
      @JsonProperty("is_error") boolean isError,
      @JsonProperty("duration_ms") @JsonInclude(JsonInclude.Include.NON_NULL) Long durationMs) implements AgentEvent {
    public ToolResult {
      Objects.requireNonNull(toolUseId, "tool_use_id");
      Objects.requireNonNull(content, "content");
      if (durationMs != null && durationMs < 0) {
        throw new IllegalArgumentException("duration_ms must not be negative, was " + durationMs);
      }
    }

    @Override
    public String type() {
      return TOOL_RESULT;
    }
  }

  /** The agent's plan, complete each time (TodoWrite). */
  record Todos(@JsonProperty("todos") List<Todo> todos) implements AgentEvent {
    public Todos {
      todos = List.copyOf(Objects.requireNonNull(todos, "todos"));
    }

    @Override
    public String type() {
      return TODOS;
    }
  }

  /** One item of the plan; {@code id} is null when the model gave none. */
  record Todo(
      @JsonProperty("content") String content,
      @JsonProperty("status") String status,
      @JsonProperty("id") String id) {
    public Todo {
      Objects.requireNonNull(content, "content");
      Objects.requireNonNull(status, "status");
    }
  }

  /**
   * Tokens of one model turn (Anthropic's sense: input excludes the cache), after its deltas and
   * before its complete blocks.
   *
   * @param stopReason why the model stopped, as its API said; null when it did not say
   */
  record Usage(
      @JsonProperty("input_tokens") long inputTokens,
      @JsonProperty("output_tokens") long outputTokens,
      @JsonProperty("cache_read_input_tokens") long cacheReadInputTokens,
      @JsonProperty("cache_creation_input_tokens") long cacheCreationInputTokens,
      @JsonProperty("turn") int turn,
      @JsonProperty("stop_reason") @JsonInclude(JsonInclude.Include.ALWAYS) String stopReason) implements AgentEvent {
    public Usage {
      Tokens.check(inputTokens, outputTokens, cacheReadInputTokens, cacheCreationInputTokens);
      if (turn < 1) {
        throw new IllegalArgumentException("turn starts at 1, was " + turn);
      }
    }

    @Override
    public String type() {
      return USAGE;
    }
  }

  /** Token counts summed over a run. */
  record Tokens(
      @JsonProperty("input_tokens") long inputTokens,
      @JsonProperty("output_tokens") long outputTokens,
      @JsonProperty("cache_read_input_tokens") long cacheReadInputTokens,
      @JsonProperty("cache_creation_input_tokens") long cacheCreationInputTokens) {
    public Tokens {
      check(inputTokens, outputTokens, cacheReadInputTokens, cacheCreationInputTokens);
    }

    static void check(long input, long output, long cacheRead, long cacheCreation) {
      if (input < 0 || output < 0 || cacheRead < 0 || cacheCreation < 0) {
        throw new IllegalArgumentException("token counts must not be negative: " + input + ", " + output + ", "
            + cacheRead + ", " + cacheCreation);
      }
    }
  }

  /**
   * How the run ended, before {@code done}.
   *
   * @param usage the run's tokens; null when it never reached the model
   * @param totalCostUsd what the run cost as its runtime reported it (Claude Code does); null when unknown
   */
  record Result(
      @JsonProperty("status") ExecutionStatus status,
      @JsonProperty("is_error") boolean isError,
      @JsonProperty("duration_ms") long durationMs,
      @JsonProperty("num_turns") int numTurns,
      @JsonProperty("usage") @JsonInclude(JsonInclude.Include.NON_NULL) Tokens usage,
      @JsonProperty("total_cost_usd") @JsonInclude(JsonInclude.Include.NON_NULL) Double totalCostUsd) implements AgentEvent {
    public Result {
      requireFinal(status);
      if (durationMs < 0 || numTurns < 0) {
        throw new IllegalArgumentException("duration_ms and num_turns must not be negative: " + durationMs + ", " + numTurns);
      }
      if (totalCostUsd != null && (totalCostUsd < 0 || totalCostUsd.isNaN())) {
        throw new IllegalArgumentException("total_cost_usd must not be negative, was " + totalCostUsd);
      }
    }

    public Result(ExecutionStatus status, boolean isError, long durationMs, int numTurns, Tokens usage) {
      this(status, isError, durationMs, numTurns, usage, null);
    }

    @Override
    public String type() {
      return RESULT;
    }
  }

  /**
   * A failure. With {@code retrying} true it is not final: the model call is retried, and readers
   * drop the deltas of the turn in progress, which the next attempt streams again.
   *
   * @param retrying true for a retried model call; null otherwise
   * @param attempt the attempt about to start, when retrying
   * @param delayMs the wait before it, when retrying
   * @param interrupted whether the run's end was a shutdown or restart (final errors only)
   * @param unstoredType the type of an event that could not be stored, which this one replaces
   */
  record Error(
      @JsonProperty("error") String error,
      @JsonProperty("retrying") @JsonInclude(JsonInclude.Include.NON_NULL) Boolean retrying,
      @JsonProperty("attempt") @JsonInclude(JsonInclude.Include.NON_NULL) Integer attempt,
      @JsonProperty("delay_ms") @JsonInclude(JsonInclude.Include.NON_NULL) Long delayMs,
      @JsonProperty("interrupted") @JsonInclude(JsonInclude.Include.NON_NULL) Boolean interrupted,
      @JsonProperty("unstored_type") @JsonInclude(JsonInclude.Include.NON_NULL) String unstoredType) implements AgentEvent {
    public Error {
      Objects.requireNonNull(error, "error");
      if (attempt != null && attempt < 1) {
        throw new IllegalArgumentException("attempt starts at 1, was " + attempt);
      }
      if (delayMs != null && delayMs < 0) {
        throw new IllegalArgumentException("delay_ms must not be negative, was " + delayMs);
      }
    }

    /** The model call failed and is tried again. */
    public static Error retrying(String error, int attempt, long delayMs) {
      return new Error(error, true, attempt, delayMs, null, null);
    }

    /** The run ended with this error; {@code interrupted} when Mason stopped it. */
    public static Error ended(String error, boolean interrupted) {
      return new Error(error, null, null, null, interrupted, null);
    }

    @JsonIgnore
    public boolean isRetrying() {
      return Boolean.TRUE.equals(retrying);
    }

    @Override
    public String type() {
      return ERROR;
    }
  }

  /** The run was stopped on request. */
  record Cancelled() implements AgentEvent {
    @Override
    public String type() {
      return CANCELLED;
    }
  }

  /** The last event of every run, stored together with the run's final status. */
  record Done(@JsonProperty("status") ExecutionStatus status) implements AgentEvent {
    public Done {
      requireFinal(status);
    }

    @Override
    public String type() {
      return DONE;
    }
  }

  private static void requireFinal(ExecutionStatus status) {
    Objects.requireNonNull(status, "status");
    if (!status.isFinal()) {
      throw new IllegalArgumentException("status must be a final status, not " + status);
    }
  }
}
