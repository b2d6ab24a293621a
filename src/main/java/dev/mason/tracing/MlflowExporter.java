package dev.mason.tracing;

import dev.mason.identity.TokenSuccession;
import io.opentelemetry.exporter.internal.FailedExportException;
import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporter;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.common.export.RetryPolicy;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Sends spans to MLflow with the official OTLP/HTTP exporter, each to its own experiment: the
 * spans of a batch are grouped by {@link SpanKeys#EXPERIMENT}, the experiment is found (or
 * created) as its user, and each group goes out with its {@code x-mlflow-experiment-id} header.
 *
 * <p>One OTLP exporter per experiment, since the header is per request. A failed request is
 * retried with backoff by the exporter ({@link #RETRY}); a group that still fails is given up,
 * counted and reported to the {@link ExportStatus}. Called by the batch processor's one thread;
 * the maps are concurrent because the HTTP sender completes on its own threads.
 */
final class MlflowExporter implements SpanExporter {
  /** Four attempts, 0.25 s, 0.6 s and 1.6 s apart: a restart of MLflow is ridden out, a dead one costs 3 s a batch. */
  static final RetryPolicy RETRY = RetryPolicy.builder().setMaxAttempts(4).setInitialBackoff(Duration.ofMillis(250))
      .setMaxBackoff(Duration.ofSeconds(4)).setBackoffMultiplier(2.5).setRetryExceptionPredicate(e -> true).build();
  private static final Duration TIMEOUT = Duration.ofSeconds(10);
  private static final Duration SHUTDOWN_LIMIT = Duration.ofSeconds(5);

  private final TrackingServer server;
  private final Experiments experiments;
  private final ExportStatus status;
  /** The latest token of each experiment's user, for the export headers; never logged. */
  private final Map<String, String> tokens = new ConcurrentHashMap<>();
  private final Map<String, OtlpHttpSpanExporter> exporters = new ConcurrentHashMap<>();
  private final TokenSuccession succession;

  MlflowExporter(TrackingServer server, Experiments experiments, ExportStatus status, TokenSuccession succession) {
    this.server = server;
    this.experiments = experiments;
    this.status = status;
    this.succession = succession;
  }

  /** The spans of {@code experiment} go out as the user whose token this is (null: the server's fallback). */
  void useToken(String experiment, String userToken) {
    String token = server.token(userToken);
    if (token != null) {
      tokens.put(experiment, token);
    }
  }

  @Override
  public CompletableResultCode export(Collection<SpanData> spans) {
    Map<String, List<SpanData>> byExperiment = new LinkedHashMap<>();
    for (SpanData span : spans) {
      String experiment = span.getAttributes().get(SpanKeys.EXPERIMENT);
      byExperiment.computeIfAbsent(experiment == null ? "" : experiment, e -> new ArrayList<>()).add(span);
    }
    List<CompletableResultCode> results = new ArrayList<>();
    byExperiment.forEach((experiment, group) -> results.add(send(experiment, group)));
    return CompletableResultCode.ofAll(results);
  }

  private CompletableResultCode send(String experiment, List<SpanData> spans) {
    CompletableResultCode result;
    try {
      String id = experiments.idOf(experiment, tokenOf(experiment));
      result = exporters.computeIfAbsent(id, key -> newExporter(key, experiment)).export(spans);
    } catch (TracingException e) {
      result = CompletableResultCode.ofExceptionalFailure(e);
    }
    CompletableResultCode sent = result;
    sent.whenComplete(() -> {
      if (sent.isSuccess()) {
        status.exported(spans.size());
      } else {
        status.failed(spans.size(), describe(sent.getFailureThrowable(), experiment));
      }
    });
    return sent;
  }

  /** The token the experiment's spans go out with now: the last run's, followed across rotations. */
  private String tokenOf(String experiment) {
    return succession.current(tokens.get(experiment));
  }

  private OtlpHttpSpanExporter newExporter(String experimentId, String experiment) {
    return OtlpHttpSpanExporter.builder()
        .setEndpoint(server.otlpEndpoint())
        .setHeaders(() -> server.exportHeaders(experimentId, tokenOf(experiment)))
        .setTimeout(TIMEOUT)
        .setConnectTimeout(Duration.ofSeconds(5))
        .setRetryPolicy(RETRY)
        .build();
  }

  /**
   * Why an export failed, without a credential (the exporter's failures name the endpoint, never
   * a header). The SDK reports an HTTP answer as its {@code HttpExportException}, from an internal
   * package of the exporter: the version is pinned, and the status code is what says why.
   */
  private String describe(Throwable failure, String experiment) {
    if (failure instanceof TracingException) {
      return failure.getMessage();
    }
    String where = "sending spans of the experiment " + experiment + " to " + server.otlpEndpoint();
    if (failure instanceof FailedExportException.HttpExportException http && http.failedWithResponse()) {
      var response = http.getResponse();
      return where + ": HTTP " + response.getStatusCode() + " " + response.getStatusMessage();
    }
    if (failure == null) {
      return where + " failed";
    }
    Throwable cause = failure.getCause() != null ? failure.getCause() : failure;
    return where + ": " + cause;
  }

  @Override
  public CompletableResultCode flush() {
    return CompletableResultCode.ofAll(exporters.values().stream().map(SpanExporter::flush).toList());
  }

  @Override
  public CompletableResultCode shutdown() {
    CompletableResultCode all = CompletableResultCode.ofAll(exporters.values().stream().map(SpanExporter::shutdown).toList());
    return all.join(SHUTDOWN_LIMIT.toMillis(), TimeUnit.MILLISECONDS);
  }
}
