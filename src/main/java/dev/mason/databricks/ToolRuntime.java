package dev.mason.databricks;

import java.time.Clock;

/**
 * What every Databricks tool shares: the workspace access (clients per credential), the registry
 * of background operations, the resource manifests, and the pacing. Holds no credential: the
 * caller's token arrives with each call.
 */
record ToolRuntime(WorkspaceAccess access, Operations operations, ResourceManifest manifest, ToolSettings settings, Clock clock) {}
