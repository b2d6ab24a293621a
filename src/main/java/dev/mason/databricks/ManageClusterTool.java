package dev.mason.databricks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mason.agent.tool.InputSchema;
import dev.mason.agent.tool.ToolFailure;
import dev.mason.web.Json;
import java.util.List;
import java.util.Set;

/**
 * manage_cluster: look at, start and terminate clusters; create, modify and delete them only when
 * the model asks for those actions by name.
 */
final class ManageClusterTool extends ActionTool {
  private static final List<String> ACTIONS = List.of("get", "start", "terminate", "create", "modify", "delete");
  /** What clusters/edit needs besides the changes: it replaces the whole specification. */
  private static final Set<String> EDITABLE = Set.of("cluster_name", "spark_version", "node_type_id", "driver_node_type_id",
      "num_workers", "autoscale", "autotermination_minutes", "data_security_mode", "single_user_name", "spark_conf",
      "spark_env_vars", "custom_tags", "runtime_engine", "aws_attributes", "azure_attributes", "gcp_attributes", "init_scripts",
      "instance_pool_id", "driver_instance_pool_id", "policy_id", "enable_elastic_disk", "kind", "is_single_node");

  ManageClusterTool(ToolRuntime runtime) {
    super(runtime, ACTIONS, "manage_cluster",
        "Manages an all-purpose cluster. get: its state and configuration. start: start a terminated cluster (takes 3-7 "
            + "minutes; poll with get). terminate: stop it (it can be started again). create: a new cluster for the user "
            + "(defaults: newest LTS runtime, smallest 4-core node type, 1 worker, single-user access for the user, "
            + "auto-termination after 60 minutes); it is recorded in the project's resources. modify: change a cluster's "
            + "settings (a running cluster restarts). delete: DESTROYS the cluster permanently (it is terminated and its "
            + "configuration removed; it cannot be started again) and drops it from the project's resources. Create and modify "
            + "cost money, delete cannot be undone: use them only when asked.",
        InputSchema.object()
            .action("get, start, terminate, create, modify or delete.", ACTIONS)
            .string("cluster_id", "The cluster (all actions but create).")
            .string("cluster_name", "Name, for create (required) and modify.")
            .string("spark_version", "Runtime key such as 16.4.x-scala2.12 (see list_compute resource=spark_versions).")
            .string("node_type_id", "Worker and driver node type (see list_compute resource=node_types).")
            .integer("num_workers", "Fixed number of workers (default 1).")
            .integer("autotermination_minutes", "Idle minutes before the cluster stops (default 60; 0 never, or 10 to 43200).")
            .freeObject("spark_conf", "Spark configuration key/value pairs.")
            .freeObject("custom_tags", "Tags for cost attribution.")
            .freeObject("settings", "Any other clusters API fields to set, e.g. {\"autoscale\": {\"min_workers\": 1, \"max_workers\": 4}}."));
  }

  @Override
  String run(ToolCall call, Args args, String action) {
    String user = call.caller().user();
    return switch (action) {
      case "get" -> Clusters.summary(Clusters.cluster(call, args.string("cluster_id", action)), user).toString();
      case "start" -> start(call, args.string("cluster_id", action));
      case "terminate" -> {
        String id = args.string("cluster_id", action);
        call.api().post("/api/2.1/clusters/delete", Json.MAPPER.createObjectNode().put("cluster_id", id));
        yield result(id, "TERMINATING", "The cluster is terminating; it keeps its configuration and can be started again.");
      }
      case "create" -> create(call, args);
      case "delete" -> {
        String id = args.string("cluster_id", action);
        call.api().post("/api/2.1/clusters/permanent-delete", Json.MAPPER.createObjectNode().put("cluster_id", id));
        call.untrack("cluster", id);
        yield result(id, "DELETED", "The cluster was permanently deleted; it cannot be started again.");
      }
      default -> modify(call, args);
    };
  }

