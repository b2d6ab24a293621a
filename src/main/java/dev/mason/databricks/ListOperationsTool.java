package dev.mason.databricks;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mason.agent.tool.InputSchema;
import dev.mason.web.Json;
import java.time.Instant;
import java.util.List;

/** list_operations: the caller's Databricks tool calls that went to the background. */
final class ListOperationsTool extends DatabricksTool {
  private static final List<String> STATUSES = List.of("all", "running", "completed", "failed");

  ListOperationsTool(ToolRuntime runtime) {
    super(runtime, "list_operations",
        "Lists your Databricks tool calls that went to the background (newest first) with their status; results are read "
            + "with check_operation_status. Operations are kept for an hour after they end.",
        InputSchema.object()
            .choice("status", "all (default), running, completed or failed.", STATUSES), READ_ONLY, IN_FOREGROUND);
  }

  @Override
  String run(ToolCall call) {
    String status = call.args().choice("status", STATUSES, "all");
    Instant now = runtime.clock().instant();
    ArrayNode list = Json.MAPPER.createArrayNode();
    for (Operations.Operation op : runtime.operations().list(call.caller().user())) {
      ObjectNode entry = CheckOperationStatusTool.describe(op, now);
      if (status.equals("all") || entry.path("status").asText().equals(status)) {
        entry.remove("result");
        list.add(entry);
      }
    }
    return Json.MAPPER.createObjectNode().put("count", list.size()).set("operations", list).toString();
  }
}
