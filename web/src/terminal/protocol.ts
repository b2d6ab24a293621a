// The terminal room's wire formats, as the server writes them (snake_case). The server's own
// descriptions are in src/main/java/dev/mason/terminal/ (ServerMessage, ClientMessage,
// PolledOutput, TerminalRequests); fields are only ever added, so unknown ones are ignored.

export const SOCKET_PATH = "/ws/terminal";

/** JSON text frames from /ws/terminal; output itself arrives in binary frames. */
export type ServerMessage =
  | { type: "joined"; session_id: string; offset: number; reader_id: string; label: string; exited: boolean }
  | { type: "gap"; session_id: string; from: number; to: number }
  | { type: "exited"; session_id: string; code: number | null; offset: number }
  | { type: "closed"; session_id: string }
  | { type: "left"; session_id: string; reason: string }
  | { type: "timeout_warning"; session_id: string; closes_in_seconds: number }
  | { type: "shutting_down" }
  | { type: "error"; message: string; field: string | null; session_id: string | null };

/** JSON text frames to /ws/terminal. `ack: true` in a join promises acks, and flow control then follows them. */
export type ClientMessage =
  | { type: "join"; session_id: string; offset?: number; reader_id: string; ack: boolean }
  | { type: "leave" }
  | { type: "input"; data: string }
  | { type: "resize"; cols: number; rows: number }
  | { type: "heartbeat" }
  | { type: "ack"; offset: number };

/** One session's answer to a poll: the text of bytes [offset, next_offset). */
export interface PolledOutput {
  output: string;
  offset: number;
  next_offset: number;
  /** Bytes [from, to) were dropped before this reader got them; then `offset` equals `to`. */
  gap: { from: number; to: number } | null;
  more: boolean;
  exited: boolean;
  exit_code: number | null;
  timeout_warning: boolean;
}

/** POST /api/output-batch: sessions the server does not know are left out of `outputs`. */
export interface BatchAnswer {
  outputs: Record<string, PolledOutput>;
  shutting_down: boolean;
}

/** An entry of GET /api/sessions. */
export interface SessionStatus {
  session_id: string;
  label: string;
  created_at: string;
  last_poll_time: string;
  exited: boolean;
  exit_code: number | null;
  process: string | null;
  idle_seconds: number;
  cols: number;
  rows: number;
  output_offset: number;
  readers: number;
  timeout_warning: boolean;
  closes_in_seconds: number | null;
}

export function socketUrl(location: { protocol: string; host: string }): string {
  return `${location.protocol === "https:" ? "wss:" : "ws:"}//${location.host}${SOCKET_PATH}`;
}

/** Parses a text frame; null when it is not a JSON object with a type. */
export function parseServerMessage(text: string): ServerMessage | null {
  try {
    const value = JSON.parse(text) as { type?: unknown } | null;
    return value && typeof value === "object" && typeof value.type === "string" ? (value as ServerMessage) : null;
  } catch {
    return null;
  }
}
