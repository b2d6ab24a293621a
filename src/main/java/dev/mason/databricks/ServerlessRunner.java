package dev.mason.databricks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mason.web.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * Code on serverless compute: the code is wrapped in a temporary notebook in the user's home
 * folder that captures what it prints, run once through jobs/runs/submit (a notebook task with no
 * cluster runs serverless), read back through runs/get-output, and the notebook is deleted
 * whatever happened.
 *
 * <p>SQL is turned into Python that runs each statement with {@code spark.sql} and prints the last
 * result as a markdown table, because a notebook's exit value is the only output a run returns.
 */
final class ServerlessRunner {
  private static final Set<String> FINAL = Set.of("TERMINATED", "SKIPPED", "INTERNAL_ERROR");
  private static final int MAX_SQL_ROWS = 1000;

  private static final String NOTEBOOK = """
      # Databricks notebook source
      # Written by Mason's execute_code for one run; deleted when the run ends.
      import contextlib, io, json, traceback
      _mason_code = %s
      _mason_out = io.StringIO()
      _mason_error = None
      with contextlib.redirect_stdout(_mason_out):
          try:
              exec(compile(_mason_code, "<execute_code>", "exec"), globals())
          except Exception:
              _mason_error = traceback.format_exc()
      dbutils.notebook.exit(json.dumps({"output": _mason_out.getvalue()[-%d:], "error": _mason_error}))
      """;

  private static final String SQL_AS_PYTHON = """
      _mason_df = None
      for _mason_statement in %s:
          _mason_df = spark.sql(_mason_statement)
      if _mason_df is not None and _mason_df.columns:
          _mason_rows = _mason_df.limit(%d).collect()
          print("| " + " | ".join(_mason_df.columns) + " |")
          print("|" + "---|" * len(_mason_df.columns))
          for _mason_row in _mason_rows:
              print("| " + " | ".join("NULL" if v is None else str(v).replace("|", "\\\\|") for v in _mason_row) + " |")
          print("(" + str(len(_mason_rows)) + " rows)")
      """;

  private final ToolCall call;

  ServerlessRunner(ToolCall call) {
    this.call = call;
  }

  /** The notebook's source for {@code code} in {@code language} (python or sql). */
  static String notebook(String language, String code) {
    String python = language.equals("sql")
        ? SQL_AS_PYTHON.formatted(Json.write(SqlScript.split(code)), MAX_SQL_ROWS)
        : code;
    return NOTEBOOK.formatted(Json.write(python), CodeRun.MAX_OUTPUT_CHARS);
  }

  /** Runs the code; the run's id and page are added to {@code describe}. */
  CodeRun run(String language, String code, Duration timeout, ObjectNode describe) {
    Instant started = Instant.now();
    String folder = CurrentUser.home(call) + "/.mason/tmp";
    String path = folder + "/execute_code-" + UUID.randomUUID();
    call.api().post("/api/2.0/workspace/mkdirs", Json.MAPPER.createObjectNode().put("path", folder));
    call.api().post("/api/2.0/workspace/import", Json.MAPPER.createObjectNode()
        .put("path", path).put("format", "SOURCE").put("language", "PYTHON").put("overwrite", true)
        .put("content", Base64.getEncoder().encodeToString(notebook(language, code).getBytes(StandardCharsets.UTF_8))));
    try {
      ObjectNode submit = Json.MAPPER.createObjectNode().put("run_name", "Mason execute_code")
          .put("timeout_seconds", timeout.toSeconds() + 60);
      submit.putArray("tasks").addObject().put("task_key", "execute_code")
          .putObject("notebook_task").put("notebook_path", path).put("source", "WORKSPACE");
      long runId = call.api().post("/api/2.2/jobs/runs/submit", submit).path("run_id").asLong();
      describe.put("run_id", runId);
      Optional<JsonNode> done;
      try {
        done = call.polling().until(timeout, () -> {
          JsonNode run = call.api().get("/api/2.2/jobs/runs/get", Map.of("run_id", runId));
          return FINAL.contains(run.path("state").path("life_cycle_state").asText()) ? run : null;
        });
      } catch (Polling.Cancelled e) {
        cancel(runId);
        throw e;
      }
      if (done.isEmpty()) {
        cancel(runId);
        return new CodeRun("TIMEOUT", "", "the serverless run " + runId + " did not finish within " + timeout.toSeconds()
            + " s and was cancelled; it may have had effects before the cancel", Duration.between(started, Instant.now()));
      }
      JsonNode run = done.get();
      describe.put("run_url", run.path("run_page_url").asText(null));
      return output(run, Duration.between(started, Instant.now()));
    } finally {
      deleteQuietly(path);
    }
  }

  private CodeRun output(JsonNode run, Duration elapsed) {
    // Output is read per task run; a one-time run has exactly one task.
    JsonNode task = run.path("tasks").path(0);
    long taskRunId = task.isMissingNode() ? run.path("run_id").asLong() : task.path("run_id").asLong();
    JsonNode output = call.api().get("/api/2.2/jobs/runs/get-output", Map.of("run_id", taskRunId));
    String state = run.path("state").path("result_state").asText("");
    if (output.hasNonNull("error")) {
      String trace = output.path("error_trace").asText("");
      return new CodeRun("ERROR", "", output.path("error").asText() + (trace.isEmpty() ? "" : "\n" + trace), elapsed);
    }
    String result = output.path("notebook_output").path("result").asText("");
    try {
      JsonNode captured = Json.MAPPER.readTree(result);
      String error = captured.path("error").isNull() ? null : captured.path("error").asText(null);
      return new CodeRun(error == null && state.equals("SUCCESS") ? "SUCCESS" : "ERROR", captured.path("output").asText(""),
          error != null ? error : state.equals("SUCCESS") ? null : "the run ended " + state + ": " + run.path("state").path("state_message").asText(""),
          elapsed);
    } catch (IOException e) {
      return new CodeRun(state.equals("SUCCESS") ? "SUCCESS" : "ERROR", result, null, elapsed);
    }
  }

  private void cancel(long runId) {
    try {
      call.api().post("/api/2.2/jobs/runs/cancel", Json.MAPPER.createObjectNode().put("run_id", runId));
    } catch (WorkspaceException e) {
      // Already over.
    }
  }

  private void deleteQuietly(String path) {
    try {
      call.api().post("/api/2.0/workspace/delete", Json.MAPPER.createObjectNode().put("path", path).put("recursive", false));
    } catch (WorkspaceException e) {
      // A leftover notebook in .mason/tmp is untidy, not harmful; the run's result matters more.
    }
  }
}
