// The live state of one agent run, built from its event log by a pure reducer.
//
// Contract: events carry a per-execution sequence number `seq`, strictly increasing in the log.
// Applying an event whose seq is not above the last applied one changes nothing, so a replay
// after a reconnect, a second subscription or a duplicated frame can never show output twice;
// resuming asks the server only for events after `lastSeq`. Unknown event types advance the
// cursor and are otherwise ignored, so a newer server never breaks an older page.

export interface RunEvent {
  seq: number;
  type: string;
  data: unknown;
}

export interface ToolOutcome {
  content: unknown;
  isError: boolean;
  durationMs: number | null;
}

/** One block of the assistant's answer; `key` is the seq of the event that opened it. */
export type RunBlock =
  | { kind: "text"; key: string; text: string; open: boolean }
  | { kind: "thinking"; key: string; text: string; open: boolean }
  | { kind: "tool"; key: string; id: string; name: string; input: unknown; result: ToolOutcome | null };

export interface Todo {
  content: string;
  status: "pending" | "in_progress" | "completed" | string;
  id?: string;
}

export interface TurnUsage {
  input_tokens: number;
  output_tokens: number;
  cache_read_input_tokens: number;
  cache_creation_input_tokens: number;
}

export interface RunResult {
  status: string | null;
  isError: boolean;
  durationMs: number | null;
  numTurns: number | null;
}

export type RunStatus = "running" | "completed" | "cancelled" | "error" | "interrupted";

export interface RunState {
  executionId: string;
  conversationId: string | null;
  /** The seq of the last event applied; -1 before the first. */
  lastSeq: number;
  blocks: RunBlock[];
  todos: Todo[] | null;
  /** Token usage per model turn (a repeated turn number replaces the earlier report). */
  usage: Record<number, TurnUsage>;
  status: RunStatus;
  /** True once `done` arrived: the log is complete and the stream has ended. */
  finished: boolean;
  error: string | null;
  result: RunResult | null;
}

export function newRun(executionId: string, conversationId: string | null = null): RunState {
  return {
    executionId,
    conversationId,
    lastSeq: -1,
    blocks: [],
    todos: null,
    usage: {},
    status: "running",
    finished: false,
    error: null,
    result: null,
  };
}

/** The `after` cursor for (re)connecting: null means from the start of the log. */
export function resumeAfter(run: RunState): number | null {
  return run.lastSeq < 0 ? null : run.lastSeq;
}

export function applyEvents(run: RunState, events: Iterable<RunEvent>): RunState {
  let next = run;
  for (const event of events) next = applyEvent(next, event);
  return next;
}

export function applyEvent(run: RunState, event: RunEvent): RunState {
  if (!Number.isFinite(event.seq) || event.seq <= run.lastSeq) return run;
  const next: RunState = { ...run, lastSeq: event.seq };
  const data = (event.data ?? {}) as Record<string, unknown>;
  const key = String(event.seq);
  switch (event.type) {
    case "conversation.created":
      return { ...next, conversationId: str(data.conversation_id) ?? next.conversationId };
    case "text_delta":
      return { ...next, blocks: appendDelta(next.blocks, "text", str(data.text) ?? "", key) };
    case "thinking_delta":
      return { ...next, blocks: appendDelta(next.blocks, "thinking", str(data.thinking) ?? "", key) };
    case "text":
      return { ...next, blocks: completeBlock(next.blocks, "text", str(data.text) ?? "", key) };
    case "thinking":
      return { ...next, blocks: completeBlock(next.blocks, "thinking", str(data.thinking) ?? "", key) };
    case "tool_use":
      return {
        ...next,
        blocks: [
          ...closeOpen(next.blocks),
          {
            kind: "tool",
            key,
            id: str(data.tool_id) ?? key,
            name: str(data.tool_name) ?? "tool",
            input: data.tool_input ?? null,
            result: null,
          },
        ],
      };
    case "tool_result":
      return { ...next, blocks: attachResult(next.blocks, data, key) };
    case "todos":
      return { ...next, todos: Array.isArray(data.todos) ? (data.todos as Todo[]) : next.todos };
    case "usage": {
      const turn = typeof data.turn === "number" ? data.turn : Object.keys(next.usage).length + 1;
      return { ...next, usage: { ...next.usage, [turn]: toUsage(data) } };
    }
    case "result":
      return {
        ...next,
        result: {
          status: str(data.status),
          isError: data.is_error === true,
          durationMs: num(data.duration_ms),
          numTurns: num(data.num_turns),
        },
      };
    case "error":
      return { ...next, status: "error", error: str(data.error) ?? "the run failed" };
    case "cancelled":
      return { ...next, status: "cancelled", blocks: closeOpen(next.blocks) };
    case "done": {
      const status = str(data.status);
      return {
        ...next,
        finished: true,
        blocks: closeOpen(next.blocks),
        status: isFinalStatus(status) ? status : next.status === "running" ? "completed" : next.status,
      };
    }
    default:
      return next;
  }
}

