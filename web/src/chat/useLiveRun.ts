import { useCallback, useEffect, useRef, useState } from "react";
import { applyEvents, newRun, type RunState } from "../stream/run";
import { followRun, type FollowState } from "../stream/follow";
import { useLatest } from "../hooks";

/** Tools whose results may have changed the project's files. */
const FILE_TOOLS = new Set(["Write", "Edit", "MultiEdit", "NotebookEdit", "Bash"]);

export interface LiveRunCallbacks {
  /** The log reached `done` (or the server lost the execution): stored messages are now current. */
  onFinished: (run: RunState | null) => void;
  onFilesChanged?: () => void;
}

/**
 * The run this page follows, if any. start() reads the execution's log from its first event:
 * the page shows stored messages plus this run, and the reducer drops anything seen twice.
 */
export function useLiveRun(callbacks: LiveRunCallbacks) {
  const [run, setRun] = useState<RunState | null>(null);
  const [connection, setConnection] = useState<FollowState>("ended");
  const stop = useRef<(() => void) | null>(null);
  const latest = useLatest(callbacks);
  const runRef = useLatest(run);

  const start = useCallback(
    (executionId: string, conversationId: string | null) => {
      stop.current?.();
      setRun(newRun(executionId, conversationId));
      const toolNames = new Map<string, string>();
      let current = newRun(executionId, conversationId);
      let reported = false;
      stop.current = followRun({
        executionId,
        after: null,
        onEvents: (events) => {
          current = applyEvents(current, events);
          setRun((prev) => (prev && prev.executionId === executionId ? applyEvents(prev, events) : prev));
          let filesChanged = false;
          for (const event of events) {
            const data = (event.data ?? {}) as Record<string, unknown>;
            if (event.type === "tool_use" && typeof data.tool_id === "string") toolNames.set(data.tool_id, String(data.tool_name));
            if (event.type === "tool_result" && FILE_TOOLS.has(toolNames.get(String(data.tool_use_id)) ?? "")) filesChanged = true;
            if (event.type === "done") filesChanged = true;
          }
          if (filesChanged) latest.current.onFilesChanged?.();
          if (current.finished && !reported) {
            reported = true;
            latest.current.onFinished(current);
          }
        },
        onState: setConnection,
        onGone: () => {
          if (!reported) {
            reported = true;
            latest.current.onFinished(null);
          }
        },
      });
    },
    [latest],
  );

  const clear = useCallback(() => {
    stop.current?.();
    stop.current = null;
    setRun(null);
  }, []);

  useEffect(() => () => stop.current?.(), []);

  return { run, connection, start, clear, runRef };
}
