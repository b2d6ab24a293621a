package dev.mason.mcp;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mason.agent.tool.Tool;
import dev.mason.agent.tool.ToolContext;
import dev.mason.agent.tool.ToolResult;
import dev.mason.common.Refusal;
import dev.mason.identity.Caller;
import dev.mason.project.ConversationSettings;
import dev.mason.web.ApiError;
import dev.mason.web.Json;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The delegation tools: mason_run, mason_inbox, mason_get_result and mason_cancel. They answer
 * JSON text; their links point at the URL the calling client reached Mason through, so each call
 * gets its own instances ({@link #forCall}).
 */
final class DelegationTools {
  static final String RUN = "mason_run";
  static final String INBOX = "mason_inbox";
  static final String GET_RESULT = "mason_get_result";
  static final String CANCEL = "mason_cancel";
  static final List<String> NAMES = List.of(RUN, INBOX, GET_RESULT, CANCEL);
  /** With the prompt's limit, well inside the agent's limit on a message. */
  static final int MAX_CONTEXT_CHARS = 50_000;

  private static final ObjectNode RUN_SCHEMA = schema("""
      {"type": "object",
       "properties": {
         "prompt": {"type": "string", "description": "The task, written for an agent that cannot ask questions: the goal, where to work (tables, paths, jobs), constraints, and what to report."},
         "project_id": {"type": "string", "description": "A Mason project of yours to work in (its files and history). Default: your project 'Delegated tasks', created on first use."},
         "context": {"type": ["object", "string"], "description": "What the agent should know besides the prompt, e.g. {\\"repo\\": \\"...\\", \\"tables\\": [\\"main.sales.orders\\"]}. An object, or a JSON text of one."},
         "timeout_s": {"type": "integer", "description": "Seconds after which the task is stopped with status timeout (default 3600, at most 86400)."},
         "runtime": {"type": "string", "enum": ["mason", "claude-code"], "description": "The agent that works on it: mason (Mason's own agent, the default) or claude-code (the Claude Code CLI, with Mason's tools over MCP)."}
       },
       "required": ["prompt"]}""");
  private static final ObjectNode INBOX_SCHEMA = schema("""
      {"type": "object",
       "properties": {
         "status": {"type": "string", "enum": ["queued", "running", "completed", "error", "cancelled", "timeout", "interrupted"],
                    "description": "Only tasks with this status. Default: all."}
       },
       "required": []}""");
  private static final ObjectNode TASK_ID_SCHEMA = schema("""
      {"type": "object",
       "properties": {
         "task_id": {"type": "string", "description": "The task_id mason_run returned."}
       },
       "required": ["task_id"]}""");

  private static final String RUN_DESCRIPTION = """
      Delegates a whole task to Mason's agent, which works on it in the background as you (your Databricks \
      identity) with Mason's tools: project files, shell, SQL, jobs, pipelines, Unity Catalog. Returns at once \
      with a task_id and a viewer_url where a person can watch the run live. Fire and forget: carry on with other \
      work and check mason_inbox or mason_get_result later instead of polling in a loop. A few tasks per user run \
      at once; more wait in a queue. The agent may change files and workspace objects.""";
  private static final String INBOX_DESCRIPTION = """
      Lists your delegated tasks of the last 24 hours, newest first: status (queued, running, completed, error, \
      cancelled, timeout, interrupted), elapsed seconds, a one-line summary and the viewer_url, with counts by status.""";
  private static final String GET_RESULT_DESCRIPTION = """
      The result of a delegated task: its status and, once it ended, the agent's final answer, the project files it \
      changed, the workspace resources it created, errors, and token usage.""";
  private static final String CANCEL_DESCRIPTION = """
      Cancels a delegated task: a queued one never starts; a running one is stopped (what it did so far stays). \
      A task that already ended is left as it is.""";

  private final TaskService tasks;

  DelegationTools(TaskService tasks) {
    this.tasks = tasks;
  }

  /** The four tools for one call; {@code baseUrl} is Mason's URL as the caller reaches it. */
  List<Tool> forCall(String baseUrl) {
    return List.of(
        new DelegationTool(RUN, RUN_DESCRIPTION, RUN_SCHEMA, false, (caller, input) -> tasks.run(caller, runRequest(input), baseUrl)),
        new DelegationTool(INBOX, INBOX_DESCRIPTION, INBOX_SCHEMA, true,
            (caller, input) -> tasks.inbox(caller, input.hasNonNull("status") ? input.get("status").asText() : null, baseUrl)),
        new DelegationTool(GET_RESULT, GET_RESULT_DESCRIPTION, TASK_ID_SCHEMA, true,
            (caller, input) -> tasks.result(caller, taskId(input), baseUrl)),
        new DelegationTool(CANCEL, CANCEL_DESCRIPTION, TASK_ID_SCHEMA, false,
            (caller, input) -> tasks.cancel(caller, taskId(input), baseUrl)));
  }

  private static TaskService.RunRequest runRequest(JsonNode input) {
    String prompt = input.path("prompt").asText("");
    if (prompt.isBlank()) {
      throw ApiError.badRequest("prompt", "prompt must not be blank");
    }
    if (prompt.indexOf('\0') >= 0) {
      throw ApiError.badRequest("prompt", "prompt must not contain NUL characters");
    }
    if (prompt.length() > TaskService.MAX_PROMPT_CHARS) {
      throw ApiError.badRequest("prompt", "prompt is " + prompt.length() + " characters; the limit is " + TaskService.MAX_PROMPT_CHARS);
    }
    UUID project = input.hasNonNull("project_id") && !input.get("project_id").asText().isBlank()
        ? uuid(input.get("project_id").asText(), "project_id") : null;
    int timeout = TaskService.DEFAULT_TIMEOUT_SECONDS;
    if (input.hasNonNull("timeout_s")) {
      long value = input.get("timeout_s").asLong();
      if (value < 1 || value > TaskService.MAX_TIMEOUT_SECONDS) {
        throw ApiError.badRequest("timeout_s", "timeout_s must be between 1 and " + TaskService.MAX_TIMEOUT_SECONDS
            + " seconds (24 hours), not " + input.get("timeout_s"));
      }
      timeout = (int) value;
    }
    String runtime = input.hasNonNull("runtime") && !input.get("runtime").asText().isBlank() ? input.get("runtime").asText().trim() : null;
    // The one check of a runtime's name, as for a conversation's setting.
    new ConversationSettings(null, null, null, null, null, null, runtime);
    return new TaskService.RunRequest(prompt, project, context(input.get("context")), timeout, runtime);
  }

  /** The context as JSON text: an object as given; a string that holds JSON, parsed; any other string, as a string. */
  private static String context(JsonNode context) {
    if (context == null || context.isNull() || context.isTextual() && context.asText().isBlank()) {
      return null;
    }
    JsonNode value = context;
    if (context.isTextual()) {
      try {
        value = Json.MAPPER.readTree(context.asText());
      } catch (JsonProcessingException notJson) {
        value = context;
      }
    }
    String json = Json.write(value);
    if (json.contains("\\u0000")) {
      throw ApiError.badRequest("context", "context must not contain NUL characters");
    }
    if (json.length() > MAX_CONTEXT_CHARS) {
      throw ApiError.badRequest("context", "context is " + json.length() + " characters of JSON; the limit is " + MAX_CONTEXT_CHARS);
    }
    return json;
  }

  private static UUID taskId(JsonNode input) {
    String value = input.path("task_id").asText("").trim();
    try {
      return UUID.fromString(value);
    } catch (IllegalArgumentException e) {
      // Answered like an unknown id: ids cannot be probed, and a typo reads the same either way.
      throw ApiError.notFound("task " + value);
    }
  }

  private static UUID uuid(String value, String field) {
    try {
      return UUID.fromString(value.trim());
    } catch (IllegalArgumentException e) {
      throw ApiError.badRequest(field, field + " is not a valid id: " + value);
    }
  }

  private static ObjectNode schema(String json) {
    try {
      return (ObjectNode) Json.MAPPER.readTree(json);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a delegation tool's schema is not JSON", e);
    }
  }

  /** Handles one call of a delegation tool for the caller; throws {@link ApiError} for what the client got wrong. */
  interface Handler {
    Map<String, Object> handle(Caller caller, JsonNode input);
  }

  /** One delegation tool; an {@link ApiError} becomes an error result with its message. */
  private record DelegationTool(String name, String description, ObjectNode schema, boolean readOnly, Handler handler)
      implements Tool {
    @Override
    public ObjectNode inputSchema() {
      return schema.deepCopy();
    }

    @Override
    public ToolResult execute(ToolContext context, JsonNode input) {
      try {
        return ToolResult.ok(Json.write(handler.handle(context.caller(), input)));
      } catch (Refusal e) {
        return ToolResult.error(e.getMessage());
      }
    }
  }
}
