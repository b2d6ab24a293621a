// Where a finished run's trace can be seen in the MLflow UI.
//
// `GET /api/executions/{id}` carries `trace_url` once Mason knows the run's MLflow experiment,
// which is after the trace's first export (about a second after the run ends), so it is asked a
// few times. Nothing is asked when tracing is off.

export interface MlflowStatus {
  enabled: boolean;
  tracking_uri: string | null;
  experiment_name: string | null;
  info: string | null;
  last_export_at?: string | null;
  last_error?: string | null;
}

export interface TraceLookup {
  get: <T>(path: string) => Promise<T>;
  sleep?: (ms: number) => Promise<void>;
  tries?: number;
  delayMs?: number;
  /** Stop asking when it returns true (the page moved on). */
  cancelled?: () => boolean;
}

const wait = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** The run's trace URL, or null when tracing is off or no URL came within the tries. */
export async function findTraceUrl(executionId: string, lookup: TraceLookup): Promise<string | null> {
  const { get, sleep = wait, tries = 6, delayMs = 1500, cancelled = () => false } = lookup;
  try {
    const status = await get<MlflowStatus>("/api/mlflow/status");
    if (!status.enabled) return null;
  } catch {
    return null;
  }
  for (let attempt = 0; attempt < tries && !cancelled(); attempt++) {
    if (attempt > 0) await sleep(delayMs);
    try {
      const execution = await get<{ trace_url?: string | null }>(`/api/executions/${encodeURIComponent(executionId)}`);
      if (execution.trace_url && /^https?:\/\//.test(execution.trace_url)) return execution.trace_url;
    } catch {
      return null;
    }
  }
  return null;
}

/** The terminal page's line about tracing of CLI sessions. */
export function cliTracingLine(status: MlflowStatus | null): { text: string; on: boolean; title: string } | null {
  if (!status) return null;
  if (!status.enabled) {
    return { text: "CLI sessions are not traced", on: false, title: status.info ?? "MLFLOW_TRACKING_URI is not set" };
  }
  const where = status.experiment_name ? `, experiment ${status.experiment_name}` : "";
  const trouble = status.last_error ? ` Last export failed: ${status.last_error}` : "";
  return {
    text: `CLI sessions are traced to MLflow${where}`,
    on: true,
    title: `Every model call of Claude Code, Codex, Gemini CLI and OpenCode through Mason's gateway becomes a span.${trouble}`,
  };
}
