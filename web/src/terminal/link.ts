// A pane's connection to its session: the WebSocket when it can be had, HTTP polling (pollHub)
// while it cannot, and back. The ledger's offsets carry every switch: a transport that takes
// over starts at `received`, so output is neither lost nor shown twice.
//
// Switching to the WebSocket: the pane stops polling the moment the socket opens, then joins at
// `received`; a poll answered after that belongs to a replaced watch and is dropped. Switching to
// polling: the socket is closed (or dropped), the decoder's half character is discarded, and
// polling starts at `received`. Every frame a socket delivers is checked to come from the current
// socket; every poll answer to start where the ledger stands.

import type { OutputLedger } from "./ledger";
import type { PollEvent } from "./poller";
import type { PollHub } from "./pollHub";
import { parseServerMessage, type ClientMessage, type ServerMessage } from "./protocol";

export type LinkState =
  | { kind: "connecting" }
  | { kind: "live" }
  | { kind: "polling"; trouble: string | null }
  | { kind: "exited"; code: number | null }
  | { kind: "closed" }
  | { kind: "denied"; message: string };

/** Where a link delivers what it receives: the pane's xterm. */
export interface LinkSink {
  /** Output text; call `link.written(upTo)` once xterm has parsed it. */
  write(text: string, upTo: number): void;
  /** A line that is not output (a gap marker, an exit notice). */
  marker(text: string): void;
  state(state: LinkState): void;
  /** Something worth a passing notice: an idle warning, a server shutting down, an error. */
  notice(text: string): void;
}

/** The WebSocket surface used here, so tests can pass a fake. */
export interface SocketLike {
  binaryType: string;
  readyState: number;
  onopen: ((event: unknown) => void) | null;
  onmessage: ((event: { data: unknown }) => void) | null;
  onclose: ((event: unknown) => void) | null;
  onerror: ((event: unknown) => void) | null;
  send(data: string): void;
  close(code?: number, reason?: string): void;
}

/** The tab's reader id, shared by its panes; renewed when the server says another page holds it. */
export interface ReaderIds {
  current(): string;
  /** Renews the id if it is still `stale`; returns the id to use. */
  renew(stale: string): string;
}

export interface LinkDeps {
  openSocket(): SocketLike;
  polls: PollHub;
  /** POSTs JSON to the server; rejects with the server's message. */
  post(path: string, body: unknown): Promise<unknown>;
  readers: ReaderIds;
}

const OPEN = 1;
/** How long a socket may take to open and answer the join before polling takes over. */
export const JOIN_TIMEOUT_MS = 6_000;
export const HEARTBEAT_MS = 30_000;
export const RETRY_FIRST_MS = 1_000;
export const RETRY_MAX_MS = 30_000;
/** Input goes in pieces of at most this many UTF-16 units (at most 192 KiB of UTF-8), well inside the server's message limit. */
export const INPUT_CHUNK = 64 * 1024;

export class PaneLink {
  private socket: SocketLike | null = null;
  private joined = false;
  private joinTimer: ReturnType<typeof setTimeout> | null = null;
  private retryTimer: ReturnType<typeof setTimeout> | null = null;
  private heartbeatTimer: ReturnType<typeof setInterval> | null = null;
  private retryDelay = RETRY_FIRST_MS;
  private stateNow: LinkState = { kind: "connecting" };
  private ended = false;
  private disposed = false;
  private acked = 0;
  private size: { cols: number; rows: number } | null = null;
  /** Input waiting for, or in, an HTTP request; while any is, new input queues behind it to keep order. */
  private readonly httpInput: string[] = [];
  private sendingHttp = false;
  private resizeTimer: ReturnType<typeof setTimeout> | null = null;

  constructor(
    readonly paneId: string,
    readonly sessionId: string,
    private readonly ledger: OutputLedger,
    private readonly sink: LinkSink,
    private readonly deps: LinkDeps,
  ) {}

  get state(): LinkState {
    return this.stateNow;
  }

  /** Which transport carries the output now. */
  get transport(): "websocket" | "polling" | "none" {
    if (this.socket && this.joined) return "websocket";
    return this.deps.polls.watching(this.paneId) ? "polling" : "none";
  }

  start(): void {
    this.setState({ kind: "connecting" });
    this.connect();
  }

  /** Keystrokes and pastes; a large paste goes in pieces, in order. */
  input(data: string): void {
    if (this.ended || data.length === 0) return;
    const pieces = chunks(data, INPUT_CHUNK);
    if (this.live() && this.httpInput.length === 0 && !this.sendingHttp) {
      for (const piece of pieces) this.send({ type: "input", data: piece });
      return;
    }
    this.httpInput.push(...pieces);
    void this.drainHttpInput();
  }

  resize(cols: number, rows: number): void {
    this.size = { cols, rows };
    if (this.ended) return;
    if (this.live()) {
      this.send({ type: "resize", cols, rows });
      return;
    }
    // Over HTTP only the last size of a burst (a dragged divider) is sent.
    if (this.resizeTimer !== null) clearTimeout(this.resizeTimer);
    this.resizeTimer = setTimeout(() => {
      this.resizeTimer = null;
      if (!this.live() && !this.ended) this.deps.post("/api/resize", { session_id: this.sessionId, cols, rows }).catch(() => {});
    }, 120);
  }

