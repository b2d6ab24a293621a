package dev.mason.databricks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Jobs 2.2: jobs, runs of jobs and one-time runs (runs/submit). A run advances one step per
 * {@code runs/get}: PENDING, RUNNING, then TERMINATED with the result of its tasks as
 * {@link FakeNotebookRunner} decides (a hanging task stays RUNNING until cancelled). Output is read
 * per task run, as the real API requires for multi-task runs.
 */
final class FakeJobs {
  private static final String API = "/api/2.2/jobs";
  private final FakeWorkspace fake;
  private final Map<Long, ObjectNode> jobs = new ConcurrentSkipListMap<>();
  private final Map<Long, Run> runs = new ConcurrentSkipListMap<>();
  private final AtomicLong ids = new AtomicLong(100);

  private final class Run {
    final ObjectNode json;
    final AtomicInteger polls = new AtomicInteger();
    final Map<Long, FakeNotebookRunner.Outcome> outcomes = new ConcurrentSkipListMap<>();
    volatile boolean cancelled;

    Run(ObjectNode json) {
      this.json = json;
    }
  }

  FakeJobs(FakeWorkspace fake) {
    this.fake = fake;
  }

  ObjectNode job(long id) {
    ObjectNode job = jobs.get(id);
    if (job == null) {
      throw new FakeError(400, "INVALID_PARAMETER_VALUE", "Job " + id + " does not exist.");
    }
    return job;
  }

  boolean hasJob(long id) {
    return jobs.containsKey(id);
  }

  void addTo(RoutesConfig routes) {
    routes.post(API + "/create", this::create);
    routes.get(API + "/get", ctx -> ctx.json(job(longParam(ctx, "job_id"))));
    routes.get(API + "/list", this::list);
    routes.post(API + "/update", ctx -> {
      ObjectNode body = FakeWorkspace.body(ctx);
      ObjectNode settings = (ObjectNode) job(body.path("job_id").asLong()).get("settings");
      body.path("new_settings").properties().forEach(e -> settings.set(e.getKey(), e.getValue()));
      body.path("fields_to_remove").forEach(f -> settings.remove(f.asText()));
      ctx.json(FakeWorkspace.object());
    });
    routes.post(API + "/reset", ctx -> {
      ObjectNode body = FakeWorkspace.body(ctx);
      job(body.path("job_id").asLong()).set("settings", body.path("new_settings"));
      ctx.json(FakeWorkspace.object());
    });
    routes.post(API + "/delete", ctx -> {
      long id = FakeWorkspace.body(ctx).path("job_id").asLong();
      job(id);
      jobs.remove(id);
      ctx.json(FakeWorkspace.object());
    });
    routes.post(API + "/run-now", this::runNow);
    routes.post(API + "/runs/submit", this::submit);
    routes.get(API + "/runs/get", ctx -> ctx.json(advance(run(longParam(ctx, "run_id")))));
    routes.get(API + "/runs/get-output", this::output);
    routes.post(API + "/runs/cancel", ctx -> {
      run(FakeWorkspace.body(ctx).path("run_id").asLong()).cancelled = true;
      ctx.json(FakeWorkspace.object());
    });
    routes.get(API + "/runs/list", this::listRuns);
    routes.post(API + "/runs/repair", this::repair);
  }

  private static long longParam(Context ctx, String name) {
    try {
      return Long.parseLong(ctx.queryParam(name));
    } catch (NumberFormatException e) {
      throw FakeError.invalid(name + " must be a number");
    }
  }

  private void create(Context ctx) {
    ObjectNode settings = FakeWorkspace.body(ctx);
    if (!settings.has("name")) {
      settings.put("name", "Untitled");
    }
    long id = ids.incrementAndGet();
    ObjectNode job = FakeWorkspace.object().put("job_id", id).put("creator_user_name", fake.user(ctx))
        .put("created_time", System.currentTimeMillis());
    job.set("settings", settings);
    jobs.put(id, job);
    ctx.json(FakeWorkspace.object().put("job_id", id));
  }

