// The coding-agent CLIs on the terminal page: the "New tab" launcher (a shell, or a shell that
// starts Claude Code, Codex, Gemini CLI or OpenCode), one setup line per CLI while any is not
// ready, and the last workspace sync of the projects' commits with a retry.

import { useCallback, useEffect, useRef, useState } from "react";
import { api, errorMessage } from "../api/client";
import "./clis.css";

/** One step of GET /api/setup-status (the reference's shape, plus the version a CLI is ready at). */
export interface SetupStep {
  id: string;
  label: string;
  status: "pending" | "running" | "complete" | "error";
  error: string | null;
  version: string | null;
}

export interface SetupStatus {
  status: "pending" | "running" | "complete" | "error";
  steps: SetupStep[];
}

/** GET /api/workspace-sync's records. */
interface SyncRecord {
  repo: string;
  workspace_path: string;
  status: "queued" | "syncing" | "synced" | "failed";
  last_sync_at: string | null;
  uploaded: number;
  deleted: number;
  error: string | null;
}

const SETUP_POLL_MS = 2_000;
const SETUP_IDLE_MS = 30_000;
const SYNC_POLL_MS = 5_000;

/** The setup, polled every 2 s while it runs and every 30 s once it is done. */
function useSetupStatus(): SetupStatus | null {
  const [status, setStatus] = useState<SetupStatus | null>(null);
  useEffect(() => {
    let timer = 0;
    let stopped = false;
    const tick = async () => {
      let next: SetupStatus | null = null;
      try {
        next = await api.get<SetupStatus>("/api/setup-status");
        setStatus(next);
      } catch {
        // Mason restarting: try again later
      }
      if (!stopped) {
        const done = next && (next.status === "complete" || next.status === "error");
        timer = window.setTimeout(() => void tick(), done ? SETUP_IDLE_MS : SETUP_POLL_MS);
      }
    };
    void tick();
    return () => {
      stopped = true;
      window.clearTimeout(timer);
    };
  }, []);
  return status;
}

function stateText(step: SetupStep): string {
  switch (step.status) {
    case "complete":
      return step.version ? `ready ${step.version}` : "ready";
    case "running":
      return "installing…";
    case "pending":
      return "waiting to install";
    case "error":
      return `failed: ${step.error ?? "unknown reason"}`;
  }
}

/** The "+" of the tab bar: a menu of a plain shell and each CLI, a CLI that is not ready shown with its state. */
export function NewTabLauncher(props: { disabled: boolean; title: string; onLaunch(cli: string | undefined, label: string | undefined): void }) {
  const [open, setOpen] = useState(false);
  const setup = useSetupStatus();
  const box = useRef<HTMLSpanElement>(null);
  useEffect(() => {
    if (!open) return;
    const away = (e: MouseEvent) => {
      if (box.current && !box.current.contains(e.target as Node)) setOpen(false);
    };
    const escape = (e: KeyboardEvent) => e.key === "Escape" && setOpen(false);
    document.addEventListener("mousedown", away);
    document.addEventListener("keydown", escape);
    return () => {
      document.removeEventListener("mousedown", away);
      document.removeEventListener("keydown", escape);
    };
  }, [open]);
  const launch = (cli: string | undefined, label: string | undefined) => {
    setOpen(false);
    props.onLaunch(cli, label);
  };
  return (
    <span className="term-menu-anchor" ref={box}>
      <button
        className="term-small term-icon"
        onClick={() => setOpen((o) => !o)}
        disabled={props.disabled}
        title={props.title}
        aria-label="New tab"
        aria-haspopup="menu"
        aria-expanded={open}
        data-testid="new-tab-button"
      >
        +
      </button>
      {open && (
        <div className="term-menu term-launcher" role="menu" data-testid="new-tab-menu">
          <button role="menuitem" className="term-launch" onClick={() => launch(undefined, undefined)} data-testid="launch-shell">
            Shell
          </button>
          {(setup?.steps ?? []).map((step) => (
            <button
              key={step.id}
              role="menuitem"
              className="term-launch"
              disabled={step.status !== "complete"}
              title={stateText(step)}
              onClick={() => launch(step.id, step.label)}
              data-testid={`launch-${step.id}`}
            >
              <span>{step.label}</span>
              {step.status !== "complete" && <span className="term-muted term-launch-state">{stateText(step)}</span>}
            </button>
          ))}
          {!setup && <div className="term-muted term-launch-state">Coding-agent CLIs: status unknown</div>}
        </div>
      )}
    </span>
  );
}

/** One line per CLI while any is not ready; nothing once all are. */
export function SetupLines() {
  const setup = useSetupStatus();
  if (!setup || setup.steps.every((s) => s.status === "complete")) return null;
  return (
    <div className="term-setup" role="status" data-testid="setup-lines">
      {setup.steps.map((step) => (
        <div key={step.id} className={`term-setup-line term-setup-${step.status}`} data-testid="setup-line" data-cli={step.id}>
          <strong>{step.label}</strong> {stateText(step)}
        </div>
      ))}
    </div>
  );
}

/** The newest commit sync of a project, and a retry when it failed. Hidden until there is one. */
export function WorkspaceSyncLine(props: { notify(text: string, kind: "info" | "error"): void }) {
  const [records, setRecords] = useState<SyncRecord[]>([]);
  const refresh = useCallback(async () => {
    try {
      setRecords((await api.get<{ repositories: SyncRecord[] }>("/api/workspace-sync")).repositories);
    } catch {
      setRecords([]);
    }
  }, []);
  useEffect(() => {
    void refresh();
    const timer = window.setInterval(() => void refresh(), SYNC_POLL_MS);
    return () => window.clearInterval(timer);
  }, [refresh]);
  const latest = records[0];
  if (!latest) return null;
  const retry = async () => {
    try {
      await api.post("/api/workspace-sync", { repo: latest.repo });
      void refresh();
    } catch (e) {
      props.notify(`Sync of ${latest.repo} could not start: ${errorMessage(e)}`, "error");
    }
  };
  const when = latest.last_sync_at ? new Date(latest.last_sync_at).toLocaleTimeString() : "";
  return (
    <div className={`term-sync term-sync-${latest.status}`} data-testid="workspace-sync" role="status">
      <span>
        {latest.repo} → {latest.workspace_path}:{" "}
        {latest.status === "synced"
          ? `synced ${when}, ${latest.uploaded} uploaded, ${latest.deleted} deleted`
          : latest.status === "failed"
            ? `sync failed ${when}: ${latest.error ?? ""}`
            : `${latest.status}…`}
      </span>
      <button className="term-small" onClick={() => void retry()} data-testid="sync-retry">
        Sync again
      </button>
    </div>
  );
}
