package dev.mason.databricks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mason.agent.tool.InputSchema;
import dev.mason.agent.tool.ToolFailure;
import dev.mason.web.Json;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * manage_pipeline: Lakeflow declarative pipelines, serverless and publishing to Unity Catalog, with
 * their source code taken from workspace files. create and create_or_update find a pipeline by name
 * first, so repeating them never makes a duplicate; update changes one pipeline by id.
 */
final class ManagePipelineTool extends ActionTool {
  private static final List<String> ACTIONS = List.of("create", "create_or_update", "get", "update", "delete", "find_by_name");
  static final String API = "/api/2.0/pipelines";

  ManagePipelineTool(ToolRuntime runtime) {
    super(runtime, ACTIONS, "manage_pipeline",
        "Manages Lakeflow declarative pipelines (DLT). create: a serverless Unity Catalog pipeline named name publishing "
            + "to catalog.schema, with source files from the workspace (upload them first with manage_workspace_files); if "
            + "a pipeline of that name exists it is returned, not duplicated; new pipelines are recorded in the project's "
            + "resources. update: change the settings of pipeline_id (only the fields given). create_or_update: create, or "
            + "update the pipeline of that name. start_run starts an update right away after any of these. get: state, "
            + "health, settings and latest updates. delete: DESTROYS the pipeline (its tables stay). find_by_name: its id. "
            + "Run and follow updates with manage_pipeline_run.",
        InputSchema.object()
            .action("create, update, create_or_update, get, delete or find_by_name.", ACTIONS)
            .string("name", "Pipeline name: create, create_or_update and find_by_name (required); update (renames).")
            .string("pipeline_id", "The pipeline, for get, update and delete.")
            .string("catalog", "Unity Catalog catalog the tables are published to (create, create_or_update, update).")
            .string("schema", "Schema the tables are published to (create, create_or_update, update).")
            .strings("workspace_file_paths", "Source files in the workspace (.py or .sql files, notebooks, or a folder ending "
                + "in /** for every file in it).")
            .string("root_path", "Workspace folder holding the pipeline's source (optional).")
            .bool("serverless", "Serverless compute (default true).")
            .bool("continuous", "Run continuously instead of triggered (default false).")
            .bool("development", "Development mode: keeps compute and does not retry (default true).")
            .freeObject("configuration", "Pipeline configuration key/value pairs.")
            .freeObject("settings", "Any other pipeline settings in the Pipelines API shape.")
            .bool("start_run", "Start an update after creating or updating (default false).")
            .bool("full_refresh", "With start_run: recompute all tables (default false)."));
  }

  @Override
  String run(ToolCall call, Args args, String action) {
    return switch (action) {
      case "create" -> save(call, args, action, byName(call, args.string("name", action)).stream().findFirst(), false);
      case "create_or_update" -> save(call, args, action, byName(call, args.string("name", action)).stream().findFirst(), true);
      case "update" -> {
        String id = args.string("pipeline_id", action);
        yield save(call, args, action, Optional.of(call.api().get(API + "/" + WorkspaceApi.encodePath(id))), true);
      }
      case "get" -> summary(call, call.api().get(API + "/" + WorkspaceApi.encodePath(args.string("pipeline_id", action)))).toString();
      case "delete" -> {
        String id = args.string("pipeline_id", action);
        call.api().delete(API + "/" + WorkspaceApi.encodePath(id), Map.of());
        call.untrack("pipeline", id);
        yield Json.MAPPER.createObjectNode().put("pipeline_id", id).put("deleted", true).toString();
      }
      default -> {
        String name = args.string("name", action);
        ArrayNode found = Json.MAPPER.createArrayNode();
        byName(call, name).forEach(p -> found.addObject().put("pipeline_id", p.path("pipeline_id").asText())
            .put("name", p.path("name").asText()).put("state", p.path("state").asText(null)));
        if (found.isEmpty()) {
          throw new ToolFailure("no pipeline is named '" + name + "'");
        }
        yield Json.MAPPER.createObjectNode().set("pipelines", found).toString();
      }
    };
  }

