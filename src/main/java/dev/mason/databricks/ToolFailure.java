package dev.mason.databricks;

/**
 * A failure the model should read and act on: bad input, a missing object, a timeout. Thrown by
 * tool code, turned into an error result by {@link DatabricksTool}; its message is the whole
 * answer, so it says what was wrong and what to do instead.
 */
final class ToolFailure extends RuntimeException {
  ToolFailure(String message) {
    super(message);
  }

  ToolFailure(String message, Throwable cause) {
    super(message, cause);
  }
}
