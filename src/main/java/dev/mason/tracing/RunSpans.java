package dev.mason.tracing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mason.agent.event.AgentEvent;
import dev.mason.agent.event.ExecutionStatus;
import dev.mason.agent.event.LoggedEvent;
import dev.mason.agent.RunListener;
import dev.mason.web.Json;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The spans of one agent run, built from its events as they are appended: the root (AGENT) from
 * start to end, one span per model call (its tokens, stop reason, retries, input and output
 * messages), one per tool call (its input, output, error flag, duration).
 *
 * <p>Times: the events carry none, so each is timed when it arrives, which is when it was
 * appended. A model call starts when the run starts or the last tool result of the turn before
 * arrives, and ends at its {@code usage} event; its span stays open until the content blocks
 * that follow {@code usage} are in. A tool call ends at its result and started its
 * {@code duration_ms} before. A model input lists what is new to that call (the user's message,
 * or the tool results), not the whole history.
 *
 * <p>Concurrency: the state is guarded by {@code lock}; events come from the run's thread and,
 * for concurrent read-only tool calls, from theirs.
 */
final class RunSpans implements RunListener.Run {
  private final Tracer tracer;
  private final Masker masker;
  private final AsyncLinks async;
  private final String user;
  private final String model;
  private final String experiment;
  private final Span root;
  private final Context inRoot;
  private final ReentrantLock lock = new ReentrantLock();

  private Instant callStart;
  /** Messages the next model call is the first to see: the user's, then tool results. */
  private ArrayNode newInput = Json.MAPPER.createArrayNode();
  /** Whether the call in progress has streamed or been retried: a failure then is the call's. */
  private boolean callActive;
  private final List<Retry> retries = new ArrayList<>();
  private final Map<String, ToolCall> calls = new HashMap<>();
  /** The model span waiting for its content blocks, with when the call ended; null when none is open. */
  private Span openCall;
  private Instant openCallEnd;
  private ObjectNode openOutput;
  private final List<String> answer = new ArrayList<>();
  private String error;

  private record Retry(Instant at, int attempt, long delayMs, String reason) {}

  private record ToolCall(String name, JsonNode input) {}

  RunSpans(Tracer tracer, Masker masker, AsyncLinks async, RunListener.RunStart start, String experiment, String version) {
    this.tracer = tracer;
    this.masker = masker;
    this.async = async;
    this.user = start.caller().user();
    this.model = start.model();
    this.experiment = experiment;
    this.callStart = Instant.now();
    String message = masker.text(start.message());
    this.root = tracer.spanBuilder("invoke_agent " + start.runtime()).setNoParent().setStartTimestamp(callStart)
        .setAllAttributes(Attributes.builder()
            .put(SpanKeys.OPERATION, "invoke_agent")
            .put(SpanKeys.MLFLOW_SPAN_TYPE, "AGENT")
            .put(SpanKeys.AGENT_NAME, "mason")
            .put(SpanKeys.REQUEST_MODEL, model)
            .put(SpanKeys.CONVERSATION, start.conversationId().toString())
            .put(SpanKeys.MLFLOW_USER, start.caller().user())
            .put(SpanKeys.MLFLOW_SESSION, start.conversationId().toString())
            .put(SpanKeys.USER, start.caller().user())
            .put(SpanKeys.PROJECT_ID, start.projectId().toString())
            .put(SpanKeys.PROJECT_NAME, start.projectName())
            .put(SpanKeys.CONVERSATION_ID, start.conversationId().toString())
            .put(SpanKeys.EXECUTION_ID, start.executionId().toString())
            .put(SpanKeys.RUNTIME, start.runtime())
            .put(SpanKeys.SOURCE, start.source())
            .put(SpanKeys.VERSION, version)
            .put(SpanKeys.EXPERIMENT, experiment)
            .put(SpanKeys.INPUT_MESSAGES, Messages.single("user", "text", message))
            .put(SpanKeys.MLFLOW_INPUTS, Messages.literal(message))
            .build())
        .startSpan();
    this.inRoot = Context.root().with(root);
    ObjectNode user = Messages.message("user");
    Messages.parts(user).add(Messages.text("text", message));
    newInput.add(user);
  }

  /** The trace's id, 32 hex digits. */
  String traceId() {
    return root.getSpanContext().getTraceId();
  }

