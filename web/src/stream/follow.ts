// Follows an execution's event log over SSE (fetch streaming, so the cursor is ours): delivers
// events in batches, reconnects after a cut with `?after=<last seq delivered>`, and stops at
// `done`, at stop(), or when the server says the execution is gone.

import { SseParser, toRunEvent, type SseFrame } from "./sse";
import type { RunEvent } from "./run";

export type FollowState = "connecting" | "live" | "reconnecting" | "ended";

export interface FollowOptions {
  executionId: string;
  /** Resume after this seq; null reads the log from its start. */
  after: number | null;
  onEvents: (events: RunEvent[]) => void;
  onState?: (state: FollowState) => void;
  /** The server refused the stream (404 after a restart, 403, ...): the caller reloads what is stored. */
  onGone?: (status: number) => void;
}

/** A stream that sends nothing (not even the 15 s keepalive) for this long is presumed cut. */
const IDLE_LIMIT_MS = 45_000;
const MAX_BACKOFF_MS = 10_000;

export function eventsUrl(executionId: string, after: number | null): string {
  const base = `/api/executions/${encodeURIComponent(executionId)}/events`;
  return after === null ? base : `${base}?after=${after}`;
}

export function followRun(options: FollowOptions): () => void {
  return followStream({
    url: (cursor) => eventsUrl(options.executionId, cursor),
    after: options.after,
    onState: options.onState,
    onGone: options.onGone,
    onFrames: (frames) => {
      const batch: RunEvent[] = [];
      let sawDone = false;
      for (const frame of frames) {
        const event = toRunEvent(frame);
        if (!event) continue;
        batch.push(event);
        if (event.type === "done") sawDone = true;
      }
      if (batch.length > 0) options.onEvents(batch);
      return sawDone;
    },
  });
}

export interface StreamOptions {
  /** The stream's address, resuming after `cursor` when it is not null. */
  url: (cursor: number | null) => string;
  after: number | null;
  /** The frames of one read: those with an id at or below the cursor are left out. True ends the stream. */
  onFrames: (frames: SseFrame[]) => boolean;
  onState?: (state: FollowState) => void;
  onGone?: (status: number) => void;
}

/**
 * Reads a resumable SSE stream for as long as it is wanted: the cursor is the id of the last
 * frame delivered, a cut reconnects after it (backing off while nothing new arrives), and a
 * stream that is silent past the idle limit counts as cut.
 */
export function followStream(options: StreamOptions): () => void {
  let stopped = false;
  let cursor = options.after;
  let attempt: AbortController | null = null;
  const setState = (s: FollowState) => options.onState?.(s);

  const once = async (): Promise<"done" | "cut" | "gone"> => {
    attempt = new AbortController();
    const controller = attempt;
    let idle = setTimeout(() => controller.abort(), IDLE_LIMIT_MS);
    const touch = () => {
      clearTimeout(idle);
      idle = setTimeout(() => controller.abort(), IDLE_LIMIT_MS);
    };
    try {
      const response = await fetch(options.url(cursor), {
        headers: { Accept: "text/event-stream" },
        signal: controller.signal,
        cache: "no-store",
      });
      if (response.status === 404 || response.status === 403 || response.status === 401 || response.status === 410) {
        options.onGone?.(response.status);
        return "gone";
      }
      if (!response.ok || !response.body) return "cut";
      setState("live");
      const reader = response.body.getReader();
      const decoder = new TextDecoder();
      const parser = new SseParser();
      for (;;) {
        const { value, done } = await reader.read();
        if (done) return "cut";
        touch();
        const fresh: SseFrame[] = [];
        for (const frame of parser.push(decoder.decode(value, { stream: true }))) {
          const id = frame.id === null ? NaN : Number(frame.id);
          if (Number.isFinite(id)) {
            if (cursor !== null && id <= cursor) continue;
            cursor = id;
          }
          fresh.push(frame);
        }
        if (fresh.length > 0 && !stopped && options.onFrames(fresh)) {
          controller.abort();
          return "done";
        }
      }
    } catch {
      return "cut";
    } finally {
      clearTimeout(idle);
    }
  };

  void (async () => {
    let backoff = 500;
    setState("connecting");
    while (!stopped) {
      const before = cursor;
      const outcome = await once();
      if (stopped) break;
      if (outcome !== "cut") {
        setState("ended");
        return;
      }
      setState("reconnecting");
      backoff = cursor !== before ? 500 : Math.min(backoff * 2, MAX_BACKOFF_MS);
      await new Promise((resolve) => setTimeout(resolve, backoff));
    }
    setState("ended");
  })();

  return () => {
    stopped = true;
    attempt?.abort();
  };
}
