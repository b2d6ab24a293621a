// The terminal owner's workspace credential: a panel of the page, never typed into a shell. It asks
// for a token when there is none, shows the rotation's trouble in one line, and lets the owner
// replace the token. The token goes to POST /api/configure-pat and is never kept in the page.

import { useCallback, useEffect, useState, type FormEvent } from "react";
import { api, errorMessage } from "../api/client";

/** GET /api/pat-status (the reference's fields plus rotation). */
export interface PatStatus {
  configured: boolean;
  valid: boolean;
  user: string | null;
  workspace_host: string | null;
  source: "pasted" | "environment" | "profile" | null;
  expires_at: string | null;
  last_rotation: string | null;
  rotations: number;
  rotation_failures: number;
  error: string | null;
}

const REFRESH_MS = 30_000;

export function CredentialPanel() {
  const [status, setStatus] = useState<PatStatus | null>(null);
  const [replacing, setReplacing] = useState(false);

  const refresh = useCallback(async () => {
    try {
      setStatus(await api.get<PatStatus>("/api/pat-status"));
    } catch {
      setStatus(null); // not the owner, or no credential room: the page says so elsewhere
    }
  }, []);

  useEffect(() => {
    void refresh();
    const timer = window.setInterval(() => void refresh(), REFRESH_MS);
    return () => window.clearInterval(timer);
  }, [refresh]);

  if (!status || !status.workspace_host) return null;
  if (!status.configured || !status.valid || replacing) {
    return (
      <PasteForm
        status={status}
        onDone={(next) => {
          setStatus(next);
          setReplacing(false);
        }}
        onCancel={status.configured && status.valid ? () => setReplacing(false) : undefined}
      />
    );
  }
  return (
    <div className={`term-credential${status.error ? " term-credential-error" : ""}`} data-testid="credential-status">
      {status.error ? (
        <span role="alert">Workspace token: {status.error}</span>
      ) : (
        <span className="term-muted">
          Workspace: {status.user}
          {status.last_rotation && ` · token rotated ${new Date(status.last_rotation).toLocaleTimeString()}`}
        </span>
      )}
      <button className="term-small" onClick={() => setReplacing(true)} data-testid="credential-replace">
        Replace token
      </button>
    </div>
  );
}

function PasteForm(props: { status: PatStatus; onDone: (status: PatStatus) => void; onCancel?: () => void }) {
  const [token, setToken] = useState("");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const host = props.status.workspace_host ?? "";

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const answer = await api.post<{ pat_status: PatStatus }>("/api/configure-pat", { token });
      setToken("");
      props.onDone(answer.pat_status);
    } catch (failure) {
      setError(errorMessage(failure));
    } finally {
      setBusy(false);
    }
  };

  return (
    <form className="term-credential term-credential-form" onSubmit={submit} data-testid="credential-form">
      <div>
        <strong>Connect the terminals to your workspace.</strong>{" "}
        <span className="term-muted">
          Create a token at{" "}
          <a href={`${host}/settings/user/developer/access-tokens`} target="_blank" rel="noreferrer">
            {host}
          </a>{" "}
          with the shortest lifetime offered and paste it here. Mason checks that it is yours, mints its own short-lived
          tokens from it, and keeps none of them on disk or in a shell.
        </span>
        {props.status.error && <div className="term-error">{props.status.error}</div>}
        {error && (
          <div className="term-error" role="alert" data-testid="credential-error">
            {error}
          </div>
        )}
      </div>
      <input
        type="password"
        autoComplete="off"
        placeholder="dapi…"
        aria-label="Workspace token"
        value={token}
        onChange={(e) => setToken(e.target.value)}
        data-testid="credential-token"
      />
      <button type="submit" className="term-small" disabled={busy || token.trim() === ""} data-testid="credential-submit">
        {busy ? "Checking…" : "Connect"}
      </button>
      {props.onCancel && (
        <button type="button" className="term-small" onClick={props.onCancel}>
          Cancel
        </button>
      )}
    </form>
  );
}