  private void list(Context ctx) {
    String name = ctx.queryParam("name");
    int limit = ctx.queryParam("limit") == null ? 20 : Integer.parseInt(ctx.queryParam("limit"));
    int from = ctx.queryParam("page_token") == null ? 0 : Integer.parseInt(ctx.queryParam("page_token"));
    List<ObjectNode> matching = jobs.values().stream()
        .filter(j -> name == null || j.path("settings").path("name").asText().equalsIgnoreCase(name)).toList();
    ObjectNode body = FakeWorkspace.object();
    ArrayNode list = body.putArray("jobs");
    for (ObjectNode job : matching.subList(Math.min(from, matching.size()), Math.min(matching.size(), from + limit))) {
      ObjectNode summary = job.deepCopy();
      if (!"true".equals(ctx.queryParam("expand_tasks"))) {
        ((ObjectNode) summary.get("settings")).remove("tasks");
      }
      list.add(summary);
    }
    boolean more = from + limit < matching.size();
    body.put("has_more", more);
    if (more) {
      body.put("next_page_token", Integer.toString(from + limit));
    }
    ctx.json(body);
  }

  private void runNow(Context ctx) {
    ObjectNode body = FakeWorkspace.body(ctx);
    ObjectNode job = job(body.path("job_id").asLong());
    ObjectNode run = newRun(ctx, job.path("settings").path("name").asText(), job.path("settings").path("tasks"), "JOB_RUN");
    run.put("job_id", job.path("job_id").asLong());
    if (body.has("job_parameters")) {
      run.set("job_parameters", body.get("job_parameters"));
    }
    ctx.json(FakeWorkspace.object().put("run_id", run.path("run_id").asLong()).put("number_in_job", run.path("run_id").asLong()));
  }

  private void submit(Context ctx) {
    ObjectNode body = FakeWorkspace.body(ctx);
    ObjectNode run = newRun(ctx, body.path("run_name").asText("Untitled"), body.path("tasks"), "SUBMIT_RUN");
    ctx.json(FakeWorkspace.object().put("run_id", run.path("run_id").asLong()));
  }

  private ObjectNode newRun(Context ctx, String name, JsonNode tasks, String type) {
    long id = ids.incrementAndGet();
    ObjectNode run = FakeWorkspace.object().put("run_id", id).put("run_name", name).put("run_type", type)
        .put("creator_user_name", fake.user(ctx)).put("start_time", System.currentTimeMillis())
        .put("run_page_url", fake.url() + "/#job/run/" + id);
    ArrayNode taskRuns = run.putArray("tasks");
    Run state = new Run(run);
    for (JsonNode task : tasks) {
      long taskRunId = ids.incrementAndGet();
      ObjectNode taskRun = task.deepCopy();
      taskRun.put("run_id", taskRunId);
      taskRuns.add(taskRun);
      String notebook = task.path("notebook_task").path("notebook_path").asText(null);
      state.outcomes.put(taskRunId, notebook == null ? FakeNotebookRunner.Outcome.success(null)
          : notebook.contains("flaky") ? FakeNotebookRunner.run("fail", null)
          : FakeNotebookRunner.run(notebook, fake.tree.text(notebook)));
    }
    runs.put(id, state);
    setState(run, "PENDING", null);
    return run;
  }

  private Run run(long id) {
    Run run = runs.get(id);
    if (run == null) {
      for (Run parent : runs.values()) {
        for (JsonNode task : parent.json.path("tasks")) {
          if (task.path("run_id").asLong() == id) {
            return parent;
          }
        }
      }
      throw new FakeError(400, "INVALID_PARAMETER_VALUE", "Run " + id + " does not exist.");
    }
    return run;
  }

  private ObjectNode advance(Run run) {
    String current = run.json.path("state").path("life_cycle_state").asText();
    if (current.equals("TERMINATED")) {
      return run.json;
    }
    if (run.cancelled) {
      setState(run.json, "TERMINATED", "CANCELED");
      return run.json;
    }
    int poll = run.polls.incrementAndGet();
    boolean hangs = run.outcomes.values().stream().anyMatch(FakeNotebookRunner.Outcome::hang);
    if (poll == 1) {
      setState(run.json, "PENDING", null);
    } else if (poll == 2 || hangs) {
      setState(run.json, "RUNNING", null);
    } else {
      boolean failed = run.outcomes.values().stream().anyMatch(o -> o.resultState().equals("FAILED"));
      setState(run.json, "TERMINATED", failed ? "FAILED" : "SUCCESS");
      run.json.put("end_time", System.currentTimeMillis());
    }
    return run.json;
  }

