// One pane: an xterm.js terminal and its addons, wired to a session through a PaneLink. Owned by
// PaneView (React), which creates it on mount and disposes it on unmount; everything here is
// imperative because xterm is.
//
// Renderer: WebGL while the pane is visible and the browser can (headless Chromium cannot), else
// xterm's DOM renderer; a lost WebGL context falls back to the DOM too. Hidden panes give their
// WebGL context back, since a page gets only a handful.

import { Terminal } from "@xterm/xterm";
import { FitAddon } from "@xterm/addon-fit";
import { ImageAddon } from "@xterm/addon-image";
import { SearchAddon } from "@xterm/addon-search";
import { SerializeAddon } from "@xterm/addon-serialize";
import { WebLinksAddon } from "@xterm/addon-web-links";
import { WebglAddon } from "@xterm/addon-webgl";
import "@xterm/xterm/css/xterm.css";
import { ApiFailure, api } from "../api/client";
import { withControl } from "./keys";
import { OutputLedger } from "./ledger";
import { PaneLink, type LinkDeps, type LinkState } from "./link";
import type { PaneStore } from "./paneStore";
import { THEMES, type TerminalSettings } from "./settings";
import { pastedImageName, shellWord, uploadFile } from "./upload";

export type PaneState = LinkState | { kind: "starting" } | { kind: "failed"; message: string };

export interface PaneCallbacks {
  onState(state: PaneState, transport: string): void;
  onNotice(text: string, kind: "info" | "error"): void;
  onFocus(): void;
  /** The pane started a new shell: the layout should point at it. */
  onSessionStarted(sessionId: string): void;
  onControlArmed(armed: boolean): void;
  /** A coding-agent CLI the pane's new shell starts (sent as `cli`), if any. */
  cli?: string;
}

export interface PaneEnv {
  store: PaneStore;
  link: LinkDeps;
}

/**
 * Lines of scrollback a saved screen keeps, so that a tab's snapshots fit in sessionStorage (about
 * 5 MB); when they do not, a shorter one is tried before the pane falls back to a replay.
 */
const SNAPSHOT_SCROLLBACK = [1_000, 100];
const SNAPSHOT_IDLE_MS = 1_500;
/** While output never pauses, the screen is still saved this often (when xterm is between writes). */
const SNAPSHOT_BUSY_MS = 10_000;
const PERSIST_MS = 250;
const isMac = typeof navigator !== "undefined" && /Mac|iPhone|iPad/.test(navigator.platform);

/** New shells being started, by pane: a pane mounted twice (React's StrictMode) starts one. */
const starting = new Map<string, Promise<string>>();

export class TerminalPane {
  readonly term: Terminal;
  private readonly fit = new FitAddon();
  private readonly searcher = new SearchAddon();
  private readonly serializer = new SerializeAddon();
  private webgl: WebglAddon | null = null;
  private webglRefused = false;
  private link: PaneLink | null = null;
  private ledger: OutputLedger | null = null;
  private sessionId: string | null;
  private disposed = false;
  private pendingWrites = 0;
  private persistTimer: ReturnType<typeof setTimeout> | null = null;
  private snapshotTimer: ReturnType<typeof setTimeout> | null = null;
  private snapshotAt = 0;
  private controlArmed = false;
  private stateNow: PaneState = { kind: "starting" };
  private readonly resizeObserver: ResizeObserver;
  private fitFrame = 0;
  private readonly cleanups: (() => void)[] = [];

