import type { Warehouse } from "../api/types";
import { useFetch, useMe } from "../hooks";

/**
 * What the chat runs with: the model (the conversation's own, else the server's default) and the
 * workspace, with whether it answers. Reaching the workspace is checked by listing its warehouses,
 * the same cached call the Settings panel makes.
 */
export function ChatStatus({ model }: { model: string | null }) {
  const me = useMe();
  const workspace = me?.workspace_url ?? null;
  const probe = useFetch<Warehouse[]>(workspace ? "/api/warehouses" : null);
  if (!me) return null;
  const shown = model ?? me.model?.default_model ?? null;
  const host = workspace ? workspace.replace(/^https?:\/\//, "") : null;
  const reach = !workspace ? "none" : probe.data ? "reachable" : probe.error ? "unreachable" : "checking";
  return (
    <div className="chat-status muted" data-testid="chat-status">
      <span title={me.model?.endpoint ? `served by ${me.model.endpoint}` : undefined} data-testid="header-model">
        {shown ? shown : "no model"}
      </span>
      <span aria-hidden> · </span>
      <span
        className={`reach reach-${reach}`}
        title={probe.error ? `The workspace did not answer: ${probe.error.message}` : undefined}
        data-testid="header-workspace"
        data-reach={reach}
      >
        {host ?? "no workspace"}
        {workspace && <span className="reach-dot" aria-label={reach} />}
      </span>
    </div>
  );
}
