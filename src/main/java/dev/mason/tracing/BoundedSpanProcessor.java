package dev.mason.tracing;

import io.opentelemetry.context.Context;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.trace.ReadWriteSpan;
import io.opentelemetry.sdk.trace.ReadableSpan;
import io.opentelemetry.sdk.trace.SpanProcessor;

/**
 * Caps the spans waiting for export, counting each one dropped, in front of the SDK's batch
 * processor. The batch processor would drop silently when its queue is full (the newest span, as
 * here); counting here makes the drops visible in the status.
 *
 * <p>{@link ExportStatus#admit} counts the spans handed on and not yet through an export (queued
 * or being sent); the exporter releases them when their export ends, whatever the result. The
 * batch processor's queue is as large as the cap, so it never drops on its own.
 */
final class BoundedSpanProcessor implements SpanProcessor {
  private final SpanProcessor batch;
  private final int cap;
  private final ExportStatus status;

  BoundedSpanProcessor(SpanProcessor batch, int cap, ExportStatus status) {
    this.batch = batch;
    this.cap = cap;
    this.status = status;
  }

  @Override
  public void onStart(Context parentContext, ReadWriteSpan span) {
    batch.onStart(parentContext, span);
  }

  @Override
  public boolean isStartRequired() {
    return batch.isStartRequired();
  }

  @Override
  public void onEnd(ReadableSpan span) {
    if (status.admit(cap)) {
      batch.onEnd(span);
    }
  }

  @Override
  public boolean isEndRequired() {
    return true;
  }

  @Override
  public CompletableResultCode shutdown() {
    return batch.shutdown();
  }

  @Override
  public CompletableResultCode forceFlush() {
    return batch.forceFlush();
  }
}
