package dev.mason.agent.tool;

/**
 * A failure the model should read and act on (a path outside the project, a missing file, an
 * ambiguous edit), as opposed to a bug. Its message is shown to the model verbatim, so it must be
 * short, name what was refused, and never contain a secret.
 *
 * <p>The one failure type of every tool (built-in, Databricks, Skill): the tool bases turn it into
 * {@link ToolResult#error}; {@link ToolDispatcher} does the same for any tool that throws it,
 * without logging a stack trace.
 */
public final class ToolFailure extends RuntimeException {
  public ToolFailure(String message) {
    super(message, null, false, false);
  }

  /** With the exception that caused it, kept for a debugger; the model reads only the message. */
  public ToolFailure(String message, Throwable cause) {
    super(message, cause, false, false);
  }
}
