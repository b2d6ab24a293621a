import { useCallback, useEffect, useRef, useState } from "react";
import { api, errorMessage } from "../api/client";
import { closeOnBackdrop } from "../components/Dialogs";
import type { SessionStatus } from "./protocol";

interface Props {
  /** Sessions shown in this page, which open by switching to them. */
  openHere: Set<string>;
  canAddTab: boolean;
  onOpen(session: SessionStatus, where: "tab" | "pane"): void;
  onNew(): void;
  onClose(): void;
  notify(text: string, kind: "info" | "error"): void;
}

/** The owner's running sessions (GET /api/sessions): reattach one here or in a new tab, or end it. Closes on Esc, Done or a tap outside. */
export function SessionPicker(props: Props) {
  const ref = useRef<HTMLDialogElement>(null);
  const [sessions, setSessions] = useState<SessionStatus[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [ending, setEnding] = useState<string | null>(null);

  const load = useCallback(() => {
    api
      .get<SessionStatus[]>("/api/sessions")
      .then((list) => {
        setSessions([...list].sort((a, b) => a.created_at.localeCompare(b.created_at)));
        setError(null);
      })
      .catch((e) => setError(errorMessage(e)));
  }, []);

  useEffect(() => {
    const dialog = ref.current;
    if (dialog && !dialog.open) dialog.showModal?.();
    load();
  }, [load]);

  const end = async (session: SessionStatus) => {
    setEnding(session.session_id);
    try {
      await api.post("/api/session/close", { session_id: session.session_id });
      props.notify(`Ended ${session.label}`, "info");
    } catch (e) {
      props.notify(`Cannot end ${session.label}: ${errorMessage(e)}`, "error");
    } finally {
      setEnding(null);
      load();
    }
  };

  return (
    <dialog ref={ref} className="dialog term-picker" onCancel={props.onClose} onClick={closeOnBackdrop(props.onClose)} data-testid="session-picker">
      <h2>Terminal sessions</h2>
      <p className="term-muted">Shells keep running when their tab closes; open one again here, or end it.</p>
      {error && <p className="term-error">{error}</p>}
      {sessions === null && !error && <p className="term-muted">Loading…</p>}
      {sessions?.length === 0 && <p className="term-muted">No sessions are running.</p>}
      {sessions && sessions.length > 0 && (
        <ul className="term-session-list">
          {sessions.map((s) => {
            const here = props.openHere.has(s.session_id);
            return (
              <li key={s.session_id} data-testid="session-item" data-session-id={s.session_id}>
                <div className="term-session-main">
                  <strong>{s.label}</strong>
                  <span className="term-muted">
                    {s.exited ? `exited${s.exit_code === null ? "" : ` (${s.exit_code})`}` : (s.process ?? "shell")} · {s.cols}×{s.rows} · idle {idle(s.idle_seconds)}
                    {here ? " · open in this page" : s.readers > 0 ? " · open elsewhere" : ""}
                  </span>
                </div>
                <div className="term-session-actions">
                  {here ? (
                    <button onClick={() => props.onOpen(s, "tab")} data-testid="session-show">
                      Show
                    </button>
                  ) : (
                    <>
                      <button onClick={() => props.onOpen(s, "pane")} data-testid="session-open-here" title="Show it in the focused pane, which detaches its current shell">
                        Open here
                      </button>
                      <button onClick={() => props.onOpen(s, "tab")} disabled={!props.canAddTab} data-testid="session-open-tab">
                        New tab
                      </button>
                    </>
                  )}
                  <button className="term-danger" onClick={() => void end(s)} disabled={ending === s.session_id} data-testid="session-end" title="Hang up the shell and everything it runs">
                    End
                  </button>
                </div>
              </li>
            );
          })}
        </ul>
      )}
      <div className="dialog-actions">
        <button onClick={load}>Refresh</button>
        <button onClick={props.onNew} disabled={!props.canAddTab}>
          New shell
        </button>
        <button className="primary" onClick={props.onClose} autoFocus>
          Done
        </button>
      </div>
    </dialog>
  );
}

function idle(seconds: number): string {
  if (seconds < 60) return `${seconds}s`;
  if (seconds < 3600) return `${Math.floor(seconds / 60)}m`;
  return `${Math.floor(seconds / 3600)}h ${Math.floor((seconds % 3600) / 60)}m`;
}
