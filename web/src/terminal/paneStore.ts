// What a browser tab remembers about its panes across a reload, in sessionStorage (so each tab
// has its own, and a closed tab forgets): per pane its session, where its view began, how far
// xterm has written, and a snapshot of the screen at a known offset.

/** The parts of the Storage interface used here, so tests can pass a Map-backed fake. */
export interface KeyValueStore {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
  removeItem(key: string): void;
}

export interface PaneRecord {
  sessionId: string;
  base: number;
  written: number;
}

/** The screen (xterm's serialized buffer) after writing every byte before `offset`. */
export interface ScreenSnapshot {
  sessionId: string;
  offset: number;
  data: string;
}

/** How a pane starts: with this screen restored (or an empty one), reading the session from `from`. */
export interface ResumePlan {
  screen: string | null;
  from: number;
  base: number;
  /** Whether the screen is rebuilt from a replay rather than restored exactly. */
  replay: boolean;
}

const PREFIX = "mason.terminal.";
const READER_KEY = `${PREFIX}reader`;

export class PaneStore {
  constructor(
    private readonly store: KeyValueStore,
    private readonly random: () => string = randomId,
  ) {}

  record(paneId: string): PaneRecord | null {
    const value = read<PaneRecord>(this.store, `${PREFIX}pane.${paneId}`);
    return value && typeof value.sessionId === "string" && isOffset(value.base) && isOffset(value.written) && value.written >= value.base
      ? value
      : null;
  }

  saveRecord(paneId: string, record: PaneRecord): void {
    write(this.store, `${PREFIX}pane.${paneId}`, record);
  }

  snapshot(paneId: string): ScreenSnapshot | null {
    const value = read<ScreenSnapshot>(this.store, `${PREFIX}screen.${paneId}`);
    return value && typeof value.sessionId === "string" && isOffset(value.offset) && typeof value.data === "string" ? value : null;
  }

  /** Returns false when the store is full; the old snapshot is removed then, so none is stale. */
  saveSnapshot(paneId: string, snapshot: ScreenSnapshot): boolean {
    if (write(this.store, `${PREFIX}screen.${paneId}`, snapshot)) return true;
    this.store.removeItem(`${PREFIX}screen.${paneId}`);
    return false;
  }

  forget(paneId: string): void {
    this.store.removeItem(`${PREFIX}pane.${paneId}`);
    this.store.removeItem(`${PREFIX}screen.${paneId}`);
  }

  /**
   * This tab's reader id, the same across reloads. A tab duplicated by the browser copies it; the
   * server then tells one of the two that its reader was taken over, and that one renews it.
   */
  readerId(): string {
    const existing = this.store.getItem(READER_KEY);
    if (existing && /^[A-Za-z0-9._:-]{1,100}$/.test(existing)) return existing;
    return this.renewReaderId();
  }

  renewReaderId(): string {
    const id = `tab-${this.random()}`;
    write(this.store, READER_KEY, id, true);
    return id;
  }

  /** Where a pane showing `sessionId` resumes, from what this tab remembers of it. */
  plan(paneId: string, sessionId: string, freshBase = 0): ResumePlan {
    return resumePlan(sessionId, this.record(paneId), this.snapshot(paneId), freshBase);
  }
}

/**
 * A pane with a saved screen resumes exactly after it: the server replays from the snapshot's
 * offset, which is normally `written`. Without one (the store was full, or the page ended while
 * xterm was busy) the screen is rebuilt by replaying from `base`; a pane that knows nothing of the
 * session starts a new view at `freshBase`.
 */
export function resumePlan(sessionId: string, record: PaneRecord | null, snapshot: ScreenSnapshot | null, freshBase = 0): ResumePlan {
  if (!record || record.sessionId !== sessionId) return { screen: null, from: freshBase, base: freshBase, replay: true };
  if (snapshot && snapshot.sessionId === sessionId && snapshot.offset >= record.base && snapshot.offset <= record.written) {
    return { screen: snapshot.data, from: snapshot.offset, base: record.base, replay: false };
  }
  return { screen: null, from: record.base, base: record.base, replay: record.written > record.base };
}

export function randomId(): string {
  const bytes = new Uint8Array(9);
  crypto.getRandomValues(bytes);
  return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
}

function isOffset(value: unknown): value is number {
  return typeof value === "number" && Number.isSafeInteger(value) && value >= 0;
}

function read<T>(store: KeyValueStore, key: string): T | null {
  try {
    const text = store.getItem(key);
    return text ? (JSON.parse(text) as T) : null;
  } catch {
    return null;
  }
}

function write(store: KeyValueStore, key: string, value: unknown, raw = false): boolean {
  try {
    store.setItem(key, raw ? String(value) : JSON.stringify(value));
    return true;
  } catch {
    return false; // quota exceeded, or storage disabled
  }
}
