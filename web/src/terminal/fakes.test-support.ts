// Test doubles for the terminal's transports: a session's output as the server keeps it, answered
// through a fake fetch with the real poll shapes, and a fake WebSocket a test drives by hand.

import { incompleteTail } from "./ledger";
import type { LinkSink, LinkState, SocketLike } from "./link";
import type { PolledOutput } from "./protocol";

/** One session on a fake server: its bytes, the polls and inputs it got, and what it answers. */
export class FakeServer {
  output = new Uint8Array(0);
  ringStart = 0;
  maxBytes = 1 << 20;
  exited = false;
  refuse: { status: number; error: string } | null = null;
  down = false;
  /** While set, poll answers wait for it: a poll in flight. */
  gate: Promise<void> | null = null;
  readonly polls: { offset: number; readerId: string }[] = [];
  readonly inputs: string[] = [];
  readonly resizes: { cols: number; rows: number }[] = [];
  readonly requests: string[] = [];

  constructor(readonly sessionId = "s1") {}

  print(text: string | Uint8Array): void {
    const more = typeof text === "string" ? new TextEncoder().encode(text) : text;
    const joined = new Uint8Array(this.output.length + more.length);
    joined.set(this.output);
    joined.set(more, this.output.length);
    this.output = joined;
  }

  /** A poll answer as PolledOutput.read gives it: never ending inside a character. */
  answer(from: number): PolledOutput {
    const start = Math.max(from, this.ringStart);
    const end = Math.min(this.output.length, start + this.maxBytes);
    let slice = this.output.slice(start, end);
    const hold = this.exited && end === this.output.length ? 0 : incompleteTail(slice);
    slice = slice.slice(0, slice.length - hold);
    const next = start + slice.length;
    const finished = this.exited && next === this.output.length;
    return {
      output: new TextDecoder().decode(slice),
      offset: start,
      next_offset: next,
      gap: start > from ? { from, to: start } : null,
      more: next < this.output.length,
      exited: finished,
      exit_code: finished ? 0 : null,
      timeout_warning: false,
    };
  }

  readonly fetch: typeof fetch = async (input, init) => {
    const path = String(input);
    this.requests.push(path);
    if (this.down) throw new TypeError("Failed to fetch");
    if (this.refuse) return json(this.refuse.status, { error: this.refuse.error, field: null });
    const body = JSON.parse(String(init?.body ?? "{}"));
    switch (path) {
      case "/api/output-batch": {
        if (this.gate) await this.gate;
        const outputs: Record<string, PolledOutput> = {};
        for (const id of body.session_ids as string[]) {
          if (id !== this.sessionId) continue;
          const from = body.offsets?.[id] ?? 0;
          this.polls.push({ offset: from, readerId: body.reader_id });
          outputs[id] = this.answer(from);
        }
        return json(200, { outputs, shutting_down: false });
      }
      case "/api/input":
        this.inputs.push(body.input);
        return json(200, { status: "ok" });
      case "/api/resize":
        this.resizes.push({ cols: body.cols, rows: body.rows });
        return json(200, { status: "ok" });
      default:
        return json(404, { error: `no route for POST ${path}` });
    }
  };

  /** POSTs as the page's api client does: the server's message on failure. */
  readonly post = async (path: string, body: unknown): Promise<unknown> => {
    const response = await this.fetch(path, { method: "POST", body: JSON.stringify(body) });
    const data = await response.json();
    if (!response.ok) throw new Error(data.error);
    return data;
  };
}

function json(status: number, body: unknown): Response {
  return new Response(JSON.stringify(body), { status, headers: { "Content-Type": "application/json" } });
}

/** A WebSocket the test opens, feeds and drops by hand; what the page sends is kept, parsed. */
export class FakeSocket implements SocketLike {
  binaryType = "blob";
  readyState = 0;
  onopen: ((event: unknown) => void) | null = null;
  onmessage: ((event: { data: unknown }) => void) | null = null;
  onclose: ((event: unknown) => void) | null = null;
  onerror: ((event: unknown) => void) | null = null;
  readonly sent: Record<string, unknown>[] = [];
  closed = false;

  send(data: string): void {
    if (this.readyState !== 1) throw new Error("not open");
    this.sent.push(JSON.parse(data));
  }

  close(): void {
    this.closed = true;
    this.readyState = 3;
  }

  open(): void {
    this.readyState = 1;
    this.onopen?.({});
  }

  message(value: Record<string, unknown>): void {
    this.onmessage?.({ data: JSON.stringify(value) });
  }

  bytes(data: Uint8Array | string): void {
    const u8 = typeof data === "string" ? new TextEncoder().encode(data) : data;
    this.onmessage?.({ data: u8.buffer.slice(u8.byteOffset, u8.byteOffset + u8.byteLength) });
  }

  /** The connection fails or drops. */
  drop(): void {
    this.readyState = 3;
    this.onclose?.({ code: 1006 });
  }

  sentOf(type: string): Record<string, unknown>[] {
    return this.sent.filter((m) => m.type === type);
  }
}

/** A sink that plays xterm: text is "parsed" at once, and the link is told. */
export class RecordingSink implements LinkSink {
  text = "";
  markers: string[] = [];
  states: LinkState[] = [];
  notices: string[] = [];
  onWrite: (upTo: number) => void = () => {};

  write(text: string, upTo: number): void {
    this.text += text;
    this.onWrite(upTo);
  }
  marker(text: string): void {
    this.markers.push(text);
    this.text += "<marker>";
  }
  state(state: LinkState): void {
    this.states.push(state);
  }
  notice(text: string): void {
    this.notices.push(text);
  }
  get last(): LinkState | undefined {
    return this.states[this.states.length - 1];
  }
}
