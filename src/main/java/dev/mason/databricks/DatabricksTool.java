package dev.mason.databricks;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mason.agent.tool.InputSchema;
import dev.mason.agent.tool.ToolBase;
import dev.mason.agent.tool.ToolContext;
import dev.mason.agent.tool.ToolFailure;
import dev.mason.agent.tool.ToolResult;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The shape of every Databricks tool: a fixed name, description and schema, and a {@link #run}
 * that does the work for one caller with that caller's credential.
 *
 * <p>{@link #execute} adds what all of them need: the answer when no workspace is configured; the
 * background hand-off of a call still running after the configured wait; and the translation of
 * failures into short error results ({@link ToolFailure} as written, {@link WorkspaceException}
 * through {@link ErrorText}, anything else logged with a reference).
 *
 * <p>Stateless and thread-safe: one instance serves every user.
 */
abstract class DatabricksTool extends ToolBase {
  private static final Logger log = LoggerFactory.getLogger(DatabricksTool.class);
  /** For {@code mayRunInBackground}: a call still running after the configured wait becomes an operation. */
  static final boolean IN_BACKGROUND = true;
  /** For {@code mayRunInBackground}: the call is always answered in place (the tools that report on operations). */
  static final boolean IN_FOREGROUND = false;

  final ToolRuntime runtime;
  private final boolean mayRunInBackground;

  /** A tool that may change the workspace and may go to the background. */
  DatabricksTool(ToolRuntime runtime, String name, String description, InputSchema schema) {
    this(runtime, name, description, schema, WRITES, IN_BACKGROUND);
  }

  DatabricksTool(ToolRuntime runtime, String name, String description, InputSchema schema, boolean readOnly,
      boolean mayRunInBackground) {
    super(name, description, schema, readOnly);
    this.runtime = runtime;
    this.mayRunInBackground = mayRunInBackground;
  }

  /** Does the work; returns the text the model reads. */
  abstract String run(ToolCall call) throws Exception;

  @Override
  public final ToolResult execute(ToolContext context, JsonNode input) {
    if (!runtime.access().configured()) {
      return ToolResult.error(WorkspaceAccess.NO_WORKSPACE);
    }
    ToolCall call = new ToolCall(context, new Args(input), runtime);
    if (!mayRunInBackground) {
      return runSafely(call);
    }
    return runtime.operations().run(context.caller().user(), name(), runtime.settings().asyncAfter(),
        context.cancellation(), () -> runSafely(call));
  }

  private ToolResult runSafely(ToolCall call) {
    try {
      return ToolResult.ok(run(call));
    } catch (ToolFailure e) {
      return ToolResult.error(e.getMessage());
    } catch (WorkspaceException e) {
      return ToolResult.error(ErrorText.of(e, call.caller()));
    } catch (Polling.Cancelled e) {
      return ToolResult.error(name() + " was cancelled because the run was stopped");
    } catch (Exception e) {
      String reference = UUID.randomUUID().toString().substring(0, 8);
      log.error("Tool {} failed for {} (ref {})", name(), call.caller().user(), reference, e);
      return ToolResult.error(name() + " failed unexpectedly (ref " + reference + "); the server log has the details");
    }
  }
}