  private static void setState(ObjectNode run, String lifeCycle, String result) {
    ObjectNode state = run.putObject("state").put("life_cycle_state", lifeCycle).put("state_message", "");
    ObjectNode status = run.putObject("status").put("state", lifeCycle);
    if (result != null) {
      state.put("result_state", result);
      status.putObject("termination_details").put("code", result.equals("SUCCESS") ? "SUCCESS" : result.equals("CANCELED") ? "USER_CANCELED" : "RUN_EXECUTION_ERROR")
          .put("message", result.equals("FAILED") ? "Workload failed, see run output for details" : "");
    }
    for (JsonNode task : run.path("tasks")) {
      ((ObjectNode) task).set("state", state.deepCopy());
    }
  }

  private void output(Context ctx) {
    long id = longParam(ctx, "run_id");
    Run run = run(id);
    FakeNotebookRunner.Outcome outcome = run.outcomes.get(id);
    if (outcome == null) {
      throw new FakeError(400, "INVALID_PARAMETER_VALUE", "Retrieving the output of runs with multiple tasks is not supported. "
          + "Please retrieve the output of each individual task run instead.");
    }
    ObjectNode body = FakeWorkspace.object();
    body.set("metadata", run.json);
    if (run.json.path("state").path("life_cycle_state").asText().equals("TERMINATED") && !run.cancelled) {
      if (outcome.notebookResult() != null) {
        body.putObject("notebook_output").put("result", outcome.notebookResult()).put("truncated", false);
      }
      if (outcome.error() != null) {
        body.put("error", outcome.error()).put("error_trace", outcome.errorTrace());
      }
    }
    ctx.json(body);
  }

  /**
   * runs/repair: a finished run goes again from PENDING, its failed tasks (or those in
   * {@code rerun_tasks}) run anew; a notebook whose path holds "flaky" fails only its first time.
   * As on a real workspace, a repaired run's next repair must name the latest repair id.
   */
  private void repair(Context ctx) {
    ObjectNode body = FakeWorkspace.body(ctx);
    Run run = run(body.path("run_id").asLong());
    if (!run.json.path("state").path("life_cycle_state").asText().equals("TERMINATED")) {
      throw FakeError.invalid("Run " + body.path("run_id").asLong() + " is not in a terminal state and cannot be repaired.");
    }
    ArrayNode history = run.json.has("repair_history") ? (ArrayNode) run.json.get("repair_history") : run.json.putArray("repair_history");
    long latest = -1;
    for (JsonNode entry : history) {
      if (entry.path("type").asText().equals("REPAIR")) {
        latest = entry.path("id").asLong();
      }
    }
    if (latest >= 0 && body.path("latest_repair_id").asLong(-1) != latest) {
      throw FakeError.invalid("The latest repair ID for run " + body.path("run_id").asLong() + " is " + latest + ". Please provide it.");
    }
    List<String> keys = FakeWorkspace.list(body.path("rerun_tasks")).stream().map(JsonNode::asText).toList();
    for (JsonNode task : run.json.path("tasks")) {
      long taskRunId = task.path("run_id").asLong();
      boolean failed = run.outcomes.get(taskRunId).resultState().equals("FAILED");
      if (keys.contains(task.path("task_key").asText()) || (keys.isEmpty() && failed)) {
        String notebook = task.path("notebook_task").path("notebook_path").asText(null);
        run.outcomes.put(taskRunId, notebook == null || notebook.contains("flaky") ? FakeNotebookRunner.Outcome.success(null)
            : FakeNotebookRunner.run(notebook, fake.tree.text(notebook)));
      }
    }
    long repairId = ids.incrementAndGet();
    history.addObject().put("type", "REPAIR").put("id", repairId).put("start_time", System.currentTimeMillis());
    run.polls.set(0);
    setState(run.json, "PENDING", null);
    ctx.json(FakeWorkspace.object().put("repair_id", repairId));
  }

  private void listRuns(Context ctx) {
    String jobId = ctx.queryParam("job_id");
    boolean activeOnly = "true".equals(ctx.queryParam("active_only"));
    ObjectNode body = FakeWorkspace.object();
    ArrayNode list = body.putArray("runs");
    runs.values().stream().map(r -> r.json)
        .filter(r -> jobId == null || r.path("job_id").asText().equals(jobId))
        .filter(r -> !activeOnly || !r.path("state").path("life_cycle_state").asText().equals("TERMINATED"))
        .sorted((a, b) -> Long.compare(b.path("run_id").asLong(), a.path("run_id").asLong()))
        .forEach(list::add);
    body.put("has_more", false);
    ctx.json(body);
  }
}
