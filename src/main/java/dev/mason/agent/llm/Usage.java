package dev.mason.agent.llm;

/**
 * Tokens of one turn, in the Anthropic sense whatever the protocol: {@code inputTokens} excludes
 * the tokens read from or written to the prompt cache (OpenAI's {@code prompt_tokens} includes its
 * {@code cached_tokens}, so the OpenAI client subtracts them).
 */
public record Usage(long inputTokens, long outputTokens, long cacheReadInputTokens, long cacheCreationInputTokens) {
  public static final Usage ZERO = new Usage(0, 0, 0, 0);

  public Usage plus(Usage other) {
    return new Usage(
        inputTokens + other.inputTokens,
        outputTokens + other.outputTokens,
        cacheReadInputTokens + other.cacheReadInputTokens,
        cacheCreationInputTokens + other.cacheCreationInputTokens);
  }
}
