import { afterEach, describe, expect, test, vi } from "vitest";
import type { Change } from "../api/types";
import { followChanges } from "./bus";

const change = (seq: number, type: string, extra: Record<string, unknown> = {}) =>
  `id: ${seq}\nevent: ${type}\ndata: ${JSON.stringify({ type, seq, project_id: "p1", ...extra })}\n\n`;
const ready = (seq: number) => `event: ready\ndata: ${JSON.stringify({ type: "ready", seq })}\n\n`;

function stream(chunks: string[]): Response {
  const encoder = new TextEncoder();
  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      for (const chunk of chunks) controller.enqueue(encoder.encode(chunk));
      controller.close();
    },
  });
  return new Response(body, { status: 200, headers: { "Content-Type": "text/event-stream" } });
}

function until(condition: () => boolean, ms = 5000): Promise<void> {
  const deadline = Date.now() + ms;
  return new Promise((resolve, reject) => {
    const check = () => {
      if (condition()) resolve();
      else if (Date.now() > deadline) reject(new Error("timed out"));
      else setTimeout(check, 10);
    };
    check();
  });
}

afterEach(() => vi.unstubAllGlobals());

describe("the live bus", () => {
  test("a cut stream resumes after the last change delivered, with nothing lost or repeated", async () => {
    const urls: string[] = [];
    const responses = [
      stream([ready(4), change(5, "conversation.created", { title: "A" }), change(6, "execution.started")]),
      stream([ready(6), change(6, "execution.started"), change(7, "conversation.retitled", { title: "B" })]),
    ];
    vi.stubGlobal("fetch", async (url: string) => {
      urls.push(url);
      return responses.shift() ?? new Promise<Response>(() => {});
    });
    const seen: Change[] = [];
    let readies = 0;
    const stop = followChanges({ onChange: (c) => seen.push(c), onReady: () => readies++ });
    await until(() => seen.length === 3);
    stop();
    expect(urls).toEqual(["/api/events", "/api/events?after=6"]);
    expect(seen.map((c) => c.seq)).toEqual([5, 6, 7]);
    expect(seen[2]).toMatchObject({ type: "conversation.retitled", title: "B" });
    expect(readies).toBe(2);
  });
});
