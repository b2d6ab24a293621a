// An incremental parser of text/event-stream (the WHATWG rules that matter here): fields `id`,
// `event`, `data` (multi-line joined with "\n"), comments (lines starting with ":") ignored,
// CRLF, CR or LF line ends, an event dispatched at a blank line. Chunks may split anywhere,
// even inside a line or between CR and LF.

export interface SseFrame {
  id: string | null;
  event: string;
  data: string;
}

export class SseParser {
  private buffer = "";
  private lastWasCr = false;
  private id: string | null = null;
  private event = "";
  private data: string[] = [];

  /** Feeds decoded text; returns the frames it completed. */
  push(chunk: string): SseFrame[] {
    const frames: SseFrame[] = [];
    let text = chunk;
    if (this.lastWasCr && text.startsWith("\n")) text = text.slice(1);
    this.lastWasCr = false;
    this.buffer += text;
    let start = 0;
    for (let i = 0; i < this.buffer.length; i++) {
      const c = this.buffer[i];
      if (c !== "\n" && c !== "\r") continue;
      this.line(this.buffer.slice(start, i), frames);
      if (c === "\r") {
        if (i + 1 < this.buffer.length) {
          if (this.buffer[i + 1] === "\n") i++;
        } else {
          this.lastWasCr = true;
        }
      }
      start = i + 1;
    }
    this.buffer = this.buffer.slice(start);
    return frames;
  }

  private line(line: string, frames: SseFrame[]): void {
    if (line === "") {
      if (this.data.length > 0) {
        frames.push({ id: this.id, event: this.event || "message", data: this.data.join("\n") });
      }
      this.id = null;
      this.event = "";
      this.data = [];
      return;
    }
    if (line.startsWith(":")) return;
    const colon = line.indexOf(":");
    const field = colon < 0 ? line : line.slice(0, colon);
    let value = colon < 0 ? "" : line.slice(colon + 1);
    if (value.startsWith(" ")) value = value.slice(1);
    if (field === "data") this.data.push(value);
    else if (field === "event") this.event = value;
    else if (field === "id") this.id = value;
  }
}

/** Frames as run events; a frame without a numeric id or with unparsable data is skipped. */
export function toRunEvent(frame: SseFrame): { seq: number; type: string; data: unknown } | null {
  const seq = frame.id === null ? NaN : Number(frame.id);
  if (!Number.isFinite(seq)) return null;
  try {
    return { seq, type: frame.event, data: JSON.parse(frame.data) };
  } catch {
    return null;
  }
}
