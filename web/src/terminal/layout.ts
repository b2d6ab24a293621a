// The terminal page's tabs and panes as plain data: up to MAX_TABS tabs, each one pane or two side
// by side with a divider. Every change returns a new layout (React state); the page keeps it in
// sessionStorage so a reload brings the same tabs back.

export const MAX_TABS = 10;
export const MIN_RATIO = 0.15;
export const MAX_RATIO = 0.85;

export interface PaneSpec {
  id: string;
  /** Null until the pane's shell is started. */
  sessionId: string | null;
  /** The coding-agent CLI the pane's new shell starts (Mason's `cli` of POST /api/session); absent for a plain shell. */
  cli?: string;
}

export interface TabSpec {
  id: string;
  title: string;
  /** One pane, or two side by side. */
  panes: PaneSpec[];
  /** The pane that has the keyboard: an index into `panes`. */
  focus: number;
  /** The left pane's share of the width when split. */
  ratio: number;
}

export interface Layout {
  tabs: TabSpec[];
  active: string | null;
  /** Numbers new tabs ("Shell 3"); only grows. */
  counter: number;
}

export type IdSource = () => string;

export function emptyLayout(): Layout {
  return { tabs: [], active: null, counter: 0 };
}

export function activeTab(layout: Layout): TabSpec | null {
  return layout.tabs.find((t) => t.id === layout.active) ?? null;
}

export function focusedPane(layout: Layout): PaneSpec | null {
  const tab = activeTab(layout);
  return tab ? (tab.panes[tab.focus] ?? tab.panes[0] ?? null) : null;
}

/** Adds a tab with one pane (showing `sessionId`, or a new shell) and makes it active; unchanged at the limit. */
export function addTab(layout: Layout, newId: IdSource, sessionId: string | null = null, title?: string, cli?: string): Layout {
  if (layout.tabs.length >= MAX_TABS) return layout;
  const counter = layout.counter + 1;
  const tabId = newId();
  const pane: PaneSpec = cli ? { id: newId(), sessionId, cli } : { id: newId(), sessionId };
  const tab: TabSpec = { id: tabId, title: title ?? `Shell ${counter}`, panes: [pane], focus: 0, ratio: 0.5 };
  return { tabs: [...layout.tabs, tab], active: tab.id, counter };
}

/** Removes a tab; the neighbour to its right (else left) becomes active if it was. */
export function closeTab(layout: Layout, tabId: string): Layout {
  const index = layout.tabs.findIndex((t) => t.id === tabId);
  if (index < 0) return layout;
  const tabs = layout.tabs.filter((t) => t.id !== tabId);
  const active = layout.active === tabId ? (tabs[Math.min(index, tabs.length - 1)]?.id ?? null) : layout.active;
  return { ...layout, tabs, active };
}

export function activate(layout: Layout, tabId: string): Layout {
  return layout.tabs.some((t) => t.id === tabId) ? { ...layout, active: tabId } : layout;
}

/** Activates the tab `step` places away from the active one, wrapping around at either end. */
export function activateBy(layout: Layout, step: number): Layout {
  const count = layout.tabs.length;
  if (count === 0) return layout;
  const index = Math.max(0, layout.tabs.findIndex((t) => t.id === layout.active));
  return activate(layout, layout.tabs[(((index + step) % count) + count) % count].id);
}

/** Activates the tab at `index` (from 0); unchanged when there is none there. */
export function activateAt(layout: Layout, index: number): Layout {
  const tab = layout.tabs[index];
  return tab ? activate(layout, tab.id) : layout;
}

/** Gives the keyboard to the active tab's other pane in the direction of `step`; unchanged past either edge. */
export function focusBy(layout: Layout, step: number): Layout {
  const tab = activeTab(layout);
  const pane = tab?.panes[tab.focus + step];
  return pane ? focusPane(layout, pane.id) : layout;
}

/** Splits a one-pane tab: a second pane (a new shell) to the right gets the keyboard. Unchanged when already split. */
export function split(layout: Layout, tabId: string, newId: IdSource): Layout {
  return updateTab(layout, tabId, (tab) =>
    tab.panes.length >= 2 ? tab : { ...tab, panes: [...tab.panes, { id: newId(), sessionId: null }], focus: 1, ratio: 0.5 },
  );
}

/** Closes one pane; closing a tab's only pane closes the tab. */
export function closePane(layout: Layout, tabId: string, paneId: string): Layout {
  const tab = layout.tabs.find((t) => t.id === tabId);
  if (!tab || !tab.panes.some((p) => p.id === paneId)) return layout;
  if (tab.panes.length === 1) return closeTab(layout, tabId);
  return updateTab(layout, tabId, (t) => ({ ...t, panes: t.panes.filter((p) => p.id !== paneId), focus: 0, ratio: 0.5 }));
}