  private static String start(ToolCall call, String id) {
    String state = Clusters.cluster(call, id).path("state").asText();
    switch (state) {
      case "RUNNING" -> {
        return result(id, state, "The cluster is already running.");
      }
      case "PENDING", "RESTARTING", "RESIZING" -> {
        return result(id, state, "The cluster is already starting; check again with action=get.");
      }
      default -> {
        call.api().post("/api/2.1/clusters/start", Json.MAPPER.createObjectNode().put("cluster_id", id));
        return result(id, "PENDING", "Starting; a cluster takes 3-7 minutes to start. Check with action=get.");
      }
    }
  }

  private static String create(ToolCall call, Args args) {
    String name = args.string("cluster_name", "create");
    ObjectNode spec = Json.MAPPER.createObjectNode()
        .put("cluster_name", name)
        .put("spark_version", args.has("spark_version") ? args.string("spark_version") : Clusters.defaultSparkVersion(call))
        .put("node_type_id", args.has("node_type_id") ? args.string("node_type_id") : Clusters.defaultNodeType(call))
        .put("num_workers", args.optInt("num_workers", 1, 0, 1000))
        .put("autotermination_minutes", autotermination(args))
        .put("data_security_mode", "SINGLE_USER")
        .put("single_user_name", CurrentUser.name(call));
    applyOptional(args, spec);
    ObjectNode tags = spec.has("custom_tags") ? (ObjectNode) spec.get("custom_tags") : spec.putObject("custom_tags");
    tags.put("created_by", "mason");
    String id = call.api().post("/api/2.1/clusters/create", spec).path("cluster_id").asText();
    String url = call.link("/compute/clusters/" + id);
    call.track("cluster", id, name, url);
    return Json.MAPPER.createObjectNode().put("cluster_id", id).put("state", "PENDING").put("url", url)
        .put("message", "Cluster created and starting (3-7 minutes). It is recorded in the project's resources.").toString();
  }

  private static String modify(ToolCall call, Args args) {
    String id = args.string("cluster_id", "modify");
    JsonNode current = Clusters.cluster(call, id);
    ObjectNode spec = Json.MAPPER.createObjectNode().put("cluster_id", id);
    current.properties().forEach(e -> {
      if (EDITABLE.contains(e.getKey())) {
        spec.set(e.getKey(), e.getValue());
      }
    });
    if (args.has("cluster_name")) {
      spec.put("cluster_name", args.string("cluster_name"));
    }
    if (args.has("spark_version")) {
      spec.put("spark_version", args.string("spark_version"));
    }
    if (args.has("node_type_id")) {
      spec.put("node_type_id", args.string("node_type_id"));
    }
    if (args.has("num_workers")) {
      spec.remove("autoscale");
      spec.put("num_workers", args.optInt("num_workers", 1, 0, 1000));
    }
    if (args.has("autotermination_minutes")) {
      spec.put("autotermination_minutes", autotermination(args));
    }
    applyOptional(args, spec);
    if (spec.has("autoscale")) {
      spec.remove("num_workers");
    }
    call.api().post("/api/2.1/clusters/edit", spec);
    String state = current.path("state").asText();
    return result(id, state, state.equals("RUNNING") ? "Modified; the running cluster restarts to apply the change."
        : "Modified; the change applies when the cluster next starts.");
  }

  private static void applyOptional(Args args, ObjectNode spec) {
    for (String field : List.of("spark_conf", "custom_tags")) {
      ObjectNode value = args.optObject(field);
      if (value != null) {
        spec.set(field, value);
      }
    }
    ObjectNode settings = args.optObject("settings");
    if (settings != null) {
      settings.properties().forEach(e -> spec.set(e.getKey(), e.getValue()));
    }
  }

  private static int autotermination(Args args) {
    int minutes = args.optInt("autotermination_minutes", 60, 0, 43_200);
    if (minutes > 0 && minutes < 10) {
      throw new ToolFailure("autotermination_minutes must be 0 (never) or between 10 and 43200");
    }
    return minutes;
  }

  private static String result(String id, String state, String message) {
    return Json.MAPPER.createObjectNode().put("cluster_id", id).put("state", state).put("message", message).toString();
  }
}
