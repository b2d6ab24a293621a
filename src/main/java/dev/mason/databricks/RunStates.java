package dev.mason.databricks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mason.web.Json;
import java.util.Set;

/** Job runs as the model reads them: their state in a few fields, and whether they are over. */
final class RunStates {
  private static final Set<String> FINAL = Set.of("TERMINATED", "SKIPPED", "INTERNAL_ERROR");

  private RunStates() {}

  static boolean isFinal(JsonNode run) {
    return FINAL.contains(run.path("state").path("life_cycle_state").asText());
  }

  static ObjectNode summary(JsonNode run) {
    JsonNode state = run.path("state");
    ObjectNode out = Json.MAPPER.createObjectNode().put("run_id", run.path("run_id").asLong());
    if (run.has("job_id")) {
      out.put("job_id", run.path("job_id").asLong());
    }
    out.put("run_name", run.path("run_name").asText(null))
        .put("life_cycle_state", state.path("life_cycle_state").asText())
        .put("result_state", state.path("result_state").asText(null));
    if (!state.path("state_message").asText("").isEmpty()) {
      out.put("state_message", state.path("state_message").asText());
    }
    if (run.path("start_time").asLong() > 0) {
      out.put("start_time", run.path("start_time").asLong());
    }
    if (run.path("end_time").asLong() > 0) {
      out.put("end_time", run.path("end_time").asLong())
          .put("duration_seconds", (run.path("end_time").asLong() - run.path("start_time").asLong()) / 1000);
    }
    ArrayNode tasks = out.putArray("tasks");
    for (JsonNode task : run.path("tasks")) {
      tasks.addObject().put("task_key", task.path("task_key").asText()).put("run_id", task.path("run_id").asLong())
          .put("life_cycle_state", task.path("state").path("life_cycle_state").asText())
          .put("result_state", task.path("state").path("result_state").asText(null));
    }
    out.put("run_page_url", run.path("run_page_url").asText(null));
    return out;
  }
}
