package dev.mason.tracing;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ExportStatusTest {
  @Test
  void aFullQueueDropsAndCountsTheSpansThatDoNotFitUntilAnExportMakesRoom() {
    var status = new ExportStatus();
    assertThat(status.admit(2)).isTrue();
    assertThat(status.admit(2)).isTrue();
    assertThat(status.admit(2)).as("the third span of a queue of two").isFalse();
    assertThat(status.snapshot().dropped()).isEqualTo(1);
    assertThat(status.snapshot().queued()).isEqualTo(2);

    status.release(2);
    status.exported(2);
    assertThat(status.admit(2)).as("after the export").isTrue();
    assertThat(status.snapshot().exported()).isEqualTo(2);
    assertThat(status.snapshot().lastExportAt()).isNotNull();
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