export function focusPane(layout: Layout, paneId: string): Layout {
  const tab = layout.tabs.find((t) => t.panes.some((p) => p.id === paneId));
  if (!tab) return layout;
  const focus = tab.panes.findIndex((p) => p.id === paneId);
  if (tab.focus === focus && layout.active === tab.id) return layout;
  return { ...updateTab(layout, tab.id, (t) => ({ ...t, focus })), active: tab.id };
}

export function setRatio(layout: Layout, tabId: string, ratio: number): Layout {
  return updateTab(layout, tabId, (tab) => ({ ...tab, ratio: clampRatio(ratio) }));
}

export function clampRatio(ratio: number): number {
  if (!Number.isFinite(ratio)) return 0.5;
  return Math.min(MAX_RATIO, Math.max(MIN_RATIO, ratio));
}

/** The divider's ratio for a pointer at `x` over a split of `width` starting at `left`. */
export function ratioAt(x: number, left: number, width: number): number {
  return width > 0 ? clampRatio((x - left) / width) : 0.5;
}

/** Points a pane at a session (its new shell, or one picked to reattach). */
export function setSession(layout: Layout, paneId: string, sessionId: string | null): Layout {
  return mapPanes(layout, (pane) => (pane.id === paneId ? { ...pane, sessionId } : pane));
}

/** Gives a pane a new id: it then starts afresh (its saved offsets and screen belong to the old id). */
export function replacePane(layout: Layout, paneId: string, newId: IdSource, sessionId: string | null): Layout {
  return mapPanes(layout, (pane) => (pane.id === paneId ? { id: newId(), sessionId } : pane));
}

export function rename(layout: Layout, tabId: string, title: string): Layout {
  const clean = title.replace(/\p{Cc}/gu, " ").trim().slice(0, 60);
  return clean ? updateTab(layout, tabId, (tab) => ({ ...tab, title: clean })) : layout;
}

/** Where a session is shown in this page, if it is. */
export function findSession(layout: Layout, sessionId: string): { tabId: string; paneId: string } | null {
  for (const tab of layout.tabs) {
    const pane = tab.panes.find((p) => p.sessionId === sessionId);
    if (pane) return { tabId: tab.id, paneId: pane.id };
  }
  return null;
}

export function allPanes(layout: Layout): PaneSpec[] {
  return layout.tabs.flatMap((t) => t.panes);
}

/** Reads a saved layout, dropping anything malformed; an empty layout when nothing usable is left. */
export function parseLayout(text: string | null): Layout {
  if (!text) return emptyLayout();
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return emptyLayout();
  }
  const raw = value as Partial<Layout> | null;
  if (!raw || !Array.isArray(raw.tabs)) return emptyLayout();
  const seenSessions = new Set<string>();
  const tabs: TabSpec[] = [];
  for (const t of raw.tabs.slice(0, MAX_TABS) as Partial<TabSpec>[]) {
    if (!t || typeof t.id !== "string" || !Array.isArray(t.panes)) continue;
    const panes: PaneSpec[] = [];
    for (const p of t.panes.slice(0, 2) as Partial<PaneSpec>[]) {
      if (!p || typeof p.id !== "string") continue;
      let sessionId = typeof p.sessionId === "string" ? p.sessionId : null;
      // A session is shown once per page: the tab's panes share one reader id for it.
      if (sessionId && seenSessions.has(sessionId)) sessionId = null;
      if (sessionId) seenSessions.add(sessionId);
      panes.push({ id: p.id, sessionId });
    }
    if (panes.length === 0) continue;
    const focus = typeof t.focus === "number" && t.focus >= 0 && t.focus < panes.length ? t.focus : 0;
    tabs.push({ id: t.id, title: typeof t.title === "string" && t.title ? t.title : "Shell", panes, focus, ratio: clampRatio(Number(t.ratio)) });
  }
  const active = tabs.some((t) => t.id === raw.active) ? (raw.active as string) : (tabs[0]?.id ?? null);
  const counter = typeof raw.counter === "number" && Number.isFinite(raw.counter) ? Math.max(raw.counter, tabs.length) : tabs.length;
  return { tabs, active, counter };
}

function updateTab(layout: Layout, tabId: string, change: (tab: TabSpec) => TabSpec): Layout {
  let changed = false;
  const tabs = layout.tabs.map((tab) => {
    if (tab.id !== tabId) return tab;
    const next = change(tab);
    changed ||= next !== tab;
    return next;
  });
  return changed ? { ...layout, tabs } : layout;
}

function mapPanes(layout: Layout, change: (pane: PaneSpec) => PaneSpec): Layout {
  return { ...layout, tabs: layout.tabs.map((tab) => ({ ...tab, panes: tab.panes.map(change) })) };
}
