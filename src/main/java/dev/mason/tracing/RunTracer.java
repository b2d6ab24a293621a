package dev.mason.tracing;

import dev.mason.agent.RunListener;
import io.opentelemetry.api.trace.Tracer;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Traces every agent run: a {@link RunSpans} per run, filed under the run's experiment (the one
 * the run asked for, else the caller's default), exported as the caller.
 *
 * <p>Remembers the trace of the last {@link #REMEMBERED} runs for their trace URL; older runs,
 * and runs of an earlier process, have none. {@code traces} is guarded by {@code lock}.
 */
final class RunTracer implements RunListener {
  static final int REMEMBERED = 10_000;

  private final Tracer tracer;
  private final TracingSettings settings;
  private final MlflowExporter exporter;
  private final Experiments experiments;
  private final TrackingServer server;
  private final Masker masker;
  private final String version;
  private final AsyncLinks async = new AsyncLinks();
  private final ReentrantLock lock = new ReentrantLock();
  private final Map<UUID, Trace> traces = new LinkedHashMap<>(16, 0.75f, false) {
    @Override
    protected boolean removeEldestEntry(Map.Entry<UUID, Trace> eldest) {
      return size() > REMEMBERED;
    }
  };

  private record Trace(String traceId, String experiment) {}

  RunTracer(Tracer tracer, TracingSettings settings, MlflowExporter exporter, Experiments experiments,
      TrackingServer server, Masker masker, String version) {
    this.tracer = tracer;
    this.settings = settings;
    this.exporter = exporter;
    this.experiments = experiments;
    this.server = server;
    this.masker = masker;
    this.version = version;
  }

  @Override
  public Run started(RunStart start) {
    String experiment = start.experimentName() != null ? start.experimentName() : settings.experimentFor(start.caller().user());
    exporter.useToken(experiment, start.caller().accessToken());
    var spans = new RunSpans(tracer, masker.and(start.caller().accessToken()), async, start, experiment, version);
    lock.lock();
    try {
      traces.put(start.executionId(), new Trace(spans.traceId(), experiment));
    } finally {
      lock.unlock();
    }
    return spans;
  }

  @Override
  public Optional<String> traceUrl(UUID executionId) {
    Trace trace;
    lock.lock();
    try {
      trace = traces.get(executionId);
    } finally {
      lock.unlock();
    }
    // MLflow names a trace it ingested over OTLP "tr-" and the trace id's hex digits.
    return trace == null ? Optional.empty()
        : experiments.known(trace.experiment()).map(id -> server.traceUrl(id, "tr-" + trace.traceId()));
  }
}