  @Override
  public void event(LoggedEvent logged) {
    Instant now = Instant.now();
    lock.lock();
    try {
      switch (logged.event()) {
        case AgentEvent.TextDelta ignored -> callActive = true;
        case AgentEvent.ThinkingDelta ignored -> callActive = true;
        case AgentEvent.Usage usage -> modelCallEnded(usage, now);
        case AgentEvent.Text text -> {
          answer.add(text.text());
          output(Messages.text("text", masker.text(text.text())));
        }
        case AgentEvent.Thinking thinking -> output(Messages.text("reasoning", masker.text(thinking.thinking())));
        case AgentEvent.ToolUse use -> {
          JsonNode input = masker.json(use.toolInput());
          calls.put(use.toolId(), new ToolCall(use.toolName(), input));
          output(Messages.toolCall(use.toolId(), use.toolName(), input));
        }
        case AgentEvent.ToolResult result -> toolEnded(result, now);
        case AgentEvent.Error error -> failed(error, now);
        case AgentEvent.Result result -> usageTotals(result.usage());
        case AgentEvent.ConversationCreated ignored -> { }
        case AgentEvent.Todos ignored -> { }
        case AgentEvent.Cancelled ignored -> { }
        case AgentEvent.Done ignored -> { }
      }
    } finally {
      lock.unlock();
    }
  }

  @Override
  public void ended(ExecutionStatus status) {
    lock.lock();
    try {
      closeCall();
      String reply = masker.text(String.join("\n", answer));
      root.setAttribute(SpanKeys.STATUS, status.wire());
      if (!answer.isEmpty()) {
        root.setAttribute(SpanKeys.OUTPUT_MESSAGES, Messages.single("assistant", "text", reply));
        root.setAttribute(SpanKeys.MLFLOW_OUTPUTS, Messages.literal(reply));
      }
      if (status == ExecutionStatus.ERROR || status == ExecutionStatus.INTERRUPTED) {
        root.setStatus(StatusCode.ERROR, error != null ? error : "the run ended " + status);
      } else {
        root.setStatus(StatusCode.OK);
      }
      root.end();
    } finally {
      lock.unlock();
    }
  }

  private void modelCallEnded(AgentEvent.Usage usage, Instant now) {
    closeCall();
    answer.clear();
    var attributes = Attributes.builder()
        .put(SpanKeys.OPERATION, "chat")
        .put(SpanKeys.MLFLOW_SPAN_TYPE, "LLM")
        .put(SpanKeys.REQUEST_MODEL, model)
        .put(SpanKeys.RESPONSE_MODEL, model)
        .put(SpanKeys.EXPERIMENT, experiment)
        .put(SpanKeys.TURN, (long) usage.turn())
        .put(SpanKeys.INPUT_TOKENS, usage.inputTokens())
        .put(SpanKeys.OUTPUT_TOKENS, usage.outputTokens())
        .put(SpanKeys.CACHE_READ_TOKENS, usage.cacheReadInputTokens())
        .put(SpanKeys.CACHE_CREATION_TOKENS, usage.cacheCreationInputTokens())
        .put(SpanKeys.INPUT_MESSAGES, masker.text(newInput.toString()))
        .put(SpanKeys.MLFLOW_INPUTS, masker.text(newInput.toString()));
    String stopReason = usage.stopReason() == null ? "" : usage.stopReason();
    if (!stopReason.isEmpty()) {
      attributes.put(SpanKeys.FINISH_REASONS, List.of(stopReason));
    }
    openCall = startCall(attributes.build());
    openCallEnd = now;
    openOutput = Messages.message("assistant");
    if (!stopReason.isEmpty()) {
      openOutput.put("finish_reason", stopReason);
    }
    newInput = Json.MAPPER.createArrayNode();
  }

  private Span startCall(Attributes attributes) {
    Span span = tracer.spanBuilder("chat " + model).setParent(inRoot).setStartTimestamp(callStart)
        .setAllAttributes(attributes).startSpan();
    for (Retry retry : retries) {
      span.addEvent("retry", Attributes.builder().put("attempt", retry.attempt()).put("delay_ms", retry.delayMs())
          .put("reason", masker.text(retry.reason())).build(), retry.at());
    }
    retries.clear();
    callActive = false;
    return span;
  }

  private void output(ObjectNode part) {
    if (openOutput != null) {
      Messages.parts(openOutput).add(part);
    }
  }