  /**
   * Creates a pipeline, or changes {@code existing} when there is one and {@code change} allows it
   * (a create that finds one by name returns it unchanged).
   */
  private static String save(ToolCall call, Args args, String action, Optional<JsonNode> existing, boolean change) {
    if (existing.isPresent() && !change) {
      String id = existing.get().path("pipeline_id").asText();
      return Json.MAPPER.createObjectNode().put("pipeline_id", id).put("created", false).put("url", call.link("/pipelines/" + id))
          .put("message", "A pipeline named '" + args.string("name") + "' already exists; it was not created again. "
              + "Use action=update to change it.").toString();
    }
    ObjectNode spec = existing.isPresent()
        ? (ObjectNode) call.api().get(API + "/" + existing.get().path("pipeline_id").asText()).path("spec").deepCopy()
        : Json.MAPPER.createObjectNode().put("serverless", true).put("continuous", false).put("development", true)
            .put("channel", "CURRENT");
    String name = args.has("name") ? args.string("name") : spec.path("name").asText();
    spec.put("name", name);
    if (args.has("catalog")) {
      spec.put("catalog", args.string("catalog"));
    }
    if (args.has("schema")) {
      spec.put("schema", args.string("schema"));
      spec.remove("target");
    }
    if (!spec.has("catalog") || !(spec.has("schema") || spec.has("target"))) {
      throw new ToolFailure("catalog and schema are required to create a Unity Catalog pipeline");
    }
    for (String flag : List.of("serverless", "continuous", "development")) {
      if (args.has(flag)) {
        spec.put(flag, args.optBool(flag, true));
      }
    }
    if (args.has("root_path")) {
      spec.put("root_path", args.string("root_path"));
    }
    List<String> files = args.strings("workspace_file_paths");
    if (!files.isEmpty()) {
      spec.set("libraries", libraries(files));
    } else if (!spec.has("libraries")) {
      throw new ToolFailure("workspace_file_paths is required for action " + action + ": the pipeline's source files in the workspace");
    }
    ObjectNode configuration = args.optObject("configuration");
    if (configuration != null) {
      spec.set("configuration", configuration);
    }
    ObjectNode settings = args.optObject("settings");
    if (settings != null) {
      settings.properties().forEach(e -> spec.set(e.getKey(), e.getValue()));
    }

    String id;
    boolean created = existing.isEmpty();
    if (created) {
      id = call.api().post(API, spec).path("pipeline_id").asText();
      call.track("pipeline", id, name, call.link("/pipelines/" + id));
    } else {
      id = existing.get().path("pipeline_id").asText();
      spec.put("id", id);
      call.api().put(API + "/" + id, spec);
    }
    ObjectNode out = Json.MAPPER.createObjectNode().put("pipeline_id", id).put("created", created)
        .put("url", call.link("/pipelines/" + id));
    if (args.optBool("start_run", false)) {
      String updateId = ManagePipelineRunTool.start(call, id, args.optBool("full_refresh", false));
      out.put("update_id", updateId).put("message", "Update started; follow it with manage_pipeline_run action=get.");
    }
    return out.toString();
  }

  /** Source files as pipeline libraries: .py and .sql files as files, a folder/** as a glob, else notebooks. */
  static ArrayNode libraries(List<String> paths) {
    ArrayNode libraries = Json.MAPPER.createArrayNode();
    for (String path : paths) {
      if (path.endsWith("/**")) {
        libraries.addObject().putObject("glob").put("include", path);
      } else if (path.endsWith(".py") || path.endsWith(".sql")) {
        libraries.addObject().putObject("file").put("path", path);
      } else {
        libraries.addObject().putObject("notebook").put("path", path);
      }
    }
    return libraries;
  }

  static List<JsonNode> byName(ToolCall call, String name) {
    String filter = "name LIKE '" + name.replace("'", "''") + "'";
    return call.api().collect(API, Map.of("filter", filter, "max_results", 100), "statuses", 100).stream()
        .filter(p -> p.path("name").asText().equals(name))
        .toList();
  }

  private static ObjectNode summary(ToolCall call, JsonNode pipeline) {
    JsonNode spec = pipeline.path("spec");
    String id = pipeline.path("pipeline_id").asText();
    ObjectNode out = Json.MAPPER.createObjectNode().put("pipeline_id", id).put("name", pipeline.path("name").asText())
        .put("state", pipeline.path("state").asText(null)).put("health", pipeline.path("health").asText(null))
        .put("catalog", spec.path("catalog").asText(null)).put("schema", spec.path("schema").asText(spec.path("target").asText(null)))
        .put("serverless", spec.path("serverless").asBoolean(false)).put("continuous", spec.path("continuous").asBoolean(false))
        .put("development", spec.path("development").asBoolean(false)).put("creator", pipeline.path("creator_user_name").asText(null))
        .put("url", call.link("/pipelines/" + id));
    out.set("libraries", spec.path("libraries").deepCopy());
    ArrayNode updates = out.putArray("latest_updates");
    int n = 0;
    for (JsonNode update : pipeline.path("latest_updates")) {
      if (n++ == 5) {
        break;
      }
      updates.addObject().put("update_id", update.path("update_id").asText()).put("state", update.path("state").asText())
          .put("creation_time", update.path("creation_time").asText(null));
    }
    return out;
  }
}
