package dev.mason.databricks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mason.agent.tool.InputSchema;
import dev.mason.agent.tool.ToolFailure;
import dev.mason.web.Json;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/** list_compute: clusters, node types and runtimes, or the one of each to use. */
final class ListComputeTool extends DatabricksTool {
  private static final List<String> RESOURCES = List.of("clusters", "node_types", "spark_versions");
  private static final int MAX_ITEMS = 100;

  ListComputeTool(ToolRuntime runtime) {
    super(runtime, "list_compute",
        "Lists compute: clusters the user can see (interactive ones the user can attach to are marked usable_by_you), "
            + "node types, or Databricks runtime versions. With auto_select it returns the one to use instead of a list: "
            + "the best running cluster (the user's own first), the smallest current node type with 4 cores, or the newest "
            + "LTS runtime.",
        InputSchema.object()
            .choice("resource", "clusters (default), node_types or spark_versions.", RESOURCES)
            .bool("auto_select", "Return only the recommended item (default false).")
            .bool("running_only", "For clusters: only running ones (default false)."), READ_ONLY, IN_BACKGROUND);
  }

  @Override
  String run(ToolCall call) {
    String resource = call.args().choice("resource", RESOURCES, "clusters");
    boolean autoSelect = call.args().optBool("auto_select", false);
    String user = call.caller().user();
    ArrayNode items = Json.MAPPER.createArrayNode();
    switch (resource) {
      case "clusters" -> {
        if (autoSelect) {
          Optional<JsonNode> best = Clusters.bestRunning(call);
          if (best.isEmpty()) {
            throw new ToolFailure("no running cluster is available to you; start one with manage_cluster action=start, "
                + "or run code on serverless (execute_code compute_type=serverless)");
          }
          return Clusters.summary(best.get(), user).toString();
        }
        boolean runningOnly = call.args().optBool("running_only", false);
        Clusters.clusters(call).stream()
            .filter(c -> !runningOnly || c.path("state").asText().equals("RUNNING"))
            .sorted(Comparator.comparingInt(c -> Clusters.usableBy(c, user) ? 0 : 1))
            .limit(MAX_ITEMS)
            .forEach(c -> items.add(Clusters.summary(c, user)));
      }
      case "node_types" -> {
        if (autoSelect) {
          return Json.MAPPER.createObjectNode().put("node_type_id", Clusters.defaultNodeType(call)).toString();
        }
        Clusters.nodeTypes(call).stream().limit(MAX_ITEMS).forEach(t -> items.addObject()
            .put("node_type_id", t.path("node_type_id").asText())
            .put("cores", t.path("num_cores").asDouble())
            .put("memory_gb", Math.round(t.path("memory_mb").asLong() / 102.4) / 10.0)
            .put("category", t.path("category").asText(null)));
      }
      default -> {
        if (autoSelect) {
          return Json.MAPPER.createObjectNode().put("spark_version", Clusters.defaultSparkVersion(call)).toString();
        }
        Clusters.sparkVersions(call).stream().limit(MAX_ITEMS).forEach(v -> items.addObject()
            .put("key", v.path("key").asText()).put("name", v.path("name").asText()).put("lts", Clusters.plainLts(v)));
      }
    }
    ObjectNode out = Json.MAPPER.createObjectNode().put("resource", resource).put("count", items.size());
    out.set(resource, items);
    return out.toString();
  }
}
