// The terminal page (/terminal): tabs of one or two panes, each a shell on the server. See
// README.md beside this file for how output stays exact across reconnects and reloads.

import { useCallback, useEffect, useMemo, useRef, useState, type PointerEvent as ReactPointerEvent, type ReactNode } from "react";
import { ApiFailure, api, errorMessage } from "../api/client";
import { InlineRename } from "../components/Dialogs";
import { APPEARANCE_ID, Dictation, ExtraKeys, SearchBar, SettingsMenu, dictationAvailable } from "./Controls";
import { CredentialPanel } from "./CredentialPanel";
import { NewTabLauncher, SetupLines, WorkspaceSyncLine } from "./CliLauncher";
import { TracingBadge } from "./TracingBadge";
import { keySequence, type ExtraKey } from "./keys";
import {
  MAX_TABS,
  activate,
  activateAt,
  activateBy,
  activeTab,
  addTab,
  allPanes,
  closePane,
  closeTab,
  findSession,
  focusBy,
  focusPane,
  focusedPane,
  parseLayout,
  rename,
  replacePane,
  ratioAt,
  setRatio,
  setSession,
  split,
  type Layout,
  type TabSpec,
} from "./layout";
import type { LinkDeps, ReaderIds, SocketLike } from "./link";
import { PaneStore, randomId } from "./paneStore";
import { PaneView, type PaneHooks } from "./PaneView";
import { browserPollHub } from "./pollHub";
import { socketUrl, type SessionStatus } from "./protocol";
import { SessionPicker } from "./SessionPicker";
import { DEFAULT_FONT_SIZE, clampFontSize, loadSettings, saveSettings, type TerminalSettings } from "./settings";
import { usePageTheme } from "./pageTheme";
import { ShortcutSheet } from "./ShortcutSheet";
import { useShortcuts, type ShortcutAction } from "./shortcuts";
import type { PaneEnv, TerminalPane } from "./TerminalPane";
import "./terminal.css";

const LAYOUT_KEY = "mason.terminal.layout";
const newId = () => randomId().slice(0, 12);

type Access = { kind: "checking" } | { kind: "ok" } | { kind: "denied"; message: string };
interface Notice {
  id: number;
  kind: "info" | "error";
  text: string;
}

type PageEnv = PaneEnv & { dispose(): void };

/** What every pane of the page shares: the tab's stored records, its reader id, the poll worker. */
function createPageEnv(): PageEnv {
  const store = new PaneStore(window.sessionStorage);
  let reader = store.readerId();
  const readers: ReaderIds = {
    current: () => reader,
    renew: (stale) => {
      if (reader === stale) reader = store.renewReaderId();
      return reader;
    },
  };
  const polls = browserPollHub();
  const link: LinkDeps = {
    openSocket: () => new WebSocket(socketUrl(window.location)) as unknown as SocketLike,
    polls,
    post: (path, body) => api.post(path, body),
    readers,
  };
  return { store, link, dispose: () => polls.dispose() };
}

/** The page's shared parts, made after mount and disposed on unmount (the worker stops); null until then. */
function usePageEnv(): PageEnv | null {
  const [env, setEnv] = useState<PageEnv | null>(null);
  useEffect(() => {
    const created = createPageEnv();
    setEnv(created);
    return () => created.dispose();
  }, []);
  return env;
}

