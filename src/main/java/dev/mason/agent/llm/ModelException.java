package dev.mason.agent.llm;

import java.time.Duration;

/**
 * A model call that did not produce a turn. The message is meant for the user: it names the
 * endpoint and model, quotes the API's own error message, and never contains a token.
 */
public final class ModelException extends Exception {
  private final int status;
  private final String errorType;
  private final boolean retryable;
  private final boolean cancelled;
  private final transient Duration retryAfter;

  ModelException(String message, int status, String errorType, boolean retryable, Duration retryAfter, Throwable cause) {
    super(message, cause);
    this.status = status;
    this.errorType = errorType;
    this.retryable = retryable;
    this.cancelled = false;
    this.retryAfter = retryAfter;
  }

  private ModelException(String message) {
    super(message);
    this.status = 0;
    this.errorType = null;
    this.retryable = false;
    this.cancelled = true;
    this.retryAfter = null;
  }

  static ModelException cancelled(String what) {
    return new ModelException(what + " was cancelled");
  }

  static ModelException refused(String message) {
    return new ModelException(message, 0, null, false, null, null);
  }

  /** The HTTP status, or 0 when there was none (a dropped connection, a cancellation, an error event). */
  public int status() {
    return status;
  }

  /** The API's error type, e.g. {@code overloaded_error} or {@code invalid_request_error}; null if none. */
  public String errorType() {
    return errorType;
  }

  /** Whether the same request could succeed later; already retried when thrown from a client. */
  public boolean retryable() {
    return retryable;
  }

  /** Whether the call stopped because its run was cancelled. */
  public boolean cancelled() {
    return cancelled;
  }

  /** How long the API asked to wait, or null. */
  Duration retryAfter() {
    return retryAfter;
  }
}
