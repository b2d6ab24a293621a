package dev.mason.databricks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mason.agent.tool.InputSchema;
import dev.mason.agent.tool.ToolFailure;
import dev.mason.web.Json;
import java.util.List;
import java.util.Map;

/**
 * manage_uc_monitors: Lakehouse Monitoring (data quality monitors) on Unity Catalog tables: a
 * monitor per table, its refreshes, and the metric tables and dashboard it writes.
 */
final class ManageUcMonitorsTool extends ActionTool {
  private static final List<String> ACTIONS = List.of("create", "get", "update", "delete", "refresh", "list_refreshes");
  private static final List<String> PROFILES = List.of("snapshot", "time_series", "inference_log");

  ManageUcMonitorsTool(ToolRuntime runtime) {
    super(runtime, ACTIONS, "manage_uc_monitors",
        "Lakehouse Monitoring of a Unity Catalog table, as the user (who must own the table or manage it). create: a "
            + "monitor writing its profile and drift metric tables to output_schema_name (catalog.schema) and its dashboard "
            + "to assets_dir; profile_type snapshot (default), time_series (timestamp_col and granularities such as "
            + "[\"1 day\"]) or inference_log (in settings); recorded in the project's resources. get: status and metric "
            + "tables. update: change schedule, slicing_exprs or other settings. refresh: recompute the metrics now. "
            + "list_refreshes: recent refreshes. delete: DESTROYS the monitor (its metric tables stay).",
        InputSchema.object()
            .action("create, get, update, delete, refresh or list_refreshes.", ACTIONS)
            .string("table_name", "The monitored table, catalog.schema.table.")
            .string("output_schema_name", "For create: the schema, catalog.schema, for the metric tables.")
            .string("assets_dir", "For create: workspace folder for the dashboard (default the user's home /monitoring).")
            .choice("profile_type", "For create: snapshot (default), time_series or inference_log.", PROFILES)
            .string("timestamp_col", "For time_series: the timestamp column.")
            .strings("granularities", "For time_series: window sizes, e.g. [\"1 day\", \"1 week\"].")
            .strings("slicing_exprs", "Column expressions to slice the metrics by.")
            .string("schedule_cron", "Quartz cron for scheduled refreshes, e.g. \"0 0 6 * * ?\" (time zone UTC).")
            .freeObject("settings", "Other monitor fields in the API shape (inference_log, custom_metrics, notifications, baseline_table_name).")
            .required("table_name"));
  }

  @Override
  String run(ToolCall call, Args args, String action) {
    String table = args.string("table_name");
    SqlNames.qualified(table, 3, "table_name");
    String monitor = "/api/2.1/unity-catalog/tables/" + WorkspaceApi.encodePath(table) + "/monitor";
    return switch (action) {
      case "create" -> {
        ObjectNode body = Json.MAPPER.createObjectNode()
            .put("output_schema_name", args.string("output_schema_name", action))
            .put("assets_dir", args.optString("assets_dir", "/Workspace/Users/" + CurrentUser.name(call) + "/monitoring/" + table));
        switch (args.choice("profile_type", PROFILES, "snapshot")) {
          case "time_series" -> {
            ObjectNode series = body.putObject("time_series").put("timestamp_col", args.string("timestamp_col", "a time_series monitor"));
            List<String> granularities = args.strings("granularities");
            (granularities.isEmpty() ? List.of("1 day") : granularities).forEach(series.putArray("granularities")::add);
          }
          case "inference_log" -> {
            ObjectNode settings = args.optObject("settings");
            if (settings == null || !settings.has("inference_log")) {
              throw new ToolFailure("an inference_log monitor needs settings.inference_log (problem_type, prediction_col, "
                  + "timestamp_col, granularities, model_id_col)");
            }
          }
          default -> body.putObject("snapshot");
        }
        changes(args, body);
        var created = call.api().post(monitor, body);
        call.track("monitor", table, table, call.link("/explore/data/" + table.replace('.', '/') + "?o=quality"));
        yield summary(created).put("message", "Monitor created; its first refresh runs now. Check it with action=get.").toString();
      }
      case "get" -> summary(call.api().get(monitor)).toString();
      case "update" -> {
        // Update replaces the definition: the current one with the changes.
        var current = (ObjectNode) call.api().get(monitor).deepCopy();
        ObjectNode body = Json.MAPPER.createObjectNode();
        for (String field : List.of("output_schema_name", "assets_dir", "snapshot", "time_series", "inference_log", "slicing_exprs",
            "custom_metrics", "notifications", "schedule", "baseline_table_name", "data_classification_config")) {
          if (current.has(field)) {
            body.set(field, current.get(field));
          }
        }
        if (!changes(args, body)) {
          throw new ToolFailure("update needs slicing_exprs, schedule_cron or settings");
        }
        yield summary(call.api().put(monitor, body)).toString();
      }
      case "delete" -> {
        call.api().delete(monitor, Map.of());
        call.untrack("monitor", table);
        yield Json.MAPPER.createObjectNode().put("deleted", table).put("message", "Monitor deleted; its metric tables were kept.")
            .toString();
      }
      case "refresh" -> call.api().post(monitor + "/refreshes", Json.MAPPER.createObjectNode()).toString();
      default -> call.api().get(monitor + "/refreshes").toString();
    };
  }

  /** Puts the changes the call asks for into {@code body}; false when it asks for none. */
  private static boolean changes(Args args, ObjectNode body) {
    List<String> slicing = args.strings("slicing_exprs");
    if (!slicing.isEmpty()) {
      slicing.forEach(body.putArray("slicing_exprs")::add);
    }
    if (args.has("schedule_cron")) {
      body.putObject("schedule").put("quartz_cron_expression", args.string("schedule_cron")).put("timezone_id", "UTC");
    }
    ObjectNode settings = args.optObject("settings");
    if (settings != null) {
      body.setAll(settings);
    }
    return !slicing.isEmpty() || args.has("schedule_cron") || settings != null;
  }

  private static ObjectNode summary(JsonNode monitor) {
    ObjectNode out = Json.MAPPER.createObjectNode();
    for (String field : List.of("table_name", "status", "monitor_version", "output_schema_name", "profile_metrics_table_name",
        "drift_metrics_table_name", "dashboard_id", "assets_dir", "latest_monitor_failure_msg", "schedule", "slicing_exprs")) {
      if (monitor.hasNonNull(field)) {
        out.set(field, monitor.get(field));
      }
    }
    return out;
  }
}
