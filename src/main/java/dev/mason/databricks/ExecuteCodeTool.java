package dev.mason.databricks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mason.agent.tool.InputSchema;
import dev.mason.agent.tool.ToolFailure;
import dev.mason.web.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;

/**
 * execute_code: Python, SQL, Scala or R on Databricks compute, as the user. On a cluster through
 * Command Execution (with an execution context the model can reuse), or on serverless through a
 * one-time notebook run.
 */
final class ExecuteCodeTool extends DatabricksTool {
  private static final List<String> COMPUTE = List.of("auto", "serverless", "cluster");
  private static final List<String> LANGUAGES = List.of("python", "sql", "scala", "r");
  private static final int MAX_FILE_BYTES = 1024 * 1024;

  ExecuteCodeTool(ToolRuntime runtime) {
    super(runtime, "execute_code",
        "Runs code on Databricks compute as the user and returns what it printed. compute_type serverless runs Python or "
            + "SQL as a one-time serverless job (startup takes up to a minute; no state is kept between calls). cluster "
            + "runs on an all-purpose cluster through an execution context: pass the returned context_id again to reuse "
            + "variables. auto (default) uses the cluster when cluster_id or context_id is given or the language is scala or "
            + "r, else serverless. Give the code inline or as file_path, a file of the project.",
        InputSchema.object()
            .string("code", "The code to run (or use file_path).")
            .string("file_path", "A file of the project folder whose content to run, instead of code.")
            .choice("language", "python (default), sql, scala or r; taken from file_path's extension when omitted.", LANGUAGES)
            .choice("compute_type", "auto (default), serverless or cluster.", COMPUTE)
            .string("cluster_id", "The cluster for compute_type cluster; default: the best running cluster you can use.")
            .string("context_id", "An execution context from an earlier call on the same cluster, to reuse its state.")
            .integer("timeout", "Seconds before the code is cancelled (default 600, at most 7200).")
            .bool("destroy_context_on_completion", "Remove the execution context afterwards (default false)."));
  }

  @Override
  String run(ToolCall call) throws IOException {
    Args args = call.args();
    String code = args.has("code") ? args.string("code") : readFile(call, args.optString("file_path", null));
    String language = args.has("language") ? args.choice("language", LANGUAGES, null) : languageOf(args.optString("file_path", ""));
    String compute = args.choice("compute_type", COMPUTE, "auto");
    Duration timeout = Duration.ofSeconds(args.optInt("timeout", 600, 1, 7200));
    if (compute.equals("auto")) {
      boolean clusterNeeded = args.has("cluster_id") || args.has("context_id") || language.equals("scala") || language.equals("r");
      compute = clusterNeeded ? "cluster" : "serverless";
    }
    if (compute.equals("serverless")) {
      if (!language.equals("python") && !language.equals("sql")) {
        throw new ToolFailure("serverless runs python and sql only; for " + language + " pass compute_type=cluster and a cluster_id");
      }
      ObjectNode out = Json.MAPPER.createObjectNode().put("compute", "serverless").put("language", language);
      CodeRun run = new ServerlessRunner(call).run(language, code, timeout, out);
      return respond(run, out);
    }
    String clusterId = args.has("cluster_id") ? args.string("cluster_id") : chooseCluster(call);
    requireRunning(call, clusterId);
    var commands = new ClusterCommands(call, clusterId);
    String contextId = commands.context(args.optString("context_id", null), language);
    CodeRun run = commands.execute(contextId, language, code, timeout);
    boolean destroy = args.optBool("destroy_context_on_completion", false);
    if (destroy) {
      commands.destroy(contextId);
    }
    ObjectNode out = commands.describe(contextId, destroy).put("language", language);
    return respond(run, out);
  }

  private static String respond(CodeRun run, ObjectNode out) {
    ObjectNode body = run.toJson();
    body.setAll(out);
    if (run.failed()) {
      throw new ToolFailure(body.toString());
    }
    return body.toString();
  }

  private static String chooseCluster(ToolCall call) {
    return Clusters.bestRunning(call).map(c -> c.path("cluster_id").asText()).orElseThrow(() -> new ToolFailure(
        "no running cluster is available to you. " + startable(call)
            + " Or run python/sql with compute_type=serverless."));
  }

  private static void requireRunning(ToolCall call, String clusterId) {
    JsonNode cluster = Clusters.cluster(call, clusterId);
    String state = cluster.path("state").asText();
    if (!state.equals("RUNNING")) {
      throw new ToolFailure("cluster " + clusterId + " (" + cluster.path("cluster_name").asText() + ") is " + state
          + ", not RUNNING. Start it with manage_cluster action=start (3-7 minutes), pick another with list_compute, "
          + "or use compute_type=serverless for python and sql.");
    }
  }

  /** Terminated clusters the user could start, as a sentence. */
  private static String startable(ToolCall call) {
    List<String> names = Clusters.usable(Clusters.clusters(call), call.caller().user()).stream()
        .filter(c -> c.path("state").asText().equals("TERMINATED"))
        .limit(5)
        .map(c -> c.path("cluster_name").asText() + " (" + c.path("cluster_id").asText() + ")")
        .toList();
    return names.isEmpty() ? "You have no stopped cluster to start either."
        : "Clusters you can start with manage_cluster action=start: " + String.join(", ", names) + ".";
  }

  private static String readFile(ToolCall call, String filePath) throws IOException {
    if (filePath == null) {
      throw new ToolFailure("give code or file_path");
    }
    Path file = ProjectPaths.inside(call.context().projectFolder(), filePath);
    if (!Files.isRegularFile(file)) {
      throw new ToolFailure("file_path " + filePath + " is not a file of the project");
    }
    if (Files.size(file) > MAX_FILE_BYTES) {
      throw new ToolFailure("file_path " + filePath + " is larger than 1 MiB; upload it with manage_workspace_files and run it as a job");
    }
    return Files.readString(file);
  }

  private static String languageOf(String filePath) {
    String lower = filePath.toLowerCase(Locale.ROOT);
    if (lower.endsWith(".sql")) {
      return "sql";
    }
    if (lower.endsWith(".scala")) {
      return "scala";
    }
    if (lower.endsWith(".r")) {
      return "r";
    }
    return "python";
  }
}
