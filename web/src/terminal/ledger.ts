// A pane's account of a session's output, in byte offsets of that output, so that nothing is
// shown twice or lost across reconnects, a switch between the WebSocket and polling, or a reload.
//
//   base      where this pane's view of the session began (0 for a shell it started)
//   position  the next byte a transport will deliver
//   received  bytes before it have been handed to xterm; it trails `position` by the bytes of a
//             UTF-8 character that a frame split and the decoder still holds
//   written   bytes before it have been parsed by xterm (its write callback ran): what the screen
//             shows, what the server is acknowledged, and what a reload resumes from
//
// A transport that takes over resumes at `received`; a reloaded page, whose xterm is new, at
// `written` (with the saved screen) or at `base` (replaying everything into an empty screen).

/** How many bytes at the end of `bytes` start a UTF-8 character that is not complete yet: 0 to 3. */
export function incompleteTail(bytes: Uint8Array): number {
  const n = bytes.length;
  for (let back = 1; back <= Math.min(3, n); back++) {
    const b = bytes[n - back];
    if ((b & 0xc0) === 0x80) continue;
    return sequenceLength(b) > back ? back : 0;
  }
  return 0;
}

function sequenceLength(lead: number): number {
  if (lead >= 0xc2 && lead <= 0xdf) return 2;
  if (lead >= 0xe0 && lead <= 0xef) return 3;
  if (lead >= 0xf0 && lead <= 0xf4) return 4;
  return 1;
}

export class OutputLedger {
  private decoder = new TextDecoder("utf-8");
  /** The last bytes seen (at most 3), to know how many the decoder holds. */
  private tail = new Uint8Array(0);
  private held = 0;
  private next: number;
  private shown: number;

  constructor(
    readonly base: number,
    written: number,
  ) {
    this.next = written;
    this.shown = written;
  }

  get position(): number {
    return this.next;
  }

  get received(): number {
    return this.next - this.held;
  }

  get written(): number {
    return this.shown;
  }

  /** A transport starts delivering at `offset` (a WebSocket's `joined`, a first poll): a fresh decoder. */
  begin(offset: number): void {
    this.resetDecoder();
    this.next = offset;
  }

  /** Drops the bytes of a split character the decoder holds: the next transport resends them. */
  resetDecoder(): void {
    this.next = this.received;
    this.decoder = new TextDecoder("utf-8");
    this.tail = new Uint8Array(0);
    this.held = 0;
  }

  /** A binary frame: returns its text; `received` then covers it, less a character it split. */
  bytes(chunk: Uint8Array): string {
    const text = this.decoder.decode(chunk, { stream: true });
    const seen = new Uint8Array(this.tail.length + chunk.length);
    seen.set(this.tail, 0);
    seen.set(chunk, this.tail.length);
    this.held = incompleteTail(seen);
    this.tail = seen.slice(Math.max(0, seen.length - 3));
    this.next += chunk.length;
    return text;
  }

  /** Text a poll answered for bytes up to `nextOffset` (the server never splits a character there). */
  text(nextOffset: number): void {
    this.resetDecoder();
    this.next = nextOffset;
  }

  /**
   * Bytes [from, to) will never come: returns the marker line to show in their place, or null
   * when `from` is not where this ledger stands (a stale notice, to be ignored).
   */
  gap(from: number, to: number): string | null {
    if (from !== this.received || to < from) return null;
    this.resetDecoder();
    this.next = to;
    return gapMarker(to - from);
  }

  /** xterm has parsed everything before `upTo`; returns whether that moved `written`. */
  markWritten(upTo: number): boolean {
    if (upTo <= this.shown) return false;
    this.shown = upTo;
    return true;
  }
}

export function gapMarker(bytes: number): string {
  const size = bytes >= 1024 * 1024 ? `${(bytes / (1024 * 1024)).toFixed(1)} MiB` : bytes >= 1024 ? `${Math.round(bytes / 1024)} KiB` : `${bytes} bytes`;
  return `\r\n\x1b[0;7m ${size} of output were dropped here: the server no longer had them \x1b[0m\r\n`;
}