  /** Ends the open model span with its output, at the time its call ended. */
  private void closeCall() {
    if (openCall == null) {
      return;
    }
    String output = Json.MAPPER.createArrayNode().add(openOutput).toString();
    openCall.setAttribute(SpanKeys.OUTPUT_MESSAGES, output);
    openCall.setAttribute(SpanKeys.MLFLOW_OUTPUTS, output);
    openCall.setStatus(StatusCode.OK);
    openCall.end(openCallEnd);
    openCall = null;
    openOutput = null;
  }

  private void toolEnded(AgentEvent.ToolResult data, Instant now) {
    closeCall();
    String id = data.toolUseId();
    ToolCall call = calls.remove(id);
    String name = call != null ? call.name() : "unknown";
    String input = call != null ? call.input().toString() : "{}";
    String result = masker.text(data.content());
    boolean isError = data.isError();
    AsyncLinks.Named operations = AsyncLinks.named(call != null ? call.input() : null, result);
    var builder = tracer.spanBuilder("execute_tool " + name).setParent(inRoot);
    for (String given : operations.given()) {
      // A poll of an operation an earlier call started: linked to the start, also across runs.
      async.startOf(user, given).ifPresent(start -> builder.addLink(start, Attributes.of(SpanKeys.ASYNC_OPERATION, given)));
    }
    if (!operations.all().isEmpty()) {
      builder.setAttribute(SpanKeys.ASYNC_OPERATIONS, List.copyOf(operations.all()));
    }
    Span span = builder
        .setStartTimestamp(now.minusMillis(data.durationMs() == null ? 0 : data.durationMs()))
        .setAllAttributes(Attributes.builder()
            .put(SpanKeys.OPERATION, "execute_tool")
            .put(SpanKeys.MLFLOW_SPAN_TYPE, "TOOL")
            .put(SpanKeys.EXPERIMENT, experiment)
            .put(SpanKeys.TOOL_NAME, name)
            .put(SpanKeys.TOOL_CALL_ID, id)
            .put(SpanKeys.TOOL_ARGUMENTS, input)
            .put(SpanKeys.TOOL_RESULT, result)
            .put(SpanKeys.MLFLOW_INPUTS, input)
            .put(SpanKeys.MLFLOW_OUTPUTS, Messages.literal(result))
            .put(SpanKeys.TOOL_IS_ERROR, isError)
            .build())
        .startSpan();
    if (isError) {
      span.setAttribute(SpanKeys.ERROR_TYPE, "tool_error");
      span.setStatus(StatusCode.ERROR, "the tool answered an error");
    } else {
      span.setStatus(StatusCode.OK);
    }
    span.end(now);
    if (!isError) {
      async.started(user, operations, span.getSpanContext());
    }
    ObjectNode results = Messages.message("tool");
    Messages.parts(results).add(Messages.toolResponse(id, result));
    newInput.add(results);
    callStart = now;
  }

  private void failed(AgentEvent.Error data, Instant now) {
    String reason = masker.text(data.error());
    if (data.isRetrying()) {
      callActive = true;
      retries.add(new Retry(now, data.attempt() == null ? 0 : data.attempt(), data.delayMs() == null ? 0 : data.delayMs(), reason));
      return;
    }
    closeCall();
    error = reason;
    if (callActive || !retries.isEmpty()) {
      // The model call in progress failed for good: its span shows how, with the retries before.
      Span span = startCall(Attributes.builder()
          .put(SpanKeys.OPERATION, "chat")
          .put(SpanKeys.MLFLOW_SPAN_TYPE, "LLM")
          .put(SpanKeys.REQUEST_MODEL, model)
          .put(SpanKeys.EXPERIMENT, experiment)
          .put(SpanKeys.INPUT_MESSAGES, masker.text(newInput.toString()))
          .put(SpanKeys.ERROR_TYPE, "model_error")
          .build());
      span.setStatus(StatusCode.ERROR, reason);
      span.end(now);
    }
  }

  private void usageTotals(AgentEvent.Tokens usage) {
    if (usage == null) {
      return;
    }
    root.setAttribute(SpanKeys.INPUT_TOKENS, usage.inputTokens());
    root.setAttribute(SpanKeys.OUTPUT_TOKENS, usage.outputTokens());
    root.setAttribute(SpanKeys.CACHE_READ_TOKENS, usage.cacheReadInputTokens());
    root.setAttribute(SpanKeys.CACHE_CREATION_TOKENS, usage.cacheCreationInputTokens());
  }
}
