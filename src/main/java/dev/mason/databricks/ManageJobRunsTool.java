package dev.mason.databricks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mason.agent.tool.InputSchema;
import dev.mason.agent.tool.ToolFailure;
import dev.mason.web.Json;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** manage_job_runs: start, follow, read, repair and stop runs of jobs. */
final class ManageJobRunsTool extends ActionTool {
  private static final List<String> ACTIONS = List.of("run_now", "repair", "get", "get_output", "cancel", "list", "wait");
  private static final String API = "/api/2.2/jobs";
  private static final int MAX_OUTPUT_CHARS = 10_000;

  ManageJobRunsTool(ToolRuntime runtime) {
    super(runtime, ACTIONS, "manage_job_runs",
        "Runs of Databricks jobs. run_now: start a job (optionally with job_parameters). repair: run again the failed "
            + "tasks of a finished run (or the tasks named in rerun_tasks) in the same run, keeping the tasks that succeeded; "
            + "follow it with wait. get: a run's state and its tasks. "
            + "get_output: what each task returned (notebook exit value, error and trace, logs). cancel: stop a run. list: "
            + "recent runs of a job. wait: wait until a run ends (up to timeout seconds) and return its state; a long wait "
            + "continues in the background and check_operation_status reports it.",
        InputSchema.object()
            .action("run_now, repair, get, get_output, cancel, list or wait.", ACTIONS)
            .string("job_id", "The job, for run_now and list.")
            .string("run_id", "The run, for repair, get, get_output, cancel and wait.")
            .freeObject("job_parameters", "For run_now and repair: job parameters as {\"name\": \"value\"}.")
            .strings("rerun_tasks", "For repair: the task keys to run again (default: every failed task and those after it).")
            .bool("active_only", "For list: only runs still going (default false).")
            .integer("limit", "For list: most runs to return (default 10, at most 25).")
            .integer("timeout", "For wait: seconds to wait (default 600, at most 7200)."));
  }

  @Override
  String run(ToolCall call, Args args, String action) {
    return switch (action) {
      case "run_now" -> runNow(call, args);
      case "repair" -> repair(call, args);
      case "get" -> RunStates.summary(getRun(call, runId(args, action))).toString();
      case "get_output" -> output(call, runId(args, action));
      case "cancel" -> {
        long id = runId(args, action);
        call.api().post(API + "/runs/cancel", Json.MAPPER.createObjectNode().put("run_id", id));
        yield Json.MAPPER.createObjectNode().put("run_id", id).put("message", "Cancel requested; the run stops shortly.").toString();
      }
      case "list" -> list(call, args);
      default -> waitFor(call, runId(args, action), Duration.ofSeconds(args.optInt("timeout", 600, 1, 7200)));
    };
  }

  private static String runNow(ToolCall call, Args args) {
    if (!args.has("job_id")) {
      throw new ToolFailure("job_id is required for action run_now");
    }
    ObjectNode body = Json.MAPPER.createObjectNode().put("job_id", args.requiredLong("job_id"));
    ObjectNode parameters = args.optObject("job_parameters");
    if (parameters != null) {
      body.set("job_parameters", parameters);
    }
    long runId = call.api().post(API + "/run-now", body).path("run_id").asLong();
    return Json.MAPPER.createObjectNode().put("run_id", runId).put("job_id", args.requiredLong("job_id"))
        .put("message", "Run started. Follow it with action=wait or action=get.").toString();
  }

