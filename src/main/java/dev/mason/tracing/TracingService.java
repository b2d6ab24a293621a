package dev.mason.tracing;

import dev.mason.agent.RunListener;
import dev.mason.identity.Caller;
import dev.mason.identity.TokenSuccession;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.SpanLimits;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * MLflow tracing of agent runs and gateway calls, with the OpenTelemetry SDK built here by hand:
 * no autoconfiguration, so the platform's own {@code OTEL_*} variables never redirect Mason's traces.
 *
 * <p>Spans end into a bounded queue ({@link ExportQueue}, which drops the oldest when full), which
 * one thread exports to MLflow ({@link MlflowExporter}); a run only ever
 * adds to the queue, so a slow, down or refusing MLflow never slows, fails or changes it.
 */
public final class TracingService implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(TracingService.class);
  /** Longest attribute value kept: a tool's output or a model's messages beyond it are cut. */
  static final int MAX_VALUE_CHARS = 64 * 1024;
  private static final Duration SCHEDULE_DELAY = Duration.ofSeconds(1);
  private static final Duration SHUTDOWN_LIMIT = Duration.ofSeconds(5);
  /**
   * The OTLP exporter logs every failed export through java.util.logging; Mason logs each cause
   * once instead ({@link ExportStatus}). Held here because java.util.logging keeps loggers weakly.
   */
  private static final java.util.logging.Logger EXPORTER_LOG = java.util.logging.Logger.getLogger("io.opentelemetry.exporter");

  private final TracingSettings settings;
  private final TrackingServer server;
  private final ExportStatus status;
  private final SdkTracerProvider provider;
  private final HttpClient http;
  private final RunListener runs;
  private final GatewayTraces gateway;
  /** Null when tracing is off. */
  private final ExportQueue queue;

  private TracingService(TracingSettings settings, TrackingServer server, ExportStatus status, SdkTracerProvider provider,
      HttpClient http, RunListener runs, GatewayTraces gateway, ExportQueue queue) {
    this.queue = queue;
    this.settings = settings;
    this.server = server;
    this.status = status;
    this.provider = provider;
    this.http = http;
    this.runs = runs;
    this.gateway = gateway;
  }

  /**
   * @param workspaceHost the workspace URL, or null (needed for {@code MLFLOW_TRACKING_URI=databricks})
   * @param workspaceToken Mason's own DATABRICKS_TOKEN, or null
   * @param secrets every credential Mason holds, masked in every span
   * @param succession what a run's token stands for when its spans go out: a terminal owner's
   *     minted token may have been rotated since the run started
   */
  public static TracingService start(TracingSettings settings, String workspaceHost, String workspaceToken,
      List<String> secrets, String version, TokenSuccession succession) {
    if (!settings.active()) {
      log.info("MLflow tracing is off: {}", settings.offReason());
      return new TracingService(settings, null, new ExportStatus(), null, null, RunListener.NONE, GatewayTraces.OFF, null);
    }
    EXPORTER_LOG.setLevel(Level.OFF);
    TrackingServer server = TrackingServer.of(settings, workspaceHost, workspaceToken);
    var status = new ExportStatus();
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    var experiments = new Experiments(server, http);
    var exporter = new MlflowExporter(server, experiments, status, succession);
    var queue = new ExportQueue(exporter, settings.queueSize(), SCHEDULE_DELAY, status);
    SdkTracerProvider provider = SdkTracerProvider.builder()
        .setResource(Resource.getDefault().merge(Resource.create(Attributes.of(
            AttributeKey.stringKey("service.name"), "mason", AttributeKey.stringKey("service.version"), version))))
        .setSpanLimits(SpanLimits.builder().setMaxAttributeValueLength(MAX_VALUE_CHARS).build())
        .addSpanProcessor(queue)
        .build();
    var tracer = provider.get("dev.mason.tracing", version);
    var masker = new Masker(secrets);
    log.info("MLflow tracing: runs are traced to {}", server.describe());
    return new TracingService(settings, server, status, provider, http,
        new RunTracer(tracer, settings, exporter, experiments, server, masker, version),
        new GatewayTraces(tracer, settings, exporter, masker, version, Duration.ofSeconds(settings.turnGapSeconds())), queue);
  }

  /** What the agent room calls for every run. */
  public RunListener runs() {
    return runs;
  }

  /** What the model gateway calls for every model call it passes on. */
  public GatewayTraces gateway() {
    return gateway;
  }

  /** {enabled, tracking_uri, experiment_name, info, last_export_at, last_error, …} as {@code caller} sees it. */
  Map<String, Object> status(Caller caller) {
    Map<String, Object> body = new LinkedHashMap<>();
    boolean enabled = settings.active();
    String experiment = settings.experimentFor(caller.user());
    body.put("enabled", enabled);
    body.put("tracking_uri", settings.trackingUri());
    body.put("experiment_name", experiment);
    body.put("info", enabled ? "runs are traced to " + server.describe() + ", experiment " + experiment
        + " (a run's mlflow_experiment_name overrides it)" : settings.offReason());
    var snapshot = status.snapshot();
    body.put("last_export_at", snapshot.lastExportAt());
    body.put("last_error", snapshot.lastError());
    body.put("last_error_at", snapshot.lastErrorAt());
    body.put("exported_spans", snapshot.exported());
    body.put("failed_spans", snapshot.failed());
    body.put("dropped_spans", snapshot.dropped());
    body.put("queued_spans", queue == null ? 0 : queue.pending());
    return body;
  }

  /** Exports what is queued, bounded by {@link #SHUTDOWN_LIMIT}, and stops. */
  @Override
  public void close() {
    if (provider == null) {
      return;
    }
    gateway.close();
    var done = provider.shutdown().join(SHUTDOWN_LIMIT.toMillis(), TimeUnit.MILLISECONDS);
    if (!done.isDone()) {
      log.warn("Traces still queued after {} s of shutdown were not sent to MLflow", SHUTDOWN_LIMIT.toSeconds());
    }
    http.close();
  }
}
