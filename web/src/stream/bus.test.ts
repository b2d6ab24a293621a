import { afterEach, describe, expect, test, vi } from "vitest";
import { stream, until } from "./sseFakes.test-support";
import type { Change } from "../api/types";
import { followChanges } from "./bus";

const change = (seq: number, type: string, extra: Record<string, unknown> = {}) =>
  `id: ${seq}\nevent: ${type}\ndata: ${JSON.stringify({ type, seq, project_id: "p1", ...extra })}\n\n`;
const ready = (seq: number) => `event: ready\ndata: ${JSON.stringify({ type: "ready", seq })}\n\n`;

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