  /**
   * Repairs a finished run. The API wants the id of the run's latest repair when it has been
   * repaired before, so the run's repair history is read first.
   */
  private static String repair(ToolCall call, Args args) {
    long runId = runId(args, "repair");
    JsonNode run = call.api().get(API + "/runs/get", Map.of("run_id", runId, "include_history", "true"));
    if (!RunStates.isFinal(run)) {
      throw new ToolFailure("run " + runId + " is still " + run.path("state").path("life_cycle_state").asText()
          + "; only a finished run can be repaired (wait for it, or cancel it first)");
    }
    ObjectNode body = Json.MAPPER.createObjectNode().put("run_id", runId);
    List<String> tasks = args.strings("rerun_tasks");
    if (tasks.isEmpty()) {
      body.put("rerun_all_failed_tasks", true).put("rerun_dependent_tasks", true);
    } else {
      tasks.forEach(body.putArray("rerun_tasks")::add);
    }
    for (JsonNode repair : run.path("repair_history")) {
      if (repair.path("type").asText().equals("REPAIR")) {
        body.put("latest_repair_id", repair.path("id").asLong());
      }
    }
    ObjectNode parameters = args.optObject("job_parameters");
    if (parameters != null) {
      body.set("job_parameters", parameters);
    }
    long repairId = call.api().post(API + "/runs/repair", body).path("repair_id").asLong();
    return Json.MAPPER.createObjectNode().put("run_id", runId).put("repair_id", repairId)
        .put("message", "Repair started in the same run. Follow it with action=wait.").toString();
  }

  private static JsonNode getRun(ToolCall call, long runId) {
    return call.api().get(API + "/runs/get", Map.of("run_id", runId));
  }

  private static String output(ToolCall call, long runId) {
    JsonNode run = getRun(call, runId);
    ObjectNode out = RunStates.summary(run);
    ArrayNode outputs = out.putArray("outputs");
    List<JsonNode> tasks = new ArrayList<>();
    run.path("tasks").forEach(tasks::add);
    if (tasks.isEmpty()) {
      outputs.add(taskOutput(call, runId, null));
    }
    for (JsonNode task : tasks) {
      outputs.add(taskOutput(call, task.path("run_id").asLong(), task.path("task_key").asText()));
    }
    return out.toString();
  }

  private static ObjectNode taskOutput(ToolCall call, long taskRunId, String taskKey) {
    JsonNode output = call.api().get(API + "/runs/get-output", Map.of("run_id", taskRunId));
    ObjectNode out = Json.MAPPER.createObjectNode().put("task_key", taskKey).put("run_id", taskRunId);
    if (output.path("notebook_output").has("result")) {
      out.put("notebook_result", clip(output.path("notebook_output").path("result").asText()));
    }
    for (String field : List.of("error", "error_trace", "logs")) {
      if (output.hasNonNull(field)) {
        out.put(field, clip(output.path(field).asText()));
      }
    }
    return out;
  }

  private static String list(ToolCall call, Args args) {
    if (!args.has("job_id")) {
      throw new ToolFailure("job_id is required for action list");
    }
    int limit = args.optInt("limit", 10, 1, 25);
    Map<String, Object> query = ToolCall.query("job_id", args.requiredLong("job_id"), "limit", limit,
        "active_only", args.optBool("active_only", false) ? "true" : null);
    ArrayNode runs = Json.MAPPER.createArrayNode();
    call.api().collect(API + "/runs/list", query, "runs", limit).forEach(r -> runs.add(RunStates.summary(r)));
    return Json.MAPPER.createObjectNode().put("count", runs.size()).set("runs", runs).toString();
  }

  private static String waitFor(ToolCall call, long runId, Duration timeout) {
    Optional<JsonNode> done = call.polling().until(timeout, () -> {
      JsonNode run = getRun(call, runId);
      return RunStates.isFinal(run) ? run : null;
    });
    if (done.isEmpty()) {
      throw new ToolFailure("run " + runId + " is still going after " + timeout.toSeconds()
          + " s (it was not cancelled); wait again or check it with action=get");
    }
    ObjectNode summary = RunStates.summary(done.get());
    if (!"SUCCESS".equals(summary.path("result_state").asText())) {
      summary.put("hint", "Read what went wrong with action=get_output.");
    }
    return summary.toString();
  }

  private static long runId(Args args, String action) {
    if (!args.has("run_id")) {
      throw new ToolFailure("run_id is required for action " + action);
    }
    return args.requiredLong("run_id");
  }

  private static String clip(String text) {
    return text.length() <= MAX_OUTPUT_CHARS ? text : text.substring(0, MAX_OUTPUT_CHARS) + "… [cut]";
  }
}
