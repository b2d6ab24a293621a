package dev.mason.databricks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mason.agent.tool.InputSchema;
import dev.mason.agent.tool.ToolFailure;
import dev.mason.web.Json;
import java.util.List;
import java.util.Map;

/**
 * manage_jobs: Lakeflow jobs (Jobs API 2.2). Creation is serverless unless a task names its own
 * compute, and idempotent by name: asking twice for a job of the same name (after a timeout, say)
 * never makes a duplicate.
 */
final class ManageJobsTool extends ActionTool {
  private static final List<String> ACTIONS = List.of("create", "get", "list", "find_by_name", "update", "delete");
  private static final String API = "/api/2.2/jobs";

  ManageJobsTool(ToolRuntime runtime) {
    super(runtime, ACTIONS, "manage_jobs",
        "Manages Databricks jobs. create: a job from tasks in the Jobs API 2.2 shape, or from notebook_path for a one-task "
            + "job; tasks without compute run serverless (python script and wheel tasks get a serverless environment); if a "
            + "job of that name already exists it is returned instead of making a duplicate; the job is recorded in the "
            + "project's resources. get: one job's settings. list: jobs, optionally filtered by exact name. find_by_name: the "
            + "ids of jobs with that name. update: change settings (only the fields given). delete: DESTROYS the job and its run history. "
            + "Run jobs with manage_job_runs.",
        InputSchema.object()
            .action("create, get, list, find_by_name, update or delete.", ACTIONS)
            .string("name", "Job name: create (required), find_by_name (required), list (filter).")
            .string("job_id", "The job, for get, update and delete.")
            .objects("tasks", "Tasks in the Jobs API shape, e.g. [{\"task_key\": \"ingest\", \"notebook_task\": {\"notebook_path\": "
                + "\"/Workspace/Users/me/ingest\"}}]. For create (unless notebook_path is given) and update.")
            .string("notebook_path", "For create: a one-task job running this workspace notebook.")
            .freeObject("settings", "Other job settings in the Jobs API shape: schedule, parameters, email_notifications, "
                + "max_concurrent_runs, environments, job_clusters, tags, ... For create and update.")
            .integer("limit", "For list: most jobs to return (default 25, at most 100)."));
  }

  @Override
  String run(ToolCall call, Args args, String action) {
    return switch (action) {
      case "create" -> create(call, args);
      case "get" -> call.api().get(API + "/get", Map.of("job_id", jobId(args, action))).toString();
      case "list" -> list(call, args.optString("name", null), args.optInt("limit", 25, 1, 100));
      case "find_by_name" -> list(call, args.string("name", action), 100);
      case "update" -> update(call, args);
      default -> {
        long id = jobId(args, action);
        call.api().post(API + "/delete", Json.MAPPER.createObjectNode().put("job_id", id));
        call.untrack("job", Long.toString(id));
        yield Json.MAPPER.createObjectNode().put("job_id", id).put("deleted", true).toString();
      }
    };
  }

  private static String create(ToolCall call, Args args) {
    String name = args.string("name", "create");
    List<JsonNode> existing = byName(call, name, 1);
    if (!existing.isEmpty()) {
      long id = existing.getFirst().path("job_id").asLong();
      return Json.MAPPER.createObjectNode().put("job_id", id).put("created", false).put("url", call.link("/jobs/" + id))
          .put("message", "A job named '" + name + "' already exists (job_id " + id + "); it was not created again. "
              + "Use action=update to change it.").toString();
    }
    ObjectNode settings = args.optObject("settings");
    settings = settings == null ? Json.MAPPER.createObjectNode() : settings;
    settings.put("name", name);
    ArrayNode tasks = args.optArray("tasks");
    if (tasks == null && args.has("notebook_path")) {
      tasks = Json.MAPPER.createArrayNode();
      tasks.addObject().put("task_key", "main").putObject("notebook_task")
          .put("notebook_path", args.string("notebook_path")).put("source", "WORKSPACE");
    }
    if (tasks == null || tasks.isEmpty()) {
      throw new ToolFailure("create needs tasks (Jobs API shape) or notebook_path");
    }
    settings.set("tasks", tasks);
    ServerlessJobs.apply(settings);
    ObjectNode tags = settings.has("tags") ? (ObjectNode) settings.get("tags") : settings.putObject("tags");
    tags.put("created_by", "mason");
    long id = call.api().post(API + "/create", settings).path("job_id").asLong();
    String url = call.link("/jobs/" + id);
    call.track("job", Long.toString(id), name, url);
    return Json.MAPPER.createObjectNode().put("job_id", id).put("created", true).put("url", url)
        .put("message", "Job created and recorded in the project's resources. Start it with manage_job_runs action=run_now.").toString();
  }

  private static String update(ToolCall call, Args args) {
    long id = jobId(args, "update");
    ObjectNode settings = args.optObject("settings");
    settings = settings == null ? Json.MAPPER.createObjectNode() : settings;
    ArrayNode tasks = args.optArray("tasks");
    if (tasks != null) {
      settings.set("tasks", tasks);
    }
    if (args.has("name")) {
      settings.put("name", args.string("name"));
    }
    if (settings.isEmpty()) {
      throw new ToolFailure("update needs settings, tasks or name");
    }
    ObjectNode body = Json.MAPPER.createObjectNode().put("job_id", id);
    body.set("new_settings", settings);
    call.api().post(API + "/update", body);
    return Json.MAPPER.createObjectNode().put("job_id", id).put("updated", true).toString();
  }

  private static String list(ToolCall call, String name, int limit) {
    ArrayNode jobs = Json.MAPPER.createArrayNode();
    List<JsonNode> found = name == null
        ? call.api().collect(API + "/list", Map.of("limit", Math.min(limit, 100)), "jobs", limit)
        : byName(call, name, limit);
    for (JsonNode job : found) {
      jobs.addObject().put("job_id", job.path("job_id").asLong()).put("name", job.path("settings").path("name").asText())
          .put("creator", job.path("creator_user_name").asText(null)).put("created_time", job.path("created_time").asLong());
    }
    return Json.MAPPER.createObjectNode().put("count", jobs.size()).set("jobs", jobs).toString();
  }

  /** Jobs whose name is exactly {@code name} (the API compares case-insensitively). */
  static List<JsonNode> byName(ToolCall call, String name, int limit) {
    return call.api().collect(API + "/list", Map.of("name", name, "limit", 100), "jobs", limit);
  }

  private static long jobId(Args args, String action) {
    if (!args.has("job_id")) {
      throw new ToolFailure("job_id is required for action " + action);
    }
    return args.requiredLong("job_id");
  }
}
