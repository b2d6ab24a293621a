import { afterEach, describe, expect, test, vi } from "vitest";
import { stream, until } from "./sseFakes.test-support";
import { eventsUrl, followRun, type FollowState } from "./follow";
import { applyEvents, newRun, type RunEvent } from "./run";

const frame = (seq: number, type: string, data: unknown) => `id: ${seq}\nevent: ${type}\ndata: ${JSON.stringify(data)}\n\n`;

afterEach(() => vi.unstubAllGlobals());

describe("following an execution", () => {
  test("a cut stream is resumed after the last seq delivered, and the answer has no gap and no duplicate", async () => {
    const urls: string[] = [];
    const responses = [
      stream([": keepalive\n\n", frame(1, "text_delta", { text: "The " }), frame(2, "text_delta", { text: "ans" })]),
      // The server replays from the cursor; this one even repeats seq 2.
      stream([frame(2, "text_delta", { text: "ans" }), frame(3, "text_delta", { text: "wer" }), frame(4, "done", { status: "completed" })]),
    ];
    vi.stubGlobal("fetch", async (url: string) => {
      urls.push(url);
      return responses.shift() ?? new Response(null, { status: 500 });
    });
    let run = newRun("e1");
    const states: FollowState[] = [];
    followRun({ executionId: "e1", after: null, onEvents: (events: RunEvent[]) => (run = applyEvents(run, events)), onState: (s) => states.push(s) });
    await until(() => states.includes("ended"));
    expect(urls).toEqual(["/api/executions/e1/events", "/api/executions/e1/events?after=2"]);
    expect(run.blocks).toMatchObject([{ kind: "text", text: "The answer" }]);
    expect(run.finished).toBe(true);
    expect(states).toContain("reconnecting");
  });

  test("an execution the server no longer knows is reported, not retried", async () => {
    let calls = 0;
    vi.stubGlobal("fetch", async () => {
      calls++;
      return new Response('{"error":"execution not found"}', { status: 404 });
    });
    const gone: number[] = [];
    followRun({ executionId: "e2", after: 7, onEvents: () => {}, onGone: (status) => gone.push(status) });
    await until(() => gone.length > 0);
    await new Promise((r) => setTimeout(r, 50));
    expect(gone).toEqual([404]);
    expect(calls).toBe(1);
  });

  test("stop() ends the stream and delivers nothing more", async () => {
    let release = (): void => {};
    vi.stubGlobal("fetch", async (_url: string, init: RequestInit) => {
      const encoder = new TextEncoder();
      const body = new ReadableStream<Uint8Array>({
        start(controller) {
          controller.enqueue(encoder.encode(frame(1, "text_delta", { text: "a" })));
          release = () => {
            try {
              controller.enqueue(encoder.encode(frame(2, "text_delta", { text: "b" })));
            } catch {
              // the stream was already closed by stop(): nothing can be delivered
            }
          };
          init.signal?.addEventListener("abort", () => controller.error(new DOMException("aborted", "AbortError")));
        },
      });
      return new Response(body, { status: 200 });
    });
    const seen: number[] = [];
    const stop = followRun({ executionId: "e3", after: null, onEvents: (events) => seen.push(...events.map((e) => e.seq)) });
    await until(() => seen.length === 1);
    stop();
    release();
    await new Promise((r) => setTimeout(r, 50));
    expect(seen).toEqual([1]);
  });

  test("the resume cursor goes into the URL", () => {
    expect(eventsUrl("a b", null)).toBe("/api/executions/a%20b/events");
    expect(eventsUrl("x", 0)).toBe("/api/executions/x/events?after=0");
  });
});
