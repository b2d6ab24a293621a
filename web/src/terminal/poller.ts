// HTTP polling of the panes that have no WebSocket, one POST /api/output-batch per round for all
// of them. It runs in a Web Worker (poll.worker.ts), whose timers a background tab does not
// throttle the way it throttles the page's, or in the page when no worker can be started.
//
// Offsets make it exact: each watch asks from its own offset and moves to the answer's
// next_offset, so nothing is read twice or skipped, and a hidden tab polls more slowly but never
// drains and discards. Every event carries the watch's token; the page ignores events of a watch
// it has since replaced, so a poll answered after the page switched to the WebSocket is dropped.

import type { BatchAnswer, PolledOutput } from "./protocol";

export type PollCommand =
  | { type: "watch"; paneId: string; token: number; sessionId: string; offset: number; readerId: string }
  | { type: "unwatch"; paneId: string }
  | { type: "hidden"; hidden: boolean }
  | { type: "poke" };

export type PollEvent = { paneId: string; token: number } & (
  | { kind: "output"; answer: PolledOutput; shuttingDown: boolean }
  | { kind: "gone" }
  | { kind: "denied"; message: string }
  | { kind: "trouble"; failures: number; message: string }
  | { kind: "recovered" }
);

interface Watch {
  paneId: string;
  token: number;
  sessionId: string;
  offset: number;
  readerId: string;
}

export const POLL_MS = 100;
export const HIDDEN_POLL_MS = 1_000;
export const POKE_MS = 15;
const MAX_BACKOFF_MS = 10_000;
/** Failures before the panes say so: one lost poll is not worth a flicker. */
const QUIET_FAILURES = 1;

export class Poller {
  private readonly watches = new Map<string, Watch>();
  private hidden = false;
  private timer: ReturnType<typeof setTimeout> | null = null;
  private timerDue = 0;
  private inFlight = false;
  private pokedWhileBusy = false;
  private failures = 0;

  constructor(
    private readonly fetchFn: typeof fetch,
    private readonly emit: (event: PollEvent) => void,
    private readonly random: () => number = Math.random,
  ) {}

  handle(command: PollCommand): void {
    switch (command.type) {
      case "watch":
        this.watches.set(command.paneId, { ...command });
        this.schedule(0);
        break;
      case "unwatch":
        this.watches.delete(command.paneId);
        break;
      case "hidden":
        this.hidden = command.hidden;
        if (!command.hidden) this.schedule(0);
        break;
      case "poke":
        if (this.inFlight) this.pokedWhileBusy = true;
        else this.schedule(POKE_MS);
        break;
    }
  }

  private schedule(delayMs: number): void {
    if (this.watches.size === 0) return;
    if (this.inFlight) return; // the round in flight schedules the next one
    const due = Date.now() + delayMs;
    if (this.timer !== null) {
      if (this.timerDue <= due) return;
      clearTimeout(this.timer);
    }
    this.timerDue = due;
    this.timer = setTimeout(() => {
      this.timer = null;
      void this.round();
    }, delayMs);
  }

  /** One request per reader id (normally one: a tab's panes share theirs). */
  private async round(): Promise<void> {
    if (this.watches.size === 0) return;
    this.inFlight = true;
    this.pokedWhileBusy = false;
    let again = false;
    let failed: string | null = null;
    try {
      const groups = new Map<string, Watch[]>();
      for (const watch of this.watches.values()) {
        const group = groups.get(watch.readerId) ?? [];
        group.push({ ...watch });
        groups.set(watch.readerId, group);
      }
      const results = await Promise.all([...groups.entries()].map(([readerId, group]) => this.poll(readerId, group)));
      for (const result of results) {
        if (result.failure) failed = result.failure;
        again ||= result.more;
      }
    } finally {
      this.inFlight = false;
    }
    if (failed !== null) {
      this.failures++;
      if (this.failures > QUIET_FAILURES) {
        for (const w of this.watches.values()) this.emit({ paneId: w.paneId, token: w.token, kind: "trouble", failures: this.failures, message: failed });
      }
      const backoff = Math.min(MAX_BACKOFF_MS, 500 * 2 ** Math.max(0, this.failures - 2));
      this.schedule(Math.round(backoff * (0.5 + this.random())));
      return;
    }
    if (this.failures > QUIET_FAILURES) {
      for (const w of this.watches.values()) this.emit({ paneId: w.paneId, token: w.token, kind: "recovered" });
    }
    this.failures = 0;
    this.schedule(again ? 0 : this.pokedWhileBusy ? POKE_MS : this.hidden ? HIDDEN_POLL_MS : POLL_MS);
  }

  private async poll(readerId: string, group: Watch[]): Promise<{ more: boolean; failure: string | null }> {
    const offsets: Record<string, number> = {};
    for (const watch of group) offsets[watch.sessionId] = watch.offset;
    let response: Response;
    try {
      response = await this.fetchFn("/api/output-batch", {
        method: "POST",
        headers: { "Content-Type": "application/json", Accept: "application/json" },
        body: JSON.stringify({ session_ids: group.map((w) => w.sessionId), offsets, reader_id: readerId }),
        credentials: "same-origin",
      });
    } catch {
      return { more: false, failure: "Mason cannot be reached" };
    }
    const body = await response.json().catch(() => null);
    if (response.status === 403 || response.status === 503) {
      const message = typeof body?.error === "string" ? body.error : `terminals refused with HTTP ${response.status}`;
      for (const sent of group) {
        if (this.current(sent)) {
          this.watches.delete(sent.paneId);
          this.emit({ paneId: sent.paneId, token: sent.token, kind: "denied", message });
        }
      }
      return { more: false, failure: null };
    }
    if (!response.ok || !body || typeof body.outputs !== "object") {
      return { more: false, failure: typeof body?.error === "string" ? body.error : `polling failed with HTTP ${response.status}` };
    }
    const answer = body as BatchAnswer;
    let more = false;
    for (const sent of group) {
      if (!this.current(sent)) continue; // replaced or dropped while the request was out
      const output = answer.outputs[sent.sessionId];
      if (!output) {
        this.watches.delete(sent.paneId);
        this.emit({ paneId: sent.paneId, token: sent.token, kind: "gone" });
        continue;
      }
      const watch = this.watches.get(sent.paneId)!;
      watch.offset = output.next_offset;
      if (output.exited) this.watches.delete(sent.paneId);
      more ||= output.more;
      this.emit({ paneId: sent.paneId, token: sent.token, kind: "output", answer: output, shuttingDown: answer.shutting_down });
    }
    return { more, failure: null };
  }

  /** Whether `sent` is still the pane's watch, at the offset the request asked from. */
  private current(sent: Watch): boolean {
    const watch = this.watches.get(sent.paneId);
    return watch !== undefined && watch.token === sent.token && watch.offset === sent.offset;
  }
}
