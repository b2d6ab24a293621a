import { afterEach, beforeEach, describe, expect, test, vi } from "vitest";
import { FakeServer } from "./fakes.test-support";
import { HIDDEN_POLL_MS, POLL_MS, Poller, type PollEvent } from "./poller";

const tick = (ms: number) => vi.advanceTimersByTimeAsync(ms);

function setup() {
  const server = new FakeServer();
  const events: PollEvent[] = [];
  const poller = new Poller(server.fetch, (e) => events.push(e), () => 0.5);
  const watch = (offset = 0, token = 1) => poller.handle({ type: "watch", paneId: "p1", token, sessionId: "s1", offset, readerId: "tab-a" });
  const text = () => events.flatMap((e) => (e.kind === "output" ? [e.answer.output] : [])).join("");
  return { server, events, poller, watch, text };
}

beforeEach(() => vi.useFakeTimers());
afterEach(() => vi.useRealTimers());

describe("the poller", () => {
  test("reads each session from its own offset and moves to the answer's next offset", async () => {
    const { server, watch, text } = setup();
    server.print("abc");
    watch(1);
    await tick(1);
    expect(text()).toBe("bc");
    server.print("def");
    await tick(POLL_MS);
    expect(text()).toBe("bcdef");
    expect(server.polls.map((p) => p.offset)).toEqual([1, 3]);
  });

  test("asks again at once while the server has more ready", async () => {
    const { server, watch, text } = setup();
    server.maxBytes = 4;
    server.print("0123456789");
    watch();
    await tick(5);
    expect(text()).toBe("0123456789");
  });

  test("polls slowly while the page is hidden, but never drains and discards", async () => {
    const { server, poller, watch, text } = setup();
    watch();
    await tick(1);
    poller.handle({ type: "hidden", hidden: true });
    await tick(POLL_MS + 1);
    const before = server.polls.length;
    server.print("while hidden");
    await tick(HIDDEN_POLL_MS / 2);
    expect(server.polls.length - before).toBeLessThanOrEqual(1);
    await tick(HIDDEN_POLL_MS * 2);
    expect(text()).toBe("while hidden");
  });

  test("an answer for a watch replaced while the request was out is not delivered", async () => {
    const { server, poller, watch, events } = setup();
    server.print("old");
    let release!: () => void;
    server.gate = new Promise<void>((r) => (release = r));
    watch(0, 1);
    await tick(1);
    poller.handle({ type: "watch", paneId: "p1", token: 2, sessionId: "s1", offset: 3, readerId: "tab-a" });
    release();
    server.gate = null;
    await tick(POLL_MS);
    expect(events.filter((e) => e.token === 1)).toEqual([]);
  });

  test("a session the server does not know is reported gone and no longer polled", async () => {
    const { server, poller, events } = setup();
    poller.handle({ type: "watch", paneId: "p1", token: 1, sessionId: "nope", offset: 0, readerId: "tab-a" });
    await tick(1);
    expect(events).toEqual([{ paneId: "p1", token: 1, kind: "gone" }]);
    await tick(POLL_MS * 5);
    expect(server.requests).toHaveLength(1);
  });

  test("a refusal is reported with the server's message and polling stops", async () => {
    const { server, watch, events } = setup();
    server.refuse = { status: 403, error: "Terminals on this app belong to owner@example.com. You are signed in as eve@example.com." };
    watch();
    await tick(POLL_MS * 5);
    expect(events).toEqual([{ paneId: "p1", token: 1, kind: "denied", message: server.refuse.error }]);
    expect(server.requests).toHaveLength(1);
  });

  test("failures back off, are reported after the first, and recovery is reported", async () => {
    const { server, watch, events } = setup();
    server.down = true;
    watch();
    await tick(1);
    expect(events).toEqual([]);
    await tick(20_000);
    const failures = server.requests.length;
    expect(failures).toBeGreaterThan(2);
    expect(failures).toBeLessThan(12); // backed off, not 200 polls
    expect(events.some((e) => e.kind === "trouble")).toBe(true);
    server.down = false;
    await tick(11_000);
    expect(events.some((e) => e.kind === "recovered")).toBe(true);
  });

  test("an exited session is read to its end and then dropped", async () => {
    const { server, watch, events } = setup();
    server.print("bye");
    server.exited = true;
    watch();
    await tick(POLL_MS * 3);
    const outputs = events.filter((e) => e.kind === "output");
    expect(outputs).toHaveLength(1);
    expect(outputs[0].kind === "output" && outputs[0].answer.exited).toBe(true);
  });
});