  constructor(
    private readonly host: HTMLElement,
    readonly paneId: string,
    sessionId: string | null,
    private readonly label: string,
    settings: TerminalSettings,
    private readonly env: PaneEnv,
    private readonly callbacks: PaneCallbacks,
  ) {
    this.sessionId = sessionId;
    this.term = new Terminal({
      allowProposedApi: true,
      cursorBlink: true,
      scrollback: 10_000,
      scrollOnUserInput: true,
      macOptionIsMeta: true,
      ...this.look(settings),
    });
    this.term.loadAddon(this.fit);
    this.term.loadAddon(this.searcher);
    this.term.loadAddon(this.serializer);
    this.term.loadAddon(new WebLinksAddon());
    this.term.loadAddon(new ImageAddon({ sixelSupport: true, iipSupport: true, storageLimit: 128 }));
    this.term.open(host);
    this.term.attachCustomKeyEventHandler((e) => this.onKey(e));
    this.term.onData((data) => this.type(data));
    this.term.onResize(({ cols, rows }) => this.link?.resize(cols, rows));
    this.term.textarea?.addEventListener("focus", () => callbacks.onFocus());
    this.resizeObserver = new ResizeObserver(() => this.scheduleFit());
    this.resizeObserver.observe(host);
    this.listen(host, "paste", (e) => this.onPaste(e as ClipboardEvent), true);
    this.listen(host, "dragover", (e) => this.onDragOver(e as DragEvent));
    this.listen(host, "dragleave", () => host.classList.remove("term-drop-target"));
    this.listen(host, "drop", (e) => this.onDrop(e as DragEvent));
    host.dataset.renderer = "dom";
    host.style.background = this.look(settings).theme.background ?? "";
    // What the terminal holds as text, whatever the renderer: for browser tests and debugging.
    Object.defineProperty(host, "terminalText", { value: () => this.text(), configurable: true });
  }

  get state(): PaneState {
    return this.stateNow;
  }

  /** Starts (or reattaches) the pane's shell and connects. */
  async start(): Promise<void> {
    this.fitNow();
    this.setState({ kind: "starting" });
    let sessionId = this.sessionId;
    if (!sessionId) {
      try {
        sessionId = await this.startShell();
      } catch (e) {
        let message = e instanceof Error ? e.message : String(e);
        if (e instanceof ApiFailure && e.status === 429) message += " Sessions lists them: reattach one, or end one.";
        this.term.write(`\x1b[0;31mCannot start a shell: ${message}\x1b[0m\r\n`);
        this.setState({ kind: "failed", message });
        return;
      }
      if (this.disposed) return;
      this.sessionId = sessionId;
      starting.delete(this.paneId);
      this.callbacks.onSessionStarted(sessionId);
    }
    const plan = this.env.store.plan(this.paneId, sessionId);
    if (plan.screen) this.write(plan.screen, null);
    const ledger = new OutputLedger(plan.base, plan.from);
    this.ledger = ledger;
    this.host.dataset.sessionId = sessionId;
    this.persist();
    const link = new PaneLink(this.paneId, sessionId, ledger, {
      write: (text, upTo) => this.write(text, upTo),
      marker: (text) => this.write(text, null),
      state: (state) => this.onLinkState(state, plan.replay),
      notice: (text) => this.callbacks.onNotice(text, "info"),
    }, this.env.link);
    this.link = link;
    link.resize(this.term.cols, this.term.rows);
    link.start();
  }

  setVisible(visible: boolean): void {
    if (visible) {
      this.useWebgl();
      this.scheduleFit();
    } else {
      this.dropWebgl();
    }
  }

  applySettings(settings: TerminalSettings): void {
    const look = this.look(settings);
    this.term.options.theme = look.theme;
    this.term.options.fontFamily = look.fontFamily;
    this.term.options.fontSize = look.fontSize;
    this.host.style.background = look.theme.background ?? "";
    this.scheduleFit();
  }

  focus(): void {
    this.term.focus();
  }

  /** Tries the WebSocket again now (the network is back, the tab is shown again). */
  reconnect(): void {
    this.link?.retryNow();
  }

  /** Text from outside the keyboard (extra keys, dictation, an upload's path), as if typed. */
  input(data: string): void {
    this.type(data);
  }

  armControl(armed: boolean): void {
    this.controlArmed = armed;
    this.callbacks.onControlArmed(armed);
  }

  get applicationCursor(): boolean {
    return this.term.modes.applicationCursorKeysMode;
  }

  search(text: string, backwards = false): boolean {
    const options = {
      decorations: { matchBackground: "#5a4a00", matchOverviewRuler: "#d29922", activeMatchBackground: "#9a6700", activeMatchColorOverviewRuler: "#ffb000" },
    };
    return backwards ? this.searcher.findPrevious(text, options) : this.searcher.findNext(text, options);
  }

  clearSearch(): void {
    this.searcher.clearDecorations();
    this.term.clearSelection();
    this.term.focus();
  }

