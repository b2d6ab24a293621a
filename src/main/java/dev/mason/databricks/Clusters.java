package dev.mason.databricks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mason.agent.tool.ToolFailure;
import dev.mason.web.Json;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Reading the workspace's compute for a caller: the clusters they can attach to, the running one
 * to use, and sensible defaults for a new cluster (the newest LTS runtime, the smallest current
 * node type with four cores).
 */
final class Clusters {
  /** Clusters made by jobs, pipelines and serving are not for interactive code. */
  private static final Set<String> NOT_INTERACTIVE = Set.of("JOB", "PIPELINE", "PIPELINE_MAINTENANCE", "MODELS", "SQL");

  private Clusters() {}

  static List<JsonNode> clusters(ToolCall call) {
    return call.api().collect("/api/2.1/clusters/list", Map.of("page_size", 100), "clusters", 1_000);
  }

  static JsonNode cluster(ToolCall call, String id) {
    return call.api().get("/api/2.1/clusters/get", Map.of("cluster_id", id));
  }

  /**
   * Interactive clusters {@code user} may attach to: not job or pipeline clusters, and not a
   * single-user cluster of someone else. Their own first, then by name.
   */
  static List<JsonNode> usable(List<JsonNode> clusters, String user) {
    return clusters.stream()
        .filter(c -> !NOT_INTERACTIVE.contains(c.path("cluster_source").asText()))
        .filter(c -> usableBy(c, user))
        .sorted(Comparator.<JsonNode>comparingInt(c -> owns(c, user) ? 0 : 1)
            .thenComparing(c -> c.path("cluster_name").asText().toLowerCase(Locale.ROOT)))
        .toList();
  }

  static Optional<JsonNode> bestRunning(ToolCall call) {
    return usable(clusters(call), call.caller().user()).stream().filter(c -> c.path("state").asText().equals("RUNNING")).findFirst();
  }

  static boolean usableBy(JsonNode cluster, String user) {
    String mode = cluster.path("data_security_mode").asText("");
    return !mode.equals("SINGLE_USER") && !mode.equals("DATA_SECURITY_MODE_DEDICATED")
        || user.equalsIgnoreCase(cluster.path("single_user_name").asText());
  }

  static boolean owns(JsonNode cluster, String user) {
    return user.equalsIgnoreCase(cluster.path("creator_user_name").asText())
        || user.equalsIgnoreCase(cluster.path("single_user_name").asText());
  }

  static ObjectNode summary(JsonNode c, String user) {
    ObjectNode out = Json.MAPPER.createObjectNode()
        .put("cluster_id", c.path("cluster_id").asText())
        .put("cluster_name", c.path("cluster_name").asText())
        .put("state", c.path("state").asText())
        .put("creator", c.path("creator_user_name").asText(null))
        .put("spark_version", c.path("spark_version").asText(null))
        .put("node_type_id", c.path("node_type_id").asText(null))
        .put("access_mode", c.path("data_security_mode").asText(null))
        .put("usable_by_you", usableBy(c, user));
    if (c.has("autoscale")) {
      out.set("autoscale", c.get("autoscale"));
    } else {
      out.put("num_workers", c.path("num_workers").asInt(0));
    }
    if (c.hasNonNull("state_message") && !c.path("state_message").asText().isEmpty()) {
      out.put("state_message", c.path("state_message").asText());
    }
    return out;
  }

  /** Spark versions, newest first; LTS, non-ML, non-GPU runtimes are what {@link #defaultSparkVersion} picks. */
  static List<JsonNode> sparkVersions(ToolCall call) {
    List<JsonNode> versions = new ArrayList<>();
    call.api().get("/api/2.1/clusters/spark-versions").path("versions").forEach(versions::add);
    versions.sort(Comparator.comparing((JsonNode v) -> versionNumber(v.path("key").asText())).reversed());
    return versions;
  }

  static boolean plainLts(JsonNode version) {
    String name = version.path("name").asText();
    String key = version.path("key").asText();
    return name.contains("LTS") && !name.contains("ML") && !key.contains("-ml-") && !key.contains("gpu") && !key.contains("photon");
  }

  static String defaultSparkVersion(ToolCall call) {
    return sparkVersions(call).stream().filter(Clusters::plainLts).findFirst()
        .orElseThrow(() -> new ToolFailure("the workspace lists no LTS Databricks runtime; pass spark_version"))
        .path("key").asText();
  }

  /** Current node types, smallest first (cores, then memory). */
  static List<JsonNode> nodeTypes(ToolCall call) {
    List<JsonNode> types = new ArrayList<>();
    call.api().get("/api/2.1/clusters/list-node-types").path("node_types").forEach(t -> {
      if (!t.path("is_deprecated").asBoolean(false)) {
        types.add(t);
      }
    });
    types.sort(Comparator.<JsonNode>comparingDouble(t -> t.path("num_cores").asDouble())
        .thenComparingLong(t -> t.path("memory_mb").asLong()));
    return types;
  }

  static String defaultNodeType(ToolCall call) {
    List<JsonNode> types = nodeTypes(call);
    return types.stream().filter(t -> t.path("num_cores").asDouble() >= 4).findFirst()
        .or(() -> types.stream().reduce((a, b) -> b))
        .orElseThrow(() -> new ToolFailure("the workspace lists no node types; pass node_type_id"))
        .path("node_type_id").asText();
  }

  /** "16.4.x-scala2.12" as a comparable number: 16.4 → 16004. */
  private static int versionNumber(String key) {
    String[] parts = key.split("[.-]");
    try {
      return Integer.parseInt(parts[0]) * 1000 + (parts.length > 1 ? Integer.parseInt(parts[1]) : 0);
    } catch (NumberFormatException e) {
      return 0;
    }
  }
}
