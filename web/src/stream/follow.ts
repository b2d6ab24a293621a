// Follows an execution's event log over SSE (fetch streaming, so the cursor is ours): delivers
// events in batches, reconnects after a cut with `?after=<last seq delivered>`, and stops at
// `done`, at stop(), or when the server says the execution is gone.

import { SseParser, toRunEvent } from "./sse";
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
      const response = await fetch(eventsUrl(options.executionId, cursor), {
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
        const batch: RunEvent[] = [];
        let sawDone = false;
        for (const frame of parser.push(decoder.decode(value, { stream: true }))) {
          const event = toRunEvent(frame);
          if (!event || (cursor !== null && event.seq <= cursor)) continue;
          cursor = event.seq;
          batch.push(event);
          if (event.type === "done") sawDone = true;
        }
        if (batch.length > 0 && !stopped) options.onEvents(batch);
        if (sawDone) {
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
