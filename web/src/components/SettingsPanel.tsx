import { useEffect, useState } from "react";
import type { ChatEndpoint, Cluster, ConversationSettings, RuntimeChoice, Warehouse } from "../api/types";
import { SERVERLESS } from "../chat/defaults";
import { useFetch, useMe } from "../hooks";

type Key = keyof ConversationSettings;

/**
 * The conversation's settings; an empty field means "use the default" shown as its placeholder.
 * Pickers degrade to a text field when the server cannot list warehouses or clusters.
 */
export function SettingsPanel(props: {
  settings: ConversationSettings;
  defaults: ConversationSettings;
  forNewConversation: boolean;
  onChange: (key: Key, value: string) => void;
}) {
  const warehouses = useFetch<Warehouse[]>("/api/warehouses");
  const clusters = useFetch<Cluster[]>("/api/clusters");
  const me = useMe();
  const endpoints = useFetch<ChatEndpoint[]>(me?.workspace_url ? "/api/serving-endpoints" : null);
  const runtimes = useFetch<{ runtimes: RuntimeChoice[] }>("/api/runtimes");
  const { settings, defaults, onChange } = props;

  const clusterOptions: Cluster[] = clusters.data ?? [];
  const hasServerless = clusterOptions.some((c) => c.cluster_id === SERVERLESS);

  return (
    <div className="panel-body settings-panel">
      <h3>Settings</h3>
      <p className="muted small">
        {props.forNewConversation ? "Used by the next conversation you start." : "Saved on this conversation; used by its next run."}
      </p>

      <label className="field">
        <span>Agent</span>
        <select value={settings.runtime ?? ""} onChange={(e) => onChange("runtime", e.target.value)} data-testid="settings-runtime">
          {(runtimes.data?.runtimes ?? [{ name: "mason", label: "Mason", available: true, reason: null, default: true }]).map((r) => (
            <option key={r.name} value={r.default ? "" : r.name} disabled={!r.available} title={r.reason ?? undefined}>
              {r.label}
              {r.default ? " (default)" : ""}
              {!r.available ? " · unavailable" : ""}
            </option>
          ))}
        </select>
        {runtimes.data?.runtimes
          .filter((r) => !r.available)
          .map((r) => (
            <small key={r.name} className="muted" data-testid={`runtime-unavailable-${r.name}`}>
              {r.label}: {r.reason}
            </small>
          ))}
      </label>

      <label className="field">
        <span>SQL warehouse</span>
        {warehouses.data ? (
          <select value={settings.warehouse_id ?? ""} onChange={(e) => onChange("warehouse_id", e.target.value)} data-testid="settings-warehouse">
            <option value="">Pick automatically</option>
            {settings.warehouse_id && !warehouses.data.some((w) => w.warehouse_id === settings.warehouse_id) && (
              <option value={settings.warehouse_id}>{settings.warehouse_id}</option>
            )}
            {warehouses.data.map((w) => (
              <option key={w.warehouse_id} value={w.warehouse_id}>
                {w.warehouse_name} · {w.state.toLowerCase()}
                {w.is_serverless ? " · serverless" : ""}
                {w.cluster_size ? ` · ${w.cluster_size}` : ""}
              </option>
            ))}
          </select>
        ) : (
          <TextSetting value={settings.warehouse_id} placeholder="warehouse id (optional)" onSave={(v) => onChange("warehouse_id", v)} testId="settings-warehouse" />
        )}
        {warehouses.error && <small className="muted">{unavailable("warehouses", warehouses.error)}</small>}
      </label>

      <label className="field">
        <span>Compute for code</span>
        {clusters.data ? (
          <select value={settings.cluster_id ?? ""} onChange={(e) => onChange("cluster_id", e.target.value)} data-testid="settings-cluster">
            {!hasServerless && <option value="">Serverless</option>}
            {hasServerless && <option value="">Pick automatically</option>}
            {settings.cluster_id && !clusterOptions.some((c) => c.cluster_id === settings.cluster_id) && (
              <option value={settings.cluster_id}>{settings.cluster_id}</option>
            )}
            {clusterOptions.map((c) => (
              <option key={c.cluster_id} value={c.cluster_id}>
                {c.cluster_id === SERVERLESS ? "Serverless" : `${c.cluster_name} · ${c.state.toLowerCase()}`}
              </option>
            ))}
          </select>
        ) : (
          <TextSetting value={settings.cluster_id} placeholder="cluster id, empty for serverless" onSave={(v) => onChange("cluster_id", v)} testId="settings-cluster" />
        )}
        {clusters.error && <small className="muted">{unavailable("clusters", clusters.error)}</small>}
      </label>

      <label className="field">
        <span>Default catalog</span>
        <TextSetting value={settings.default_catalog} placeholder={defaults.default_catalog ?? ""} onSave={(v) => onChange("default_catalog", v)} testId="settings-catalog" />
      </label>
      <label className="field">
        <span>Default schema</span>
        <TextSetting value={settings.default_schema} placeholder={defaults.default_schema ?? ""} onSave={(v) => onChange("default_schema", v)} testId="settings-schema" />
      </label>
      <label className="field">
        <span>Workspace folder</span>
        <TextSetting value={settings.workspace_folder} placeholder={defaults.workspace_folder ?? ""} onSave={(v) => onChange("workspace_folder", v)} testId="settings-folder" />
      </label>
      <label className="field">
        <span>Model</span>
        <TextSetting
          value={settings.model}
          placeholder={me?.model?.default_model ? `server default: ${me.model.default_model}` : "server default"}
          onSave={(v) => onChange("model", v)}
          testId="settings-model"
          list={endpoints.data && endpoints.data.length > 0 ? "model-options" : undefined}
        />
        {endpoints.data && (
          <datalist id="model-options" data-testid="model-options">
            {endpoints.data.map((e) => (
              <option key={e.name} value={e.name}>
                {e.ready ? "ready" : "not ready"}
              </option>
            ))}
          </datalist>
        )}
        <small className="muted">
          {endpoints.data ? "Pick one of the workspace's chat endpoints, or type any model name." : "Any model name the server's endpoint serves."}
        </small>
      </label>
      <p className="muted small">An empty field uses the value shown in grey.</p>
    </div>
  );
}

function unavailable(what: string, error: Error & { status?: number }): string {
  return error.status === 404 ? `This server cannot list ${what} yet; type an id instead.` : `Cannot list ${what}: ${error.message}`;
}

/** A text setting saved when it loses focus or on Enter, and only when it changed. */
function TextSetting(props: { value: string | null; placeholder: string; onSave: (value: string) => void; testId: string; list?: string }) {
  const [value, setValue] = useState(props.value ?? "");
  useEffect(() => setValue(props.value ?? ""), [props.value]);
  const save = () => {
    if (value.trim() !== (props.value ?? "")) props.onSave(value.trim());
  };
  return (
    <input
      value={value}
      placeholder={props.placeholder}
      onChange={(e) => setValue(e.target.value)}
      onBlur={save}
      onKeyDown={(e) => {
        if (e.key === "Enter") {
          e.preventDefault();
          save();
        }
      }}
      spellCheck={false}
      list={props.list}
      data-testid={props.testId}
    />
  );
}
