package dev.mason.agent.llm;

import dev.mason.agent.message.ContentBlock;
import java.time.Duration;

/**
 * Receives a model's answer while it streams. Called on the thread that called
 * {@link ModelClient#stream}; implementations must not block for long (the HTTP stream waits).
 */
public interface StreamListener {
  StreamListener NONE = new StreamListener() {};

  default void onTextDelta(String text) {}

  default void onThinkingDelta(String text) {}

  /** A block is complete (text, thinking with its signature, a tool call with its parsed input). */
  default void onContentBlock(ContentBlock block) {}

  /**
   * The current attempt failed and another follows after {@code delay}. Every delta and block
   * delivered since the call began or since the previous {@code onRetry} is void: discard it.
   *
   * @param attempt the number of the attempt about to start (2 for the first retry)
   * @param reason why the previous attempt failed, safe to show (never contains a token)
   */
  default void onRetry(int attempt, Duration delay, String reason) {}
}