export default function TerminalPage() {
  const env = usePageEnv();
  const [access, setAccess] = useState<Access>({ kind: "checking" });
  const [settings, setSettings] = useState<TerminalSettings>(() =>
    loadSettings(window.localStorage, window.matchMedia?.("(prefers-color-scheme: dark)").matches ?? true),
  );
  const [layout, setLayout] = useState<Layout>(() => parseLayout(window.sessionStorage.getItem(LAYOUT_KEY)));
  const [notices, setNotices] = useState<Notice[]>([]);
  const [picker, setPicker] = useState(false);
  const [menu, setMenu] = useState(false);
  const [sheet, setSheet] = useState(false);
  const [searching, setSearching] = useState(false);
  const [dictating, setDictating] = useState(false);
  const [controlArmed, setControlArmed] = useState(false);
  const [renaming, setRenaming] = useState<string | null>(null);
  const panes = useRef(new Map<string, TerminalPane>());
  const closing = useRef(new Set<string>());
  const layoutRef = useRef(layout);
  layoutRef.current = layout;
  const canDictate = useMemo(dictationAvailable, []);
  const coarse = useMemo(() => window.matchMedia?.("(pointer: coarse)").matches ?? false, []);

  const notify = useCallback((text: string, kind: "info" | "error") => {
    const id = Date.now() + Math.random();
    setNotices((list) => [...list.filter((n) => n.text !== text), { id, kind, text }].slice(-4));
    setTimeout(() => setNotices((list) => list.filter((n) => n.id !== id)), kind === "error" ? 10_000 : 5_000);
  }, []);

  const hooks: PaneHooks = useMemo(
    () => ({
      register: (paneId, pane) => {
        if (pane) panes.current.set(paneId, pane);
        else panes.current.delete(paneId);
      },
      closing: closing.current,
      notify,
    }),
    [notify],
  );

  // Only the owner may use terminals: ask once, and show the server's reason to anyone else.
  // Panes whose session is gone (Mason restarted, or the shell was ended elsewhere) start anew.
  useEffect(() => {
    if (!env) return;
    let cancelled = false;
    api
      .get<SessionStatus[]>("/api/sessions")
      .then((sessions) => {
        if (cancelled) return;
        const running = new Set(sessions.map((s) => s.session_id));
        setLayout((current) => {
          let next = current;
          for (const pane of allPanes(current)) {
            if (pane.sessionId && !running.has(pane.sessionId)) {
              env.store.forget(pane.id);
              next = replacePane(next, pane.id, newId, null);
            }
          }
          return next.tabs.length === 0 ? addTab(next, newId) : next;
        });
        setAccess({ kind: "ok" });
      })
      .catch((e) => {
        if (cancelled) return;
        if (e instanceof ApiFailure && (e.status === 403 || e.status === 503)) setAccess({ kind: "denied", message: e.message });
        else {
          notify(`Cannot list the terminal sessions: ${errorMessage(e)}`, "error");
          setLayout((current) => (current.tabs.length === 0 ? addTab(current, newId) : current));
          setAccess({ kind: "ok" });
        }
      });
    return () => {
      cancelled = true;
    };
  }, [env, notify]);

  useEffect(() => {
    try {
      window.sessionStorage.setItem(LAYOUT_KEY, JSON.stringify(layout));
    } catch {
      // storage full: the layout lasts for this page
    }
  }, [layout]);

  useEffect(() => saveSettings(window.localStorage, settings), [settings]);

  // Save every pane's place and screen before the page goes, and poll slowly while hidden.
  useEffect(() => {
    if (!env) return;
    const saveAll = () => panes.current.forEach((p) => p.saveNow());
    const visibility = () => {
      env.link.polls.setHidden(document.hidden);
      if (document.hidden) saveAll();
      else panes.current.forEach((p) => p.reconnect());
    };
    const online = () => panes.current.forEach((p) => p.reconnect());
    window.addEventListener("pagehide", saveAll);
    document.addEventListener("visibilitychange", visibility);
    window.addEventListener("online", online);
    return () => {
      window.removeEventListener("pagehide", saveAll);
      document.removeEventListener("visibilitychange", visibility);
      window.removeEventListener("online", online);
    };
  }, [env]);

  const focused = focusedPane(layout);
  const focusedTerminal = () => (focused ? panes.current.get(focused.id) : undefined);
  const current = activeTab(layout);
  const openSessions = useMemo(() => new Set(allPanes(layout).flatMap((p) => (p.sessionId ? [p.sessionId] : []))), [layout]);

  const closeTabNow = (tab: TabSpec) => {
    tab.panes.forEach((p) => closing.current.add(p.id));
    setLayout((l) => closeTab(l, tab.id));
  };
  const closePaneNow = (tab: TabSpec, paneId: string) => {
    closing.current.add(paneId);
    setLayout((l) => closePane(l, tab.id, paneId));
  };
  const newShellIn = (paneId: string) => {
    const pane = panes.current.get(paneId);
    const old = allPanes(layoutRef.current).find((p) => p.id === paneId)?.sessionId;
    if (old && pane?.state.kind === "exited") void api.post("/api/session/close", { session_id: old }).catch(() => {});
    closing.current.add(paneId);
    setLayout((l) => replacePane(l, paneId, newId, null));
  };
  const openSession = (session: SessionStatus, where: "tab" | "pane") => {
    setPicker(false);
    const shown = findSession(layoutRef.current, session.session_id);
    if (shown) {
      setLayout((l) => focusPane(l, shown.paneId));
      return;
    }
    if (where === "pane" && focused) {
      closing.current.add(focused.id);
      setLayout((l) => replacePane(l, focused.id, newId, session.session_id));
    } else if (layoutRef.current.tabs.length < MAX_TABS) {
      setLayout((l) => addTab(l, newId, session.session_id, session.label));
    } else {
      notify(`At most ${MAX_TABS} tabs: close one first.`, "error");
    }
  };
  const pressKey = (key: ExtraKey) => {
    const pane = focusedTerminal();
    if (!pane) return;
    if (key === "Ctrl") pane.armControl(!controlArmed);
    else pane.input(keySequence(key, pane.applicationCursor));
    pane.focus();
  };
  const shortcut = (action: ShortcutAction) => {
    const font = (size: number) => setSettings((s) => ({ ...s, fontSize: clampFontSize(size) }));
    switch (action.kind) {
      case "new-tab":
        if (layoutRef.current.tabs.length >= MAX_TABS) notify(`At most ${MAX_TABS} tabs: close one first.`, "error");
        else setLayout((l) => addTab(l, newId));
        return;
      case "close-tab":
        return current && closeTabNow(current);
      case "unsplit":
        return current && focused && current.panes.length > 1 && closePaneNow(current, focused.id);
      case "split":
        return current && setLayout((l) => split(l, current.id, newId));
      case "previous-tab":
      case "next-tab":
        return setLayout((l) => activateBy(l, action.kind === "next-tab" ? 1 : -1));
      case "tab":
        return setLayout((l) => activateAt(l, action.index));
      case "previous-pane":
      case "next-pane":
        return setLayout((l) => focusBy(l, action.kind === "next-pane" ? 1 : -1));
      case "sessions":
        return setPicker((p) => !p);
      case "find":
        return setSearching(true);
      case "font-bigger":
        return font(settings.fontSize + 1);
      case "font-smaller":
        return font(settings.fontSize - 1);
      case "font-reset":
        return font(DEFAULT_FONT_SIZE);
      case "help":
        return setSheet((open) => !open);
    }
  };
  useShortcuts(shortcut, access.kind === "ok");
  usePageTheme(settings.theme);

  if (access.kind === "denied") {
    return (
      <div className="term-denied" data-testid="terminal-denied" role="alert">
        <h1>Terminals are not available</h1>
        <p>{access.message}</p>
        <p className="term-muted">A terminal is a shell on the machine Mason runs on, so only the app's owner may open one.</p>
      </div>
    );
  }
  const showKeys = settings.extraKeys === "on" || (settings.extraKeys === "auto" && coarse);

  return (
    <div className="term-page" data-testid="terminal-page" data-theme={settings.theme}>
      <div className="term-bar">
        <div className="term-tabs" role="tablist">
          {layout.tabs.map((tab) => (
            <div
              key={tab.id}
              role="tab"
              aria-selected={tab.id === layout.active}
              className={`term-tab${tab.id === layout.active ? " term-tab-active" : ""}`}
              data-testid="terminal-tab"
              data-active={tab.id === layout.active}
              onClick={() => setLayout((l) => activate(l, tab.id))}
              onDoubleClick={() => setRenaming(tab.id)}
              title="Double-click to rename"
            >
              {renaming === tab.id ? (
                <InlineRename
                  value={tab.title}
                  onSave={(title) => {
                    setLayout((l) => rename(l, tab.id, title));
                    setRenaming(null);
                  }}
                  onCancel={() => setRenaming(null)}
                />
              ) : (
                <span className="term-tab-title">{tab.title}</span>
              )}
              <button
                className="term-tab-close"
                aria-label={`Close ${tab.title}`}
                title="Close the tab; its shells keep running (reopen them from Sessions)"
                onClick={(e) => {
                  e.stopPropagation();
                  closeTabNow(tab);
                }}
              >
                ×
              </button>
            </div>
          ))}
          <NewTabLauncher
            disabled={layout.tabs.length >= MAX_TABS}
            title={layout.tabs.length >= MAX_TABS ? `At most ${MAX_TABS} tabs` : "New tab"}
            onLaunch={(cli, label) => setLayout((l) => addTab(l, newId, null, label, cli))}
          />
        </div>
        <div className="term-actions">
          <button
            className="term-small"
            onClick={() => current && setLayout((l) => split(l, current.id, newId))}
            disabled={!current || current.panes.length >= 2}
            title="Split this tab into two panes"
            data-testid="split-button"
          >
            Split
          </button>
          <button className="term-small" onClick={() => setPicker(true)} data-testid="sessions-button" title="Running sessions: reattach or end them">
            Sessions
          </button>
          <button className="term-small" onClick={() => setSearching((s) => !s)} title="Find (Ctrl+Shift+F)" data-testid="search-button">
            Find
          </button>
          {canDictate && (
            <button className="term-small" onClick={() => setDictating((d) => !d)} aria-pressed={dictating} title="Dictate text into the terminal" data-testid="voice-button">
              Dictate
            </button>
          )}
          <button className="term-small" onClick={() => setMenu((m) => !m)} aria-expanded={menu} aria-controls={APPEARANCE_ID} data-testid="settings-button">
            Appearance
          </button>
          <button className="term-small term-icon" onClick={() => setSheet(true)} title="Keyboard shortcuts (Ctrl+/)" aria-label="Keyboard shortcuts" data-testid="shortcuts-button">
            ?
          </button>
        </div>
      </div>
      {menu && <SettingsMenu settings={settings} onChange={setSettings} onClose={() => setMenu(false)} />}
      {searching && (
        <SearchBar
          onSearch={(text, backwards) => focusedTerminal()?.search(text, backwards) ?? false}
          onClose={() => {
            focusedTerminal()?.clearSearch();
            setSearching(false);
          }}
        />
      )}
      {dictating && <Dictation onText={(text) => focusedTerminal()?.input(text)} onClose={() => setDictating(false)} />}
      {access.kind === "ok" && <CredentialPanel />}
      {access.kind === "ok" && <SetupLines />}
      {access.kind === "ok" && <WorkspaceSyncLine notify={notify} />}
      {access.kind === "ok" && <TracingBadge />}
      <div className="term-tabs-body">
        {access.kind === "checking" && <p className="term-muted term-center">Connecting…</p>}
        {access.kind === "ok" &&
          env &&
          layout.tabs.map((tab) => (
            <TabBody
              key={tab.id}
              tab={tab}
              visible={tab.id === layout.active}
              settings={settings}
              env={env}
              hooks={hooks}
              onRatio={(ratio) => setLayout((l) => setRatio(l, tab.id, ratio))}
              onFocus={(paneId) => setLayout((l) => focusPane(l, paneId))}
              onSessionStarted={(paneId, sessionId) => setLayout((l) => setSession(l, paneId, sessionId))}
              onClosePane={(paneId) => closePaneNow(tab, paneId)}
              onNewShell={newShellIn}
              onControlArmed={setControlArmed}
              onDenied={(message) => setAccess({ kind: "denied", message })}
            />
          ))}
        {access.kind === "ok" && layout.tabs.length === 0 && (
          <div className="term-center">
            <p className="term-muted">No terminal is open.</p>
            <button className="primary" onClick={() => setLayout((l) => addTab(l, newId))}>
              New shell
            </button>
          </div>
        )}
      </div>
      {showKeys && <ExtraKeys controlArmed={controlArmed} onKey={pressKey} />}
      {picker && (
        <SessionPicker
          openHere={openSessions}
          canAddTab={layout.tabs.length < MAX_TABS}
          onOpen={openSession}
          onNew={() => {
            setPicker(false);
            setLayout((l) => addTab(l, newId));
          }}
          onClose={() => setPicker(false)}
          notify={notify}
        />
      )}
      {sheet && <ShortcutSheet onClose={() => setSheet(false)} />}
      <div className="term-notices" aria-live="polite">
        {notices.map((n) => (
          <div key={n.id} className={`term-notice term-notice-${n.kind}`} data-testid="terminal-notice">
            {n.text}
          </div>
        ))}
      </div>
    </div>
  );
}

