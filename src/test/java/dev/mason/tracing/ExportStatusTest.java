package dev.mason.tracing;

import static org.assertj.core.api.Assertions.assertThat;

import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class ExportStatusTest {
  @Test
  void aFullQueuePushesOutTheOldestSpansCountsThemAndSendsTheNewest() {
    var status = new ExportStatus();
    List<List<String>> sent = new CopyOnWriteArrayList<>();
    SpanExporter exporter = new SpanExporter() {
      @Override
      public CompletableResultCode export(Collection<SpanData> spans) {
        sent.add(spans.stream().map(SpanData::getName).toList());
        status.exported(spans.size());
        return CompletableResultCode.ofSuccess();
      }

      @Override
      public CompletableResultCode flush() {
        return CompletableResultCode.ofSuccess();
      }

      @Override
      public CompletableResultCode shutdown() {
        return CompletableResultCode.ofSuccess();
      }
    };
    var queue = new ExportQueue(exporter, 3, Duration.ofHours(1), status);
    try (var provider = SdkTracerProvider.builder().addSpanProcessor(queue).build()) {
      var tracer = provider.get("test");
      for (int i = 1; i <= 5; i++) {
        tracer.spanBuilder("span-" + i).startSpan().end();
      }
      assertThat(status.snapshot().dropped()).as("the two oldest").isEqualTo(2);
      assertThat(queue.pending()).isEqualTo(3);
      assertThat(queue.forceFlush().join(10, TimeUnit.SECONDS).isSuccess()).isTrue();
      assertThat(sent).containsExactly(List.of("span-3", "span-4", "span-5"));
      assertThat(queue.pending()).isZero();
      assertThat(status.snapshot().exported()).isEqualTo(3);
    }
  }

  @Test
  void theLastErrorIsKeptWithItsTimeAfterALaterSuccess() {
    var status = new ExportStatus();
    status.failed(3, "sending spans to http://mlflow/v1/traces: HTTP 503");
    status.exported(1);
    var snapshot = status.snapshot();
    assertThat(snapshot.lastError()).contains("HTTP 503");
    assertThat(snapshot.lastErrorAt()).isBeforeOrEqualTo(snapshot.lastExportAt());
    assertThat(snapshot.failed()).isEqualTo(3);
  }
}
