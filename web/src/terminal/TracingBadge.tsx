import type { MlflowStatus } from "../chat/trace";
import { cliTracingLine } from "../chat/trace";
import { useFetch } from "../hooks";

/** One line: whether the CLIs' model calls through Mason's gateway are traced to MLflow. */
export function TracingBadge() {
  const status = useFetch<MlflowStatus>("/api/mlflow/status");
  const line = cliTracingLine(status.data);
  if (!line) return null;
  return (
    <div className="term-muted term-tracing" data-testid="cli-tracing" data-traced={line.on} title={line.title}>
      {line.on ? "● " : "○ "}
      {line.text}
    </div>
  );
}