interface TabBodyProps {
  tab: TabSpec;
  visible: boolean;
  settings: TerminalSettings;
  env: PaneEnv;
  hooks: PaneHooks;
  onRatio(ratio: number): void;
  onFocus(paneId: string): void;
  onSessionStarted(paneId: string, sessionId: string): void;
  onClosePane(paneId: string): void;
  onNewShell(paneId: string): void;
  onControlArmed(armed: boolean): void;
  onDenied(message: string): void;
}

/** A tab's panes side by side, with a divider to drag (or move with the arrow keys) when split. */
function TabBody(props: TabBodyProps) {
  const { tab } = props;
  const box = useRef<HTMLDivElement>(null);
  const drag = (e: ReactPointerEvent<HTMLDivElement>) => {
    const divider = e.currentTarget;
    divider.setPointerCapture(e.pointerId);
    const move = (m: PointerEvent) => {
      const rect = box.current!.getBoundingClientRect();
      props.onRatio(ratioAt(m.clientX, rect.left, rect.width));
    };
    const up = () => {
      divider.removeEventListener("pointermove", move);
      divider.removeEventListener("pointerup", up);
      divider.removeEventListener("pointercancel", up);
    };
    divider.addEventListener("pointermove", move);
    divider.addEventListener("pointerup", up);
    divider.addEventListener("pointercancel", up);
  };
  const children: ReactNode[] = [];
  tab.panes.forEach((pane, index) => {
    if (index === 1) {
      children.push(
        <div
          key="divider"
          className="term-divider"
          role="separator"
          aria-orientation="vertical"
          aria-valuenow={Math.round(tab.ratio * 100)}
          aria-valuemin={15}
          aria-valuemax={85}
          tabIndex={0}
          onPointerDown={drag}
          onKeyDown={(e) => {
            if (e.key === "ArrowLeft") props.onRatio(tab.ratio - 0.05);
            if (e.key === "ArrowRight") props.onRatio(tab.ratio + 0.05);
          }}
          data-testid="pane-divider"
        />,
      );
    }
    const share = tab.panes.length === 1 ? 1 : index === 0 ? tab.ratio : 1 - tab.ratio;
    children.push(
      <div key={pane.id} className="term-pane-slot" style={{ flex: `${share} 1 0` }}>
        <PaneView
          paneId={pane.id}
          sessionId={pane.sessionId}
          cli={pane.cli}
          label={tab.panes.length === 1 ? tab.title : `${tab.title} · ${index + 1}`}
          settings={props.settings}
          env={props.env}
          hooks={props.hooks}
          visible={props.visible}
          focused={tab.focus === index}
          closable={tab.panes.length > 1}
          onFocus={() => props.onFocus(pane.id)}
          onSessionStarted={(sessionId) => props.onSessionStarted(pane.id, sessionId)}
          onClose={() => props.onClosePane(pane.id)}
          onNewShell={() => props.onNewShell(pane.id)}
          onControlArmed={props.onControlArmed}
          onDenied={props.onDenied}
        />
      </div>,
    );
  });
  return (
    <div className={`term-split${props.visible ? "" : " term-hidden"}`} ref={box} data-testid="terminal-tab-body" data-tab-id={tab.id}>
      {children}
    </div>
  );
}
