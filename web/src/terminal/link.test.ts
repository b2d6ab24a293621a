import { afterEach, beforeEach, describe, expect, test, vi } from "vitest";
import { FakeServer, FakeSocket, RecordingSink } from "./fakes.test-support";
import { OutputLedger } from "./ledger";
import { INPUT_CHUNK, JOIN_TIMEOUT_MS, PaneLink, RETRY_FIRST_MS, chunks, type ReaderIds } from "./link";
import { inlinePollHub } from "./pollHub";
import { POLL_MS } from "./poller";

/** A pane's link against a fake server; every socket it opens is kept, in order. */
function setup(options: { from?: number; reader?: string } = {}) {
  const server = new FakeServer();
  const sockets: FakeSocket[] = [];
  const sink = new RecordingSink();
  let reader = options.reader ?? "tab-a";
  const readers: ReaderIds = {
    current: () => reader,
    renew: (stale) => {
      if (reader === stale) reader = `${stale}-renewed`;
      return reader;
    },
  };
  const polls = inlinePollHub(server.fetch);
  const ledger = new OutputLedger(0, options.from ?? 0);
  const link = new PaneLink("p1", server.sessionId, ledger, sink, {
    openSocket: () => {
      const socket = new FakeSocket();
      sockets.push(socket);
      return socket;
    },
    polls,
    post: server.post,
    readers,
  });
  sink.onWrite = (upTo) => link.written(upTo);
  const socket = () => sockets[sockets.length - 1];
  return { server, sockets, socket, sink, link, ledger, polls };
}

const tick = (ms: number) => vi.advanceTimersByTimeAsync(ms);

beforeEach(() => {
  vi.useFakeTimers();
});

afterEach(() => {
  vi.useRealTimers();
});

