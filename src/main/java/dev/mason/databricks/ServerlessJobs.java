package dev.mason.databricks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Set;

/**
 * Makes a job's tasks serverless where they name no compute. Notebook and SQL tasks need nothing
 * for that; Python script and wheel tasks need an environment, which is added once as
 * {@code default} and referenced by each such task.
 */
final class ServerlessJobs {
  static final String ENVIRONMENT_KEY = "default";
  private static final Set<String> COMPUTE_FIELDS = Set.of("existing_cluster_id", "new_cluster", "job_cluster_key", "environment_key");
  private static final Set<String> NEEDS_ENVIRONMENT = Set.of("spark_python_task", "python_wheel_task");

  private ServerlessJobs() {}

  static void apply(ObjectNode settings) {
    boolean environmentNeeded = false;
    for (JsonNode task : settings.path("tasks")) {
      if (task instanceof ObjectNode object && COMPUTE_FIELDS.stream().noneMatch(object::has)
          && NEEDS_ENVIRONMENT.stream().anyMatch(object::has)) {
        object.put("environment_key", ENVIRONMENT_KEY);
        environmentNeeded = true;
      }
    }
    if (!environmentNeeded) {
      return;
    }
    ArrayNode environments = settings.has("environments") ? (ArrayNode) settings.get("environments") : settings.putArray("environments");
    for (JsonNode environment : environments) {
      if (environment.path("environment_key").asText().equals(ENVIRONMENT_KEY)) {
        return;
      }
    }
    environments.addObject().put("environment_key", ENVIRONMENT_KEY).putObject("spec").put("environment_version", "2");
  }
}