  /** xterm has parsed the output before `upTo`: flow control may let the shell print on. */
  written(upTo: number): void {
    if (!this.ledger.markWritten(upTo)) return;
    if (this.live() && upTo > this.acked) {
      this.acked = upTo;
      this.send({ type: "ack", offset: upTo });
    }
  }

  /** Tries the WebSocket now rather than at the next retry (the network came back, the tab was shown). */
  retryNow(): void {
    if (this.ended || this.socket) return;
    this.clearRetry();
    this.retryDelay = RETRY_FIRST_MS;
    this.connect();
  }

  /**
   * Stops. With `leave`, the server forgets this pane's reader (the pane was closed); without, the
   * reader outlives the page for its lease, so a reload resumes it.
   */
  dispose(leave: boolean): void {
    if (this.disposed) return;
    this.disposed = true;
    this.ended = true;
    if (leave && this.live()) this.send({ type: "leave" });
    this.dropSocket();
    this.clearRetry();
    if (this.resizeTimer !== null) clearTimeout(this.resizeTimer);
    this.deps.polls.unwatch(this.paneId);
  }

  // ---- the WebSocket ----

  private connect(): void {
    if (this.ended || this.socket) return;
    let socket: SocketLike;
    try {
      socket = this.deps.openSocket();
    } catch {
      this.socketLost();
      return;
    }
    socket.binaryType = "arraybuffer";
    this.socket = socket;
    this.joined = false;
    this.joinTimer = setTimeout(() => {
      if (this.socket === socket && !this.joined) this.socketLost();
    }, JOIN_TIMEOUT_MS);
    socket.onopen = () => {
      if (this.socket !== socket) return;
      this.deps.polls.unwatch(this.paneId);
      this.ledger.resetDecoder();
      this.join();
    };
    socket.onmessage = (event) => {
      if (this.socket !== socket) return;
      if (typeof event.data === "string") this.onControl(event.data);
      else if (event.data instanceof ArrayBuffer) this.onOutput(new Uint8Array(event.data));
    };
    socket.onclose = socket.onerror = () => {
      if (this.socket === socket) this.socketLost();
    };
  }

  private join(): void {
    this.send({ type: "join", session_id: this.sessionId, offset: this.ledger.received, reader_id: this.deps.readers.current(), ack: true });
  }

  private onControl(text: string): void {
    const message = parseServerMessage(text);
    if (message) this.onMessage(message);
  }

  private onMessage(message: ServerMessage): void {
    switch (message.type) {
      case "joined": {
        this.clearJoinTimer();
        const from = this.ledger.received;
        if (message.offset > from) this.showGap(from, message.offset);
        this.ledger.begin(message.offset);
        this.joined = true;
        this.acked = this.ledger.written;
        this.retryDelay = RETRY_FIRST_MS;
        this.clearRetry();
        this.startHeartbeat();
        if (this.size) this.send({ type: "resize", ...this.size });
        if (!this.ended) this.setState({ kind: "live" });
        break;
      }
      case "gap":
        if (this.joined) this.showGap(message.from, message.to);
        break;
      case "exited":
        this.exited(message.code);
        break;
      case "closed":
        this.closed();
        break;
      case "left":
        if (/taken over/.test(message.reason) && !this.ended) {
          // Another page (a duplicated tab) holds this tab's reader id: take a new one and carry on.
          this.deps.readers.renew(this.deps.readers.current());
          this.joined = false;
          this.ledger.resetDecoder();
          this.join();
        }
        break;
      case "timeout_warning":
        this.sink.notice(`Idle: this session closes in ${Math.max(1, Math.round(message.closes_in_seconds / 60))} min unless it is used.`);
        break;
      case "shutting_down":
        this.sink.notice("Mason is shutting down; this pane reconnects when it is back.");
        break;
      case "error":
        if (/session not found/i.test(message.message)) this.closed();
        else this.sink.notice(message.message);
        break;
    }
  }

  private onOutput(bytes: Uint8Array): void {
    if (!this.joined || bytes.length === 0) return;
    const text = this.ledger.bytes(bytes);
    if (text.length > 0) this.sink.write(text, this.ledger.received);
    else this.written(this.ledger.received); // a frame that only began a character: nothing to parse
  }

  private socketLost(): void {
    this.dropSocket();
    if (this.ended) return;
    this.ledger.resetDecoder();
    this.poll();
    this.retryLater();
  }

  private dropSocket(): void {
    const socket = this.socket;
    this.socket = null;
    this.joined = false;
    this.clearJoinTimer();
    if (this.heartbeatTimer !== null) clearInterval(this.heartbeatTimer);
    this.heartbeatTimer = null;
    if (socket) {
      socket.onopen = socket.onmessage = socket.onclose = socket.onerror = null;
      try {
        socket.close(1000, "pane moved on");
      } catch {
        // already closed
      }
    }
  }

