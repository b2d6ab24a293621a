package dev.mason.databricks;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mason.agent.tool.InputSchema;
import dev.mason.agent.tool.ToolFailure;
import dev.mason.agent.tool.ToolResult;
import dev.mason.web.Json;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** check_operation_status: how a Databricks tool call that went to the background is doing, and its result. */
final class CheckOperationStatusTool extends DatabricksTool {
  CheckOperationStatusTool(ToolRuntime runtime) {
    super(runtime, "check_operation_status",
        "Reports on a Databricks tool call that answered {status: \"async\", operation_id}: running, completed or failed, "
            + "with the call's result once it has ended. wait_seconds waits up to that long for it to end first. "
            + "Operations are kept for an hour after they end.",
        InputSchema.object()
            .string("operation_id", "The operation_id from the async answer.")
            .integer("wait_seconds", "Wait up to this many seconds for the operation to end (default 0, at most 60).")
            .required("operation_id"), READ_ONLY, IN_FOREGROUND);
  }

  @Override
  String run(ToolCall call) throws InterruptedException {
    String id = call.args().string("operation_id");
    int wait = call.args().optInt("wait_seconds", 0, 0, 60);
    Operations.Operation op = runtime.operations().find(call.caller().user(), id).orElseThrow(() -> new ToolFailure(
        "no operation " + id + " (operations belong to the user who started them and are kept for an hour after they end)"));
    if (wait > 0 && op.running()) {
      try {
        op.result().get(wait, TimeUnit.SECONDS);
      } catch (TimeoutException | ExecutionException e) {
        // Still running, or failed: reported below either way.
      }
    }
    return describe(op, runtime.clock().instant()).toString();
  }

  static ObjectNode describe(Operations.Operation op, Instant now) {
    ObjectNode out = Json.MAPPER.createObjectNode().put("operation_id", op.id()).put("tool", op.tool())
        .put("started_at", op.started().toString());
    if (op.running()) {
      return out.put("status", "running").put("elapsed_seconds", Duration.between(op.started(), now).toSeconds());
    }
    Instant finished = op.finished().join();
    out.put("elapsed_seconds", Duration.between(op.started(), finished).toSeconds());
    try {
      ToolResult result = op.result().join();
      return out.put("status", result.isError() ? "failed" : "completed").put("result", result.content());
    } catch (RuntimeException e) {
      return out.put("status", "failed").put("result", "the operation failed unexpectedly; the server log has the details");
    }
  }
}
