package dev.mason.databricks;

import dev.mason.agent.tool.Tool;
import dev.mason.identity.Caller;
import java.time.Clock;
import java.util.List;

/**
 * The Databricks tools, for the agent engine and the MCP server. Each call acts as its caller:
 * the caller's token travels in the {@link dev.mason.agent.tool.ToolContext}, never through this
 * object, so one instance serves every user. What the tools share is per user where it matters:
 * background operations belong to the user who started them, resource manifests live in each
 * project's folder.
 *
 * <p>Thread-safe; one instance per application.
 */
public final class DatabricksTools {
  private final WorkspaceAccess access;
  private final List<Tool> tools;

  public DatabricksTools(WorkspaceAccess access, ToolSettings settings) {
    this(access, settings, Clock.systemUTC());
  }

  DatabricksTools(WorkspaceAccess access, ToolSettings settings, Clock clock) {
    this.access = access;
    var runtime = new ToolRuntime(access, new Operations(clock), new ResourceManifest(), settings, clock);
    this.tools = List.of(
        new ExecuteSqlTool(runtime),
        new ExecuteSqlMultiTool(runtime),
        new TableStatsTool(runtime),
        new ManageWarehouseTool(runtime),
        new ManageSqlWarehouseTool(runtime),
        new GetVolumeFolderDetailsTool(runtime),
        new ListComputeTool(runtime),
        new ExecuteCodeTool(runtime),
        new ManageClusterTool(runtime),
        new ManageJobsTool(runtime),
        new ManageJobRunsTool(runtime),
        new ManagePipelineTool(runtime),
        new ManagePipelineRunTool(runtime),
        new ManageWorkspaceFilesTool(runtime),
        new ManageVolumeFilesTool(runtime),
        new ManageUcObjectsTool(runtime),
        new ManageUcGrantsTool(runtime),
        new ManageUcStorageTool(runtime),
        new ManageUcConnectionsTool(runtime),
        new ManageUcTagsTool(runtime),
        new ManageUcSecurityPoliciesTool(runtime),
        new ManageUcMonitorsTool(runtime),
        new ManageUcSharingTool(runtime),
        new ManageMetricViewsTool(runtime),
        new GetCurrentUserTool(runtime),
        new AskGenieTool(runtime),
        new ManageGenieTool(runtime),
        new ManageDashboardTool(runtime),
        new ManageServingEndpointTool(runtime),
        new ManageVsEndpointTool(runtime),
        new ManageVsIndexTool(runtime),
        new QueryVsIndexTool(runtime),
        new ManageVsDataTool(runtime),
        new ManageLakebaseDatabaseTool(runtime),
        new ManageLakebaseBranchTool(runtime),
        new ManageLakebaseSyncTool(runtime),
        new GenerateLakebaseCredentialTool(runtime),
        new ManageAppTool(runtime),
        new ManageKaTool(runtime),
        new ManageMasTool(runtime),
        new CheckOperationStatusTool(runtime),
        new ListOperationsTool(runtime),
        new ListTrackedResourcesTool(runtime),
        new DeleteTrackedResourceTool(runtime));
  }

  /** Whether a workspace is configured; without one there are no Databricks tools to offer. */
  public boolean available() {
    return access.configured();
  }

  /** The tools to offer {@code caller}: all of them with a workspace, none without. */
  public List<Tool> forCaller(Caller caller) {
    return available() ? tools : List.of();
  }

  /** Every tool, whether or not a workspace is configured (for documentation). */
  public List<Tool> all() {
    return tools;
  }
}