  private retryLater(): void {
    if (this.retryTimer !== null || this.ended) return;
    const delay = this.retryDelay;
    this.retryDelay = Math.min(RETRY_MAX_MS, this.retryDelay * 2);
    this.retryTimer = setTimeout(() => {
      this.retryTimer = null;
      this.connect();
    }, delay);
  }

  private clearRetry(): void {
    if (this.retryTimer !== null) clearTimeout(this.retryTimer);
    this.retryTimer = null;
  }

  private clearJoinTimer(): void {
    if (this.joinTimer !== null) clearTimeout(this.joinTimer);
    this.joinTimer = null;
  }

  private startHeartbeat(): void {
    if (this.heartbeatTimer !== null) clearInterval(this.heartbeatTimer);
    this.heartbeatTimer = setInterval(() => {
      if (this.live()) this.send({ type: "heartbeat" });
    }, HEARTBEAT_MS);
  }

  private live(): boolean {
    return this.socket !== null && this.joined && this.socket.readyState === OPEN;
  }

  private send(message: ClientMessage): void {
    try {
      this.socket?.send(JSON.stringify(message));
    } catch {
      // the socket is closing; its close event switches to polling
    }
  }

  // ---- polling ----

  private poll(): void {
    if (this.ended) return;
    this.deps.polls.watch(this.paneId, this.sessionId, this.ledger.received, this.deps.readers.current(), (event) => this.onPoll(event));
    if (this.stateNow.kind !== "polling") this.setState({ kind: "polling", trouble: null });
  }

  private onPoll(event: PollEvent): void {
    if (this.ended) return;
    switch (event.kind) {
      case "output": {
        const answer = event.answer;
        if (answer.gap) {
          if (answer.gap.from !== this.ledger.received) return this.poll(); // stale: ask again from where the pane is
          this.showGap(answer.gap.from, answer.gap.to);
        } else if (answer.offset !== this.ledger.received) {
          return this.poll();
        }
        this.ledger.text(answer.next_offset);
        if (answer.output.length > 0) this.sink.write(answer.output, answer.next_offset);
        else this.written(answer.next_offset);
        if (answer.timeout_warning) this.sink.notice("Idle: this session will close soon unless it is used.");
        if (answer.exited) this.exited(answer.exit_code);
        else if (this.stateNow.kind === "polling" && this.stateNow.trouble) this.setState({ kind: "polling", trouble: null });
        break;
      }
      case "gone":
        this.closed();
        break;
      case "denied":
        this.ended = true;
        this.dropSocket();
        this.clearRetry();
        this.setState({ kind: "denied", message: event.message });
        break;
      case "trouble":
        this.setState({ kind: "polling", trouble: `${event.message}; retrying (${event.failures})` });
        break;
      case "recovered":
        this.setState({ kind: "polling", trouble: null });
        break;
    }
  }

  private async drainHttpInput(): Promise<void> {
    if (this.sendingHttp) return;
    this.sendingHttp = true;
    try {
      while (this.httpInput.length > 0 && !this.ended) {
        // Keystrokes typed while a request is out go together in the next one.
        let data = this.httpInput.shift()!;
        while (this.httpInput.length > 0 && data.length + this.httpInput[0].length <= INPUT_CHUNK) data += this.httpInput.shift();
        try {
          await this.deps.post("/api/input", { session_id: this.sessionId, input: data });
          this.deps.polls.poke();
        } catch (e) {
          this.sink.notice(`Typing did not reach the shell: ${(e as Error).message}`);
        }
      }
    } finally {
      this.sendingHttp = false;
    }
  }

  // ---- shared ----

  private showGap(from: number, to: number): void {
    const marker = this.ledger.gap(from, to);
    if (marker) this.sink.marker(marker);
  }

  private exited(code: number | null): void {
    if (this.ended) return;
    this.finish({ kind: "exited", code });
    this.sink.marker(`\r\n\x1b[0;2m[the shell exited${code === null ? "" : ` with status ${code}`}]\x1b[0m\r\n`);
  }

  private closed(): void {
    if (this.ended) return;
    this.finish({ kind: "closed" });
    this.sink.marker("\r\n\x1b[0;2m[the session was closed]\x1b[0m\r\n");
  }

  private finish(state: LinkState): void {
    this.ended = true;
    this.dropSocket();
    this.clearRetry();
    this.deps.polls.unwatch(this.paneId);
    this.setState(state);
  }

  private setState(state: LinkState): void {
    this.stateNow = state;
    this.sink.state(state);
  }
}

/** Splits `text` into pieces of at most `size` UTF-16 units, never between the halves of a surrogate pair. */
export function chunks(text: string, size: number): string[] {
  if (text.length <= size) return [text];
  const pieces: string[] = [];
  let start = 0;
  while (start < text.length) {
    let end = Math.min(text.length, start + size);
    const last = text.charCodeAt(end - 1);
    if (end < text.length && last >= 0xd800 && last <= 0xdbff) end--;
    pieces.push(text.slice(start, end));
    start = end;
  }
  return pieces;
}
