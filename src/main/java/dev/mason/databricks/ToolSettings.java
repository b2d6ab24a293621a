package dev.mason.databricks;

import dev.mason.env.ConfigException;
import dev.mason.env.Env;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;

/**
 * How the Databricks tools pace themselves.
 *
 * @param asyncAfter how long a call may run before it answers {@code {status: "async", operation_id}}
 *     and goes on in the background ({@code MASON_TOOL_ASYNC_AFTER_SECONDS}, default 10 s)
 * @param pollInterval the longest pause between two polls of a statement, run or update; polls
 *     start faster and slow down to this
 */
public record ToolSettings(Duration asyncAfter, Duration pollInterval) {
  public static final Duration DEFAULT_ASYNC_AFTER = Duration.ofSeconds(10);
  public static final Duration DEFAULT_POLL_INTERVAL = Duration.ofSeconds(2);
  static final String ASYNC_AFTER_VARIABLE = "MASON_TOOL_ASYNC_AFTER_SECONDS";

  public ToolSettings {
    Objects.requireNonNull(asyncAfter, "asyncAfter");
    Objects.requireNonNull(pollInterval, "pollInterval");
    if (asyncAfter.isNegative() || asyncAfter.isZero()) {
      throw new ConfigException(ASYNC_AFTER_VARIABLE, "must be a positive number of seconds");
    }
    if (pollInterval.isNegative() || pollInterval.isZero()) {
      throw new IllegalArgumentException("pollInterval must be positive");
    }
  }

  public static ToolSettings defaults() {
    return new ToolSettings(DEFAULT_ASYNC_AFTER, DEFAULT_POLL_INTERVAL);
  }

  /** Reads {@code MASON_TOOL_ASYNC_AFTER_SECONDS} (a positive whole number) from {@code env}. */
  public static ToolSettings fromEnvironment(Map<String, String> env) {
    Env vars = Env.of(env);
    return new ToolSettings(Duration.ofSeconds(vars.wholeNumber(ASYNC_AFTER_VARIABLE, DEFAULT_ASYNC_AFTER.toSeconds())),
        DEFAULT_POLL_INTERVAL);
  }
}
