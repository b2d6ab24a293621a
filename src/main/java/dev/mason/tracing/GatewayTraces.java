package dev.mason.tracing;

import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * Traces model calls that pass through Mason's model gateway (terminal CLI sessions: Claude Code,
 * Codex, Gemini CLI, OpenCode): each call becomes an LLM span, in its own trace, carrying the
 * session as MLflow's session metadata so MLflow groups a session's calls. Grouping calls into one
 * trace per CLI conversation turn, and the tool spans reconstructed from {@code tool_use} and
 * {@code tool_result} blocks, are the gateway's to build on this.
 *
 * <p>Thread-safe; {@link #record} never blocks and never throws for a failed export.
 */
public final class GatewayTraces {
  /** Traces nothing: tracing is off. */
  static final GatewayTraces OFF = new GatewayTraces(null, null, null, null, null);

  private final Tracer tracer;
  private final TracingSettings settings;
  private final MlflowExporter exporter;
  private final Masker masker;
  private final String version;

  GatewayTraces(Tracer tracer, TracingSettings settings, MlflowExporter exporter, Masker masker, String version) {
    this.tracer = tracer;
    this.settings = settings;
    this.exporter = exporter;
    this.masker = masker;
    this.version = version;
  }

  /**
   * One model call through the gateway.
   *
   * @param sessionId the terminal session (or the CLI's own session id when its protocol carries one)
   * @param user who owns the session
   * @param userToken the user's workspace token, to export as them and to mask; may be null
   * @param inputMessages the request's messages as JSON, in the GenAI conventions' shape when the
   *     gateway can build it, else the protocol's own
   * @param outputMessages the answer's messages as JSON
   * @param stopReason why the answer ended, or null
   * @param error the failure, or null when the call succeeded
   */
  public record Call(String sessionId, String user, String userToken, String model, String inputMessages,
      String outputMessages, long inputTokens, long outputTokens, long cacheReadTokens, long cacheCreationTokens,
      Instant start, Instant end, String stopReason, String error) {
    public Call {
      Objects.requireNonNull(sessionId, "sessionId");
      Objects.requireNonNull(user, "user");
      Objects.requireNonNull(model, "model");
      Objects.requireNonNull(start, "start");
      Objects.requireNonNull(end, "end");
    }

    @Override
    public String toString() {
      return "Call[session " + sessionId + ", " + user + ", " + model + ", " + inputTokens + "/" + outputTokens + " tokens]";
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
    var attributes = Attributes.builder()
        .put(SpanKeys.OPERATION, "chat")
        .put(SpanKeys.MLFLOW_SPAN_TYPE, "LLM")
        .put(SpanKeys.REQUEST_MODEL, call.model())
        .put(SpanKeys.RESPONSE_MODEL, call.model())
        .put(SpanKeys.INPUT_TOKENS, call.inputTokens())
        .put(SpanKeys.OUTPUT_TOKENS, call.outputTokens())
        .put(SpanKeys.CACHE_READ_TOKENS, call.cacheReadTokens())
        .put(SpanKeys.CACHE_CREATION_TOKENS, call.cacheCreationTokens())
        .put(SpanKeys.MLFLOW_USER, call.user())
        .put(SpanKeys.MLFLOW_SESSION, call.sessionId())
        .put(SpanKeys.USER, call.user())
        .put(SpanKeys.SESSION_ID, call.sessionId())
        .put(SpanKeys.RUNTIME, "terminal")
        .put(SpanKeys.VERSION, version)
        .put(SpanKeys.EXPERIMENT, experiment);
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
    Span span = tracer.spanBuilder("chat " + call.model()).setNoParent().setStartTimestamp(call.start())
        .setAllAttributes(attributes.build()).startSpan();
    if (call.error() != null) {
      span.setAttribute(SpanKeys.ERROR_TYPE, "model_error");
      span.setStatus(StatusCode.ERROR, masking.text(call.error()));
    } else {
      span.setStatus(StatusCode.OK);
    }
    span.end(call.end());
  }
}