  /** Saves where the pane stands, and its screen when xterm is not midway through a write. */
  saveNow(): void {
    if (!this.ledger || !this.sessionId) return;
    this.persist();
    if (this.pendingWrites > 0) return; // the last saved screen stays consistent with its offset
    this.snapshotAt = Date.now();
    for (const scrollback of SNAPSHOT_SCROLLBACK) {
      const data = this.serializer.serialize({ scrollback });
      if (this.env.store.saveSnapshot(this.paneId, { sessionId: this.sessionId, offset: this.ledger.written, data })) return;
    }
  }

  /** With `leave` the pane was closed: the server forgets its reader and this tab its records. */
  dispose(leave: boolean): void {
    if (this.disposed) return;
    if (!leave) this.saveNow();
    this.disposed = true;
    this.link?.dispose(leave);
    if (leave) this.env.store.forget(this.paneId);
    for (const timer of [this.persistTimer, this.snapshotTimer]) if (timer !== null) clearTimeout(timer);
    cancelAnimationFrame(this.fitFrame);
    this.resizeObserver.disconnect();
    this.cleanups.forEach((c) => c());
    this.dropWebgl();
    this.term.dispose();
  }

  /** The buffer's lines (scrollback and screen) as text, a wrapped line joined again, trailing blank lines left out. */
  text(): string {
    const buffer = this.term.buffer.active;
    const lines: string[] = [];
    for (let i = 0; i < buffer.length; i++) {
      const line = buffer.getLine(i);
      const text = line?.translateToString(true) ?? "";
      if (line?.isWrapped && lines.length > 0) lines[lines.length - 1] += text;
      else lines.push(text);
    }
    while (lines.length > 0 && lines[lines.length - 1] === "") lines.pop();
    return lines.join("\n");
  }

  // ---- output ----

  /** Hands text to xterm; `upTo` (an output offset, or null for a marker or a restored screen) is confirmed once parsed. */
  private write(text: string, upTo: number | null): void {
    if (this.disposed) return;
    this.pendingWrites++;
    this.term.write(text, () => {
      this.pendingWrites--;
      if (this.disposed) return;
      if (upTo !== null) {
        this.link?.written(upTo);
        this.schedulePersist();
      }
      if (this.pendingWrites === 0 && Date.now() - this.snapshotAt > SNAPSHOT_BUSY_MS) this.saveNow();
      else this.scheduleSnapshot();
    });
  }

  private schedulePersist(): void {
    if (this.persistTimer !== null) return;
    this.persistTimer = setTimeout(() => {
      this.persistTimer = null;
      this.persist();
    }, PERSIST_MS);
  }

  private persist(): void {
    if (!this.ledger || !this.sessionId) return;
    const record = { sessionId: this.sessionId, base: this.ledger.base, written: this.ledger.written };
    this.env.store.saveRecord(this.paneId, record);
    this.host.dataset.offset = String(record.written);
  }

  private scheduleSnapshot(): void {
    if (this.snapshotTimer !== null) clearTimeout(this.snapshotTimer);
    this.snapshotTimer = setTimeout(() => {
      this.snapshotTimer = null;
      if (!this.disposed) this.saveNow();
    }, SNAPSHOT_IDLE_MS);
  }

  private onLinkState(state: LinkState, replayed: boolean): void {
    const first = this.stateNow.kind === "starting";
    this.setState(state);
    // A full-screen program replayed from the middle of its output can leave a garbled screen:
    // two size changes make it redraw (SIGWINCH), as a terminal that was resized would.
    if (first && replayed && (state.kind === "live" || state.kind === "connecting")) {
      setTimeout(() => {
        if (this.disposed || !this.link || this.term.buffer.active.type !== "alternate") return;
        const { cols, rows } = this.term;
        this.link.resize(Math.max(2, cols - 1), rows);
        setTimeout(() => this.link?.resize(cols, rows), 150);
      }, 800);
    }
  }

  private setState(state: PaneState): void {
    this.stateNow = state;
    const transport = this.link?.transport ?? "none";
    this.host.dataset.state = state.kind;
    this.host.dataset.transport = transport;
    this.callbacks.onState(state, transport);
  }

  // ---- input ----

  private type(data: string): void {
    if (this.controlArmed) {
      data = withControl(data);
      this.armControl(false);
    }
    this.link?.input(data);
  }

