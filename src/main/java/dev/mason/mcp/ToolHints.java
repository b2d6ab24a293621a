package dev.mason.mcp;

import dev.mason.agent.tool.Tool;
import io.modelcontextprotocol.spec.McpSchema;
import java.util.Map;

/**
 * The MCP annotations of each tool, set so that a client can trust them: a tool is read-only
 * only when it never changes anything; a tool that can change things is destructive when any of
 * its actions can delete or overwrite (the MCP default), and idempotent only when repeating a
 * call with the same arguments has no further effect.
 *
 * <p>A tool not listed here gets the careful defaults: read-only as it declares itself, else
 * destructive and not idempotent.
 */
final class ToolHints {
  private record Hints(boolean destructive, boolean idempotent) {}

  /** The tools that change things, where the careful defaults are too careful. */
  private static final Map<String, Hints> CHANGING = Map.ofEntries(
      // Delegation: a task runs an agent with shell and SQL access, so it can delete things.
      Map.entry(DelegationTools.RUN, new Hints(true, false)),
      Map.entry(DelegationTools.CANCEL, new Hints(true, true)),
      // Databricks: statements and code can do anything; runs and starts are new work each time.
      Map.entry("execute_sql", new Hints(true, false)),
      Map.entry("execute_sql_multi", new Hints(true, false)),
      Map.entry("execute_code", new Hints(true, false)),
      Map.entry("manage_cluster", new Hints(true, false)),
      Map.entry("manage_job_runs", new Hints(true, false)),
      Map.entry("manage_pipeline_run", new Hints(true, false)),
      Map.entry("manage_uc_objects", new Hints(true, false)),
      Map.entry("manage_uc_storage", new Hints(true, false)),
      Map.entry("manage_uc_connections", new Hints(true, false)),
      Map.entry("manage_uc_sharing", new Hints(true, false)),
      Map.entry("manage_uc_monitors", new Hints(true, false)),
      Map.entry("manage_metric_views", new Hints(true, false)),
      Map.entry("manage_genie", new Hints(true, false)),
      Map.entry("manage_vs_index", new Hints(true, false)),
      Map.entry("manage_lakebase_branch", new Hints(true, false)),
      Map.entry("manage_app", new Hints(true, false)),
      Map.entry("manage_ka", new Hints(true, false)),
      Map.entry("manage_mas", new Hints(true, false)),
      Map.entry("manage_lakebase_sync", new Hints(true, false)),
      // A new password each call, written over the last one in the project's password file.
      Map.entry("generate_lakebase_credential", new Hints(false, false)),
      // Create is idempotent by name, update and delete by id: the same call twice changes nothing more.
      Map.entry("manage_jobs", new Hints(true, true)),
      Map.entry("manage_pipeline", new Hints(true, true)),
      Map.entry("manage_uc_grants", new Hints(true, true)),
      Map.entry("manage_sql_warehouse", new Hints(true, true)),
      Map.entry("manage_dashboard", new Hints(true, true)),
      // Create returns an existing endpoint by name; upserts and deletes by key repeat to the same rows.
      Map.entry("manage_vs_endpoint", new Hints(true, true)),
      Map.entry("manage_vs_data", new Hints(true, true)),
      Map.entry("manage_lakebase_database", new Hints(true, true)),
      // Setting a tag, a filter or a mask twice leaves them as once; unset and drop remove protection or labels.
      Map.entry("manage_uc_tags", new Hints(true, true)),
      Map.entry("manage_uc_security_policies", new Hints(true, true)),
      Map.entry("manage_workspace_files", new Hints(true, true)),
      Map.entry("manage_volume_files", new Hints(true, true)),
      Map.entry("delete_tracked_resource", new Hints(true, true)),
      // Lists, reads and queries endpoints: a query changes nothing, but its answer may differ.
      Map.entry("manage_serving_endpoint", new Hints(false, true)));

  private ToolHints() {}

  static McpSchema.ToolAnnotations of(Tool tool) {
    if (tool.readOnly()) {
      return new McpSchema.ToolAnnotations(null, true, false, true, null, null);
    }
    Hints hints = CHANGING.getOrDefault(tool.name(), new Hints(true, false));
    return new McpSchema.ToolAnnotations(null, false, hints.destructive(), hints.idempotent(), null, null);
  }
}
