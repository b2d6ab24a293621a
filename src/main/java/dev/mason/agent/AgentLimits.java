package dev.mason.agent;

import dev.mason.env.ConfigException;
import dev.mason.env.Env;
import java.util.Map;

/**
 * Bounds of one agent run.
 *
 * @param maxTurns model calls per run before it ends with a clear message ({@code MASON_MAX_TURNS})
 * @param maxOutputTokens the most tokens one model answer may have ({@code MASON_MAX_OUTPUT_TOKENS})
 * @param contextTokens the model's context window; the history is compacted before it fills
 *     ({@code MASON_CONTEXT_TOKENS})
 */
public record AgentLimits(int maxTurns, int maxOutputTokens, int contextTokens) {
  public static final AgentLimits DEFAULTS = new AgentLimits(50, 16_000, 200_000);

  public AgentLimits {
    if (maxTurns < 1 || maxTurns > 1_000) {
      throw new ConfigException("MASON_MAX_TURNS", "must be between 1 and 1000, was " + maxTurns);
    }
    if (maxOutputTokens < 256) {
      throw new ConfigException("MASON_MAX_OUTPUT_TOKENS", "must be at least 256, was " + maxOutputTokens);
    }
    if (contextTokens < 2_000) {
      throw new ConfigException("MASON_CONTEXT_TOKENS", "must be at least 2000, was " + contextTokens);
    }
  }

  public static AgentLimits fromEnv(Map<String, String> env) {
    Env vars = Env.of(env);
    return new AgentLimits(
        vars.integer("MASON_MAX_TURNS", DEFAULTS.maxTurns()),
        vars.integer("MASON_MAX_OUTPUT_TOKENS", DEFAULTS.maxOutputTokens()),
        vars.integer("MASON_CONTEXT_TOKENS", DEFAULTS.contextTokens()));
  }

}
