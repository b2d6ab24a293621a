import { useEffect, useState } from "react";
import { api } from "../api/client";
import { findTraceUrl } from "../chat/trace";

/** "View trace in MLflow" under a finished run, once its trace URL is known; nothing when tracing is off. */
export function TraceLink({ executionId }: { executionId: string }) {
  const [url, setUrl] = useState<string | null>(null);
  useEffect(() => {
    let cancelled = false;
    setUrl(null);
    void findTraceUrl(executionId, { get: api.get, cancelled: () => cancelled }).then((found) => {
      if (!cancelled) setUrl(found);
    });
    return () => {
      cancelled = true;
    };
  }, [executionId]);
  if (!url) return null;
  return (
    <div className="trace-link muted">
      <a href={url} target="_blank" rel="noopener noreferrer" data-testid="trace-link" data-execution-id={executionId}>
        View trace in MLflow
      </a>
    </div>
  );
}