  private onKey(e: KeyboardEvent): boolean {
    if (e.type !== "keydown") return true;
    const ctrlShift = e.ctrlKey && e.shiftKey && !e.altKey && !e.metaKey;
    if (ctrlShift && e.code === "KeyC") {
      e.preventDefault();
      if (this.term.hasSelection()) void navigator.clipboard?.writeText(this.term.getSelection()).catch(() => {});
      return false;
    }
    if (ctrlShift && e.code === "KeyV") return false; // the browser pastes; xterm takes the paste event
    if (!isMac && e.ctrlKey && !e.shiftKey && !e.altKey) {
      if (e.code === "KeyV") return false;
      if (e.code === "KeyC" && this.term.hasSelection()) return false; // copy, not ^C
    }
    return true;
  }

  private onPaste(e: ClipboardEvent): void {
    const images = Array.from(e.clipboardData?.items ?? []).filter((item) => item.kind === "file" && item.type.startsWith("image/"));
    if (images.length === 0) return; // text: xterm pastes it
    e.preventDefault();
    e.stopPropagation();
    for (const item of images) {
      const file = item.getAsFile();
      if (file) void this.upload(file, pastedImageName(item.type));
    }
  }

  private onDragOver(e: DragEvent): void {
    if (!e.dataTransfer?.types.includes("Files")) return;
    e.preventDefault();
    e.dataTransfer.dropEffect = "copy";
    this.host.classList.add("term-drop-target");
  }

  private onDrop(e: DragEvent): void {
    this.host.classList.remove("term-drop-target");
    const files = Array.from(e.dataTransfer?.files ?? []);
    if (files.length === 0) return;
    e.preventDefault();
    void (async () => {
      for (const file of files) await this.upload(file, file.name);
    })();
  }

  private async upload(file: Blob, name: string): Promise<void> {
    this.callbacks.onNotice(`Uploading ${name}…`, "info");
    try {
      const path = await uploadFile(file, name);
      this.type(`${shellWord(path)} `);
      this.callbacks.onNotice(`Saved ${name} as ${path}`, "info");
      this.term.focus();
    } catch (e) {
      this.callbacks.onNotice(`Upload of ${name} failed: ${(e as Error).message}`, "error");
    }
  }

  private startShell(): Promise<string> {
    let pending = starting.get(this.paneId);
    if (!pending) {
      const size = this.fit.proposeDimensions();
      pending = api
        .post<{ session_id: string }>("/api/session", {
          label: this.label,
          cols: size?.cols ?? 80,
          rows: size?.rows ?? 24,
          ...(this.callbacks.cli ? { cli: this.callbacks.cli } : {}),
        })
        .then((r) => r.session_id);
      starting.set(this.paneId, pending);
      pending.catch(() => starting.delete(this.paneId));
    }
    return pending;
  }

  // ---- rendering and size ----

  private useWebgl(): void {
    if (this.webgl || this.webglRefused || this.disposed) return;
    try {
      const addon = new WebglAddon();
      addon.onContextLoss(() => {
        this.dropWebgl();
        this.webglRefused = true; // one loss is reason enough to stay on the DOM renderer
      });
      this.term.loadAddon(addon);
      this.webgl = addon;
      this.host.dataset.renderer = "webgl";
    } catch {
      this.webglRefused = true; // no WebGL2 here (headless, a blocklisted GPU): the DOM renderer stays
      this.host.dataset.renderer = "dom";
    }
  }

  private dropWebgl(): void {
    const addon = this.webgl;
    this.webgl = null;
    if (addon) {
      try {
        addon.dispose();
      } catch {
        // the context is already gone
      }
    }
    this.host.dataset.renderer = "dom";
  }

  private scheduleFit(): void {
    cancelAnimationFrame(this.fitFrame);
    this.fitFrame = requestAnimationFrame(() => this.fitNow());
  }

  private fitNow(): void {
    if (this.disposed || !this.host.isConnected || this.host.clientWidth === 0 || this.host.clientHeight === 0) return;
    try {
      this.fit.fit();
    } catch {
      // not laid out yet
    }
  }

  private look(settings: TerminalSettings) {
    const theme = (THEMES[settings.theme] ?? THEMES.dark).colors;
    return { theme, fontFamily: settings.fontFamily, fontSize: settings.fontSize };
  }

  private listen(target: EventTarget, type: string, handler: (e: Event) => void, capture = false): void {
    target.addEventListener(type, handler, capture);
    this.cleanups.push(() => target.removeEventListener(type, handler, capture));
  }
}
