// The live state of one agent run, built from its event log by a pure reducer.
//
// Contract: events carry a per-execution sequence number `seq`, strictly increasing in the log.
// Applying an event whose seq is not above the last applied one changes nothing, so a replay
// after a reconnect, a second subscription or a duplicated frame can never show output twice;
// resuming asks the server only for events after `lastSeq`. Unknown event types advance the
// cursor and are otherwise ignored, so a newer server never breaks an older page.
//
// Within one model call the engine streams deltas first (text_delta, thinking_delta) and only
// then the call's complete blocks, in content order (text, thinking, tool_use), each replacing
// the deltas of the block it completes. So a delta that follows a complete block starts a new
// model call. An `error` with `retrying: true` is not final: that call is being retried, and
// everything it streamed is dropped because the next attempt streams it again.

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
  | { kind: "tool"; key: string; id: string; name: string; input: unknown; result: ToolOutcome | null; server?: string };

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

/** A model call that failed and is being tried again. */
export interface Retrying {
  attempt: number | null;
  reason: string;
  delayMs: number | null;
}

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
  /** Set from a retrying error until the next attempt shows progress. */
  retrying: Retrying | null;
  /** Where the blocks of the model call in progress begin. */
  callStart: number;
  /** The blocks before this index are complete; complete events match blocks from here on. */
  matched: number;
  /** True while deltas arrive: the model call in progress has not yet sent its complete blocks. */
  streaming: boolean;
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
    retrying: null,
    callStart: 0,
    matched: 0,
    streaming: false,
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
  const data = (event.data ?? {}) as Record<string, unknown>;
  const retryingNow = event.type === "error" && data.retrying === true;
  const next: RunState = { ...run, lastSeq: event.seq, retrying: retryingNow ? run.retrying : null };
  const key = String(event.seq);
  switch (event.type) {
    case "conversation.created":
      return { ...next, conversationId: str(data.conversation_id) ?? next.conversationId };
    case "text_delta":
      return appendDelta(startCall(next), "text", str(data.text) ?? "", key);
    case "thinking_delta":
      return appendDelta(startCall(next), "thinking", str(data.thinking) ?? "", key);
    case "text":
      return completeBlock(next, "text", str(data.text) ?? "", key);
    case "thinking":
      return completeBlock(next, "thinking", str(data.thinking) ?? "", key);
    case "tool_use": {
      const blocks: RunBlock[] = [
        ...closeOpen(next.blocks),
        {
          kind: "tool",
          key,
          id: str(data.tool_id) ?? key,
          name: str(data.tool_name) ?? "tool",
          input: data.tool_input ?? null,
          result: null,
          ...(typeof data.tool_server === "string" ? { server: data.tool_server } : {}),
        },
      ];
      return { ...next, blocks, matched: blocks.length, streaming: false };
    }
    case "tool_result": {
      const blocks = attachResult(next.blocks, data, key);
      return { ...next, blocks, matched: blocks.length, streaming: false };
    }
    case "todos":
      return { ...next, todos: Array.isArray(data.todos) ? (data.todos as Todo[]) : next.todos };
    case "usage": {
      const turn = typeof data.turn === "number" ? data.turn : Object.keys(next.usage).length + 1;
      return { ...next, usage: { ...next.usage, [turn]: toUsage(data) }, streaming: false };
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
      if (retryingNow) {
        // The call in progress starts over: drop what it streamed (nothing, if it had not begun).
        const blocks = next.streaming ? next.blocks.slice(0, next.callStart) : next.blocks;
        return {
          ...next,
          blocks,
          matched: Math.min(next.matched, blocks.length),
          streaming: false,
          retrying: { attempt: num(data.attempt), reason: str(data.error) ?? "the model call failed", delayMs: num(data.delay_ms) },
        };
      }
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

/** A delta after anything but deltas begins a new model call, whose blocks start at the end. */
function startCall(run: RunState): RunState {
  if (run.streaming) return run;
  const blocks = closeOpen(run.blocks);
  return { ...run, blocks, streaming: true, callStart: blocks.length, matched: blocks.length };
}

function appendDelta(run: RunState, kind: "text" | "thinking", delta: string, key: string): RunState {
  const blocks = run.blocks;
  const last = blocks[blocks.length - 1];
  if (last && last.kind === kind && last.open && blocks.length - 1 >= run.callStart) {
    return { ...run, blocks: [...blocks.slice(0, -1), { ...last, text: last.text + delta }] };
  }
  return { ...run, blocks: [...closeOpen(blocks), { kind, key, text: delta, open: true }] };
}

/**
 * A complete block replaces the streamed block it completes: the first block of its kind not yet
 * matched in this model call. Without one (nothing was streamed) it stands alone at the end.
 */
function completeBlock(run: RunState, kind: "text" | "thinking", text: string, key: string): RunState {
  const blocks = run.blocks;
  for (let i = run.matched; i < blocks.length; i++) {
    const block = blocks[i];
    if (block.kind === kind) {
      const copy = blocks.slice();
      copy[i] = { ...block, text, open: false };
      return { ...run, blocks: copy, matched: i + 1, streaming: false };
    }
  }
  const appended: RunBlock[] = [...closeOpen(blocks), { kind, key, text, open: false }];
  return { ...run, blocks: appended, matched: appended.length, streaming: false };
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
