package dev.mason.databricks;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mason.agent.tool.ToolFailure;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.stream.StreamSupport;

/**
 * The order in which warehouses are offered: running shared warehouses first (their names say
 * "shared", as workspaces name the ones meant for everyone), then other running ones, then
 * starting, then stopped; within each tier the caller's own first, then by name. Deleted or
 * deleting warehouses are left out.
 */
final class WarehouseRanking {
  private WarehouseRanking() {}

  static List<JsonNode> rank(JsonNode warehouses, String user) {
    return StreamSupport.stream(warehouses.spliterator(), false)
        .filter(w -> tier(w) < Integer.MAX_VALUE)
        .sorted(Comparator.<JsonNode>comparingInt(WarehouseRanking::tier)
            .thenComparing(w -> w.path("creator_name").asText().equalsIgnoreCase(user) ? 0 : 1)
            .thenComparing(w -> w.path("name").asText().toLowerCase(Locale.ROOT)))
        .toList();
  }

  /** The warehouses of {@code caller}'s workspace, ranked. */
  static List<JsonNode> list(ToolCall call) {
    return rank(call.api().get("/api/2.0/sql/warehouses").path("warehouses"), call.caller().user());
  }

  /** The best warehouse's id; a failure naming what to do when the caller can use none. */
  static String bestId(ToolCall call) {
    List<JsonNode> ranked = list(call);
    if (ranked.isEmpty()) {
      throw new ToolFailure("no SQL warehouse is available to you: create one in the workspace, or pass warehouse_id");
    }
    return ranked.getFirst().path("id").asText();
  }

  static boolean shared(JsonNode warehouse) {
    return warehouse.path("name").asText().toLowerCase(Locale.ROOT).contains("shared");
  }

  private static int tier(JsonNode warehouse) {
    return switch (warehouse.path("state").asText()) {
      case "RUNNING" -> shared(warehouse) ? 0 : 1;
      case "STARTING" -> 2;
      case "STOPPED", "STOPPING" -> 3;
      default -> Integer.MAX_VALUE;
    };
  }
}