/** Totals over every turn of the run. */
export function totalUsage(run: Pick<RunState, "usage">): TurnUsage {
  const total: TurnUsage = { input_tokens: 0, output_tokens: 0, cache_read_input_tokens: 0, cache_creation_input_tokens: 0 };
  for (const turn of Object.values(run.usage)) {
    total.input_tokens += turn.input_tokens;
    total.output_tokens += turn.output_tokens;
    total.cache_read_input_tokens += turn.cache_read_input_tokens;
    total.cache_creation_input_tokens += turn.cache_creation_input_tokens;
  }
  return total;
}

function appendDelta(blocks: RunBlock[], kind: "text" | "thinking", delta: string, key: string): RunBlock[] {
  const last = blocks[blocks.length - 1];
  if (last && last.kind === kind && last.open) {
    return [...blocks.slice(0, -1), { ...last, text: last.text + delta }];
  }
  return [...closeOpen(blocks), { kind, key, text: delta, open: true }];
}

/** A complete block replaces the deltas of the block it completes, or stands alone. */
function completeBlock(blocks: RunBlock[], kind: "text" | "thinking", text: string, key: string): RunBlock[] {
  const last = blocks[blocks.length - 1];
  if (last && last.kind === kind && last.open) {
    return [...blocks.slice(0, -1), { ...last, text, open: false }];
  }
  return [...closeOpen(blocks), { kind, key, text, open: false }];
}

function closeOpen(blocks: RunBlock[]): RunBlock[] {
  const last = blocks[blocks.length - 1];
  if (last && last.kind !== "tool" && last.open) {
    return [...blocks.slice(0, -1), { ...last, open: false }];
  }
  return blocks;
}

function attachResult(blocks: RunBlock[], data: Record<string, unknown>, key: string): RunBlock[] {
  const id = str(data.tool_use_id);
  const outcome: ToolOutcome = {
    content: data.content ?? null,
    isError: data.is_error === true,
    durationMs: num(data.duration_ms),
  };
  const index = blocks.findIndex((b) => b.kind === "tool" && b.id === id);
  if (index < 0) {
    // A result whose call we never saw: still show it rather than lose it.
    return [...closeOpen(blocks), { kind: "tool", key, id: id ?? key, name: "tool", input: null, result: outcome }];
  }
  const copy = blocks.slice();
  copy[index] = { ...(copy[index] as Extract<RunBlock, { kind: "tool" }>), result: outcome };
  return copy;
}

function toUsage(data: Record<string, unknown>): TurnUsage {
  return {
    input_tokens: num(data.input_tokens) ?? 0,
    output_tokens: num(data.output_tokens) ?? 0,
    cache_read_input_tokens: num(data.cache_read_input_tokens) ?? 0,
    cache_creation_input_tokens: num(data.cache_creation_input_tokens) ?? 0,
  };
}

function isFinalStatus(status: string | null): status is RunStatus {
  return status === "completed" || status === "cancelled" || status === "error" || status === "interrupted";
}

function str(value: unknown): string | null {
  return typeof value === "string" ? value : null;
}

function num(value: unknown): number | null {
  return typeof value === "number" && Number.isFinite(value) ? value : null;
}
