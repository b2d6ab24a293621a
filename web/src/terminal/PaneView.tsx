import { useEffect, useRef, useState } from "react";
import type { PaneEnv, PaneState } from "./TerminalPane";
import { TerminalPane } from "./TerminalPane";
import type { TerminalSettings } from "./settings";

export interface PaneHooks {
  /** Panes by id, for the page's keys, dictation and search to reach the focused one. */
  register(paneId: string, pane: TerminalPane | null): void;
  /** Panes being closed for good (their reader is left), as opposed to unmounted with the page. */
  closing: Set<string>;
  notify(text: string, kind: "info" | "error"): void;
}

interface Props {
  paneId: string;
  sessionId: string | null;
  label: string;
  /** A CLI the pane's new shell starts, if any. */
  cli?: string;
  settings: TerminalSettings;
  env: PaneEnv;
  hooks: PaneHooks;
  visible: boolean;
  focused: boolean;
  closable: boolean;
  onFocus(): void;
  onSessionStarted(sessionId: string): void;
  onClose(): void;
  onNewShell(): void;
  onControlArmed(armed: boolean): void;
  onDenied(message: string): void;
}

/** A pane: its connection state above an xterm that a TerminalPane drives. */
export function PaneView(props: Props) {
  const host = useRef<HTMLDivElement>(null);
  const pane = useRef<TerminalPane | null>(null);
  const latest = useRef(props);
  latest.current = props;
  const [state, setState] = useState<{ state: PaneState; transport: string }>({ state: { kind: "starting" }, transport: "none" });

  useEffect(() => {
    const p = latest.current;
    const created = new TerminalPane(host.current!, p.paneId, p.sessionId, p.label, p.settings, p.env, {
      cli: p.cli,
      onState: (s, transport) => {
        setState({ state: s, transport });
        if (s.kind === "denied") latest.current.onDenied(s.message);
      },
      onNotice: (text, kind) => latest.current.hooks.notify(text, kind),
      onFocus: () => latest.current.onFocus(),
      onSessionStarted: (id) => latest.current.onSessionStarted(id),
      onControlArmed: (armed) => latest.current.onControlArmed(armed),
    });
    pane.current = created;
    p.hooks.register(p.paneId, created);
    void created.start();
    return () => {
      const hooks = latest.current.hooks;
      hooks.register(created.paneId, null);
      created.dispose(hooks.closing.delete(created.paneId));
      pane.current = null;
    };
  }, [props.paneId]);

  useEffect(() => pane.current?.applySettings(props.settings), [props.settings]);
  useEffect(() => pane.current?.setVisible(props.visible), [props.visible]);
  useEffect(() => {
    if (props.visible && props.focused) pane.current?.focus();
  }, [props.visible, props.focused]);

  const ended = state.state.kind === "exited" || state.state.kind === "closed" || state.state.kind === "failed";
  return (
    <div className={`term-pane${props.focused ? " term-pane-focused" : ""}`} data-testid="terminal-pane" data-pane-id={props.paneId} onMouseDown={props.onFocus}>
      <div className="term-pane-head">
        <StatusBadge state={state.state} transport={state.transport} />
        <span className="term-pane-label" title={props.sessionId ?? undefined}>
          {props.label}
        </span>
        {ended && (
          <button className="term-small" data-testid="new-shell-button" onClick={props.onNewShell}>
            New shell
          </button>
        )}
        {props.closable && (
          <button className="term-small term-icon" aria-label="Close this pane" title="Close this pane (the shell keeps running)" data-testid="close-pane-button" onClick={props.onClose}>
            ×
          </button>
        )}
      </div>
      <div className="term-screen" ref={host} data-testid="terminal-screen" />
    </div>
  );
}

const LABELS: Record<PaneState["kind"], string> = {
  starting: "starting",
  connecting: "connecting",
  live: "live",
  polling: "polling",
  exited: "exited",
  closed: "closed",
  denied: "not allowed",
  failed: "failed",
};

function StatusBadge({ state, transport }: { state: PaneState; transport: string }) {
  let text = LABELS[state.kind];
  let title = "";
  switch (state.kind) {
    case "live":
      title = "Connected over the WebSocket";
      break;
    case "polling":
      text = state.trouble ? "offline, retrying" : "polling";
      title = state.trouble ?? "The WebSocket cannot connect; output comes by HTTP polling until it can";
      break;
    case "exited":
      text = state.code === null ? "exited" : `exited (${state.code})`;
      break;
    case "denied":
    case "failed":
      title = state.message;
      break;
  }
  return (
    <span className={`term-status term-status-${state.kind}${state.kind === "polling" && state.trouble ? " term-status-trouble" : ""}`} data-testid="pane-status" data-state={state.kind} data-transport={transport} title={title} role="status">
      <span className="term-status-dot" aria-hidden />
      {text}
    </span>
  );
}