describe("a pane's transport", () => {
  test("joins over the WebSocket from its offset, with its reader id and a promise to acknowledge", async () => {
    const { socket, link, sink } = setup({ from: 7 });
    link.start();
    expect(sink.last).toEqual({ kind: "connecting" });
    socket().open();
    expect(socket().sentOf("join")).toEqual([{ type: "join", session_id: "s1", offset: 7, reader_id: "tab-a", ack: true }]);
    socket().message({ type: "joined", session_id: "s1", offset: 7, reader_id: "tab-a", label: "Shell", exited: false });
    expect(sink.last).toEqual({ kind: "live" });
    expect(link.transport).toBe("websocket");
  });

  test("acknowledges what xterm has written, and types over the socket while it is live", async () => {
    const { socket, link } = setup();
    link.start();
    socket().open();
    socket().message({ type: "joined", session_id: "s1", offset: 0, reader_id: "tab-a", label: "Shell", exited: false });
    socket().bytes("hello ");
    socket().bytes("world");
    expect(socket().sentOf("ack")).toEqual([
      { type: "ack", offset: 6 },
      { type: "ack", offset: 11 },
    ]);
    link.input("ls\r");
    expect(socket().sentOf("input")).toEqual([{ type: "input", data: "ls\r" }]);
  });

  test("falls back to polling when the WebSocket cannot connect, and shows the output once", async () => {
    const { server, socket, link, sink } = setup();
    server.print("$ echo mason-42\r\nmason-42\r\n$ ");
    link.start();
    socket().drop();
    expect(sink.last).toEqual({ kind: "polling", trouble: null });
    await tick(POLL_MS * 3);
    expect(sink.text).toBe("$ echo mason-42\r\nmason-42\r\n$ ");
    expect(server.polls.every((p) => p.readerId === "tab-a")).toBe(true);
    expect(link.transport).toBe("polling");
  });

  test("a socket that opens but never answers the join is given up for polling", async () => {
    const { server, socket, link, sink } = setup();
    server.print("still here");
    link.start();
    socket().open();
    await tick(JOIN_TIMEOUT_MS + POLL_MS * 2);
    expect(socket().closed).toBe(true);
    expect(sink.text).toBe("still here");
  });

  test("returns to the WebSocket when it can, from the offset polling reached, with nothing repeated", async () => {
    const { server, sockets, socket, link, sink } = setup();
    server.print("first part, ");
    link.start();
    socket().drop();
    await tick(POLL_MS * 2);
    expect(sink.text).toBe("first part, ");

    await tick(RETRY_FIRST_MS);
    expect(sockets).toHaveLength(2);
    socket().open();
    const pollsAtJoin = server.polls.length;
    expect(socket().sentOf("join")[0]).toMatchObject({ offset: 12 });
    // The server goes on printing; polling has stopped, so only the socket may deliver it.
    server.print("second part");
    await tick(POLL_MS * 5);
    expect(server.polls.length).toBe(pollsAtJoin);
    socket().message({ type: "joined", session_id: "s1", offset: 12, reader_id: "tab-a", label: "Shell", exited: false });
    socket().bytes("second part");
    expect(sink.text).toBe("first part, second part");
    expect(sink.last).toEqual({ kind: "live" });
  });

  test("a poll answered after the switch to the WebSocket is dropped, not shown twice", async () => {
    const { server, socket, link, sink } = setup();
    link.start();
    socket().drop();
    await tick(POLL_MS * 2);
    // A poll goes out, and while it is in flight the socket comes back.
    let release!: () => void;
    server.gate = new Promise<void>((r) => (release = r));
    await tick(POLL_MS);
    server.print("late");
    await tick(RETRY_FIRST_MS);
    socket().open();
    expect(socket().sentOf("join")[0]).toMatchObject({ offset: 0 });
    socket().message({ type: "joined", session_id: "s1", offset: 0, reader_id: "tab-a", label: "Shell", exited: false });
    release();
    server.gate = null;
    await tick(POLL_MS * 3);
    expect(server.polls.at(-1)).toEqual({ offset: 0, readerId: "tab-a" }); // it was answered, with "late"
    socket().bytes("late");
    expect(sink.text).toBe("late");
  });

  test("a character split across frames, then a dropped socket, comes out whole through polling", async () => {
    const { server, socket, link, sink } = setup();
    const text = "naïve café 🙂 done";
    server.print(text);
    const all = new TextEncoder().encode(text);
    const cut = all.indexOf(0xf0) + 2; // the middle of the emoji
    link.start();
    socket().open();
    socket().message({ type: "joined", session_id: "s1", offset: 0, reader_id: "tab-a", label: "Shell", exited: false });
    socket().bytes(all.slice(0, cut));
    expect(sink.text).toBe("naïve café ");
    socket().drop();
    await tick(POLL_MS * 2);
    expect(server.polls[0].offset).toBe(cut - 2);
    expect(sink.text).toBe(text);
    expect(sink.text).not.toContain("\ufffd");
  });

  test("a gap is shown as a marker line and the stream goes on after it", async () => {
    const { socket, link, sink } = setup();
    link.start();
    socket().open();
    socket().message({ type: "joined", session_id: "s1", offset: 0, reader_id: "tab-a", label: "Shell", exited: false });
    socket().message({ type: "gap", session_id: "s1", from: 0, to: 2048 });
    socket().bytes("after");
    expect(sink.text).toBe("<marker>after");
    expect(sink.markers[0]).toContain("2 KiB of output were dropped");
    expect(socket().sentOf("ack").at(-1)).toEqual({ type: "ack", offset: 2053 });
  });

  test("a gap while polling is shown the same way", async () => {
    const { server, socket, link, sink } = setup();
    server.print("x".repeat(100) + "kept");
    server.ringStart = 100;
    link.start();
    socket().drop();
    await tick(POLL_MS * 2);
    expect(sink.text).toBe("<marker>kept");
  });

  test("typing while polling goes by HTTP, in order, and asks for the echo soon", async () => {
    const { server, socket, link } = setup();
    link.start();
    socket().drop();
    link.input("echo ");
    link.input("hi");
    link.input("\r");
    await tick(100);
    expect(server.inputs.join("")).toBe("echo hi\r");
    expect(server.inputs[0]).toBe("echo ");
  });

  test("a refusal from the server stops the pane and names the owner", async () => {
    const { server, socket, link, sink } = setup();
    server.refuse = { status: 403, error: "Terminals on this app belong to owner@example.com. You are signed in as eve@example.com." };
    link.start();
    socket().drop();
    await tick(POLL_MS * 2);
    expect(sink.last).toEqual({ kind: "denied", message: "Terminals on this app belong to owner@example.com. You are signed in as eve@example.com." });
    await tick(RETRY_FIRST_MS * 4);
    expect(server.requests.filter((r) => r === "/api/output-batch")).toHaveLength(1);
  });

  test("a server that cannot be reached is retried with the pane saying so, and recovers", async () => {
    const { server, socket, link, sink } = setup();
    server.down = true;
    link.start();
    socket().drop();
    await tick(5_000);
    expect(sink.states.some((s) => s.kind === "polling" && s.trouble !== null)).toBe(true);
    server.down = false;
    server.print("back");
    await tick(12_000);
    expect(sink.text).toContain("back");
  });

  test("an exit ends the pane, and no socket is tried again", async () => {
    const { sockets, socket, link, sink } = setup();
    link.start();
    socket().open();
    socket().message({ type: "joined", session_id: "s1", offset: 0, reader_id: "tab-a", label: "Shell", exited: false });
    socket().bytes("bye\r\n");
    socket().message({ type: "exited", session_id: "s1", code: 3, offset: 5 });
    expect(sink.last).toEqual({ kind: "exited", code: 3 });
    expect(sink.markers.at(-1)).toContain("status 3");
    await tick(RETRY_FIRST_MS * 10);
    expect(sockets).toHaveLength(1);
  });

  test("a session the server no longer has is shown as closed", async () => {
    const { server, socket, link, sink } = setup();
    (server as { sessionId: string }).sessionId = "other";
    link.start();
    socket().drop();
    await tick(POLL_MS * 2);
    expect(sink.last).toEqual({ kind: "closed" });
  });

  test("a reader taken over by another page (a duplicated tab) is renewed and the pane rejoins where it stood", async () => {
    const { socket, link } = setup();
    link.start();
    socket().open();
    socket().message({ type: "joined", session_id: "s1", offset: 0, reader_id: "tab-a", label: "Shell", exited: false });
    socket().bytes("abc");
    socket().message({ type: "left", session_id: "s1", reason: "reader tab-a was taken over by another connection" });
    expect(socket().sentOf("join").at(-1)).toEqual({ type: "join", session_id: "s1", offset: 3, reader_id: "tab-a-renewed", ack: true });
  });

  test("closing a pane leaves its reader; unmounting with the page keeps it for a reload", async () => {
    const first = setup();
    first.link.start();
    first.socket().open();
    first.socket().message({ type: "joined", session_id: "s1", offset: 0, reader_id: "tab-a", label: "Shell", exited: false });
    first.link.dispose(true);
    expect(first.socket().sentOf("leave")).toHaveLength(1);
    expect(first.socket().closed).toBe(true);

    const second = setup();
    second.link.start();
    second.socket().open();
    second.socket().message({ type: "joined", session_id: "s1", offset: 0, reader_id: "tab-a", label: "Shell", exited: false });
    second.link.dispose(false);
    expect(second.socket().sentOf("leave")).toHaveLength(0);
  });

  test("the size goes to the server when the socket joins, and over HTTP while polling", async () => {
    const { server, socket, link } = setup();
    link.resize(100, 30);
    link.start();
    socket().open();
    socket().message({ type: "joined", session_id: "s1", offset: 0, reader_id: "tab-a", label: "Shell", exited: false });
    expect(socket().sentOf("resize")).toEqual([{ type: "resize", cols: 100, rows: 30 }]);
    socket().drop();
    link.resize(90, 20);
    link.resize(91, 20);
    await tick(200);
    expect(server.resizes).toEqual([{ cols: 91, rows: 20 }]);
  });

  test("a large paste goes in pieces the server accepts, in order, over either transport", async () => {
    const paste = "0123456789".repeat(INPUT_CHUNK / 4);
    const { server, socket, link } = setup();
    link.start();
    socket().open();
    socket().message({ type: "joined", session_id: "s1", offset: 0, reader_id: "tab-a", label: "Shell", exited: false });
    link.input(paste);
    const sent = socket().sentOf("input").map((m) => m.data as string);
    expect(sent.length).toBeGreaterThan(1);
    expect(sent.every((p) => p.length <= INPUT_CHUNK)).toBe(true);
    expect(sent.join("")).toBe(paste);
    socket().drop();
    link.input(paste);
    await tick(100);
    expect(server.inputs.length).toBeGreaterThan(1);
    expect(server.inputs.join("")).toBe(paste);
  });
});

describe("splitting input", () => {
  test("never cuts a character made of two UTF-16 units", () => {
    const text = "ab🙂cd";
    const pieces = chunks(text, 3);
    expect(pieces.join("")).toBe(text);
    expect(pieces).toEqual(["ab", "🙂c", "d"]);
  });
});
