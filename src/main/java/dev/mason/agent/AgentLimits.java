package dev.mason.agent;

import dev.mason.env.ConfigException;
import dev.mason.env.Env;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;

/**
 * Bounds of one agent run.
 *
 * @param maxTurns model calls per run before it ends with a clear message ({@code MASON_MAX_TURNS})
 * @param maxOutputTokens the most tokens one model answer may have ({@code MASON_MAX_OUTPUT_TOKENS})
 * @param contextTokens the model's context window; the history is compacted before it fills
 *     ({@code MASON_CONTEXT_TOKENS})
 * @param claudeCodeIdle how long a conversation's Claude Code process waits for the next message
 *     before it is ended; the next message then resumes the session in a new one
 *     ({@code MASON_CLAUDE_CODE_IDLE_SECONDS})
 */
public record AgentLimits(int maxTurns, int maxOutputTokens, int contextTokens, Duration claudeCodeIdle) {
  public static final AgentLimits DEFAULTS = new AgentLimits(50, 16_000, 200_000, Duration.ofMinutes(10));

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
    Objects.requireNonNull(claudeCodeIdle, "claudeCodeIdle");
    if (claudeCodeIdle.toSeconds() < 5 || claudeCodeIdle.toSeconds() > 86_400) {
      throw new ConfigException("MASON_CLAUDE_CODE_IDLE_SECONDS", "must be between 5 and 86400, was " + claudeCodeIdle.toSeconds());
    }
  }

  public static AgentLimits fromEnv(Map<String, String> env) {
    Env vars = Env.of(env);
    return new AgentLimits(
        vars.integer("MASON_MAX_TURNS", DEFAULTS.maxTurns()),
        vars.integer("MASON_MAX_OUTPUT_TOKENS", DEFAULTS.maxOutputTokens()),
        vars.integer("MASON_CONTEXT_TOKENS", DEFAULTS.contextTokens()),
        Duration.ofSeconds(vars.integer("MASON_CLAUDE_CODE_IDLE_SECONDS", (int) DEFAULTS.claudeCodeIdle().toSeconds())));
  }

}
