import { describe, expect, test } from "vitest";
import { applyEvent, applyEvents, newRun, resumeAfter, totalUsage, type RunEvent, type RunState } from "./run";

let seq = 0;
const ev = (type: string, data: unknown = {}, at?: number): RunEvent => ({ seq: at ?? ++seq, type, data });
const run = (...events: RunEvent[]) => applyEvents(newRun("exec-1"), events);
const texts = (state: RunState) => state.blocks.map((b) => (b.kind === "tool" ? `[${b.name}]` : `${b.kind}:${b.text}`));

describe("the run reducer", () => {
  test("text deltas accumulate into one block in order", () => {
    const state = run(ev("text_delta", { text: "Hel" }, 1), ev("text_delta", { text: "lo " }, 2), ev("text_delta", { text: "world" }, 3));
    expect(texts(state)).toEqual(["text:Hello world"]);
    expect(state.lastSeq).toBe(3);
  });

  test("a tool call of an MCP server keeps the server's name beside the tool's (Claude Code's mcp__ tools)", () => {
    const state = run(ev("tool_use", { tool_id: "t1", tool_name: "execute_sql", tool_server: "mason", tool_input: {} }, 1),
      ev("tool_use", { tool_id: "t2", tool_name: "Write", tool_input: {} }, 2));
    const tools = state.blocks.filter((b) => b.kind === "tool");
    expect(tools.map((b) => [b.name, b.server])).toEqual([["execute_sql", "mason"], ["Write", undefined]]);
  });

  test("an event with a seq already applied is ignored, so a replay shows nothing twice", () => {
    const first = [ev("text_delta", { text: "a" }, 1), ev("text_delta", { text: "b" }, 2)];
    const state = applyEvents(run(...first), [...first, ev("text_delta", { text: "c" }, 3), ev("text_delta", { text: "b" }, 2)]);
    expect(texts(state)).toEqual(["text:abc"]);
    expect(state.lastSeq).toBe(3);
  });

  test("applying a stale event returns the very same state", () => {
    const state = run(ev("text_delta", { text: "a" }, 5));
    expect(applyEvent(state, ev("text_delta", { text: "x" }, 4))).toBe(state);
    expect(applyEvent(state, ev("text_delta", { text: "x" }, 5))).toBe(state);
  });

  test("resuming after a cut continues from the last applied seq with no gap and no duplicate", () => {
    const log = [
      ev("text_delta", { text: "The " }, 1),
      ev("text_delta", { text: "answer " }, 2),
      ev("text_delta", { text: "is " }, 3),
      ev("text_delta", { text: "42" }, 4),
      ev("done", { status: "completed" }, 5),
    ];
    let state = applyEvents(newRun("exec-1"), log.slice(0, 2));
    expect(resumeAfter(state)).toBe(2);
    // The server replays from the cursor; a sloppy proxy may even repeat the last frame seen.
    state = applyEvents(state, log.filter((e) => e.seq > resumeAfter(state)! - 1));
    expect(texts(state)).toEqual(["text:The answer is 42"]);
    expect(state.finished).toBe(true);
    expect(state).toEqual(applyEvents(newRun("exec-1"), log));
  });

  test("a fresh run resumes from the start of the log", () => {
    expect(resumeAfter(newRun("x"))).toBeNull();
  });

  test("a complete text event replaces the deltas of the block it completes", () => {
    const state = run(ev("text_delta", { text: "Hel" }, 1), ev("text_delta", { text: "lo wrld" }, 2), ev("text", { text: "Hello world" }, 3));
    expect(state.blocks).toEqual([{ kind: "text", key: "1", text: "Hello world", open: false }]);
  });

  test("a complete text without deltas is its own block, and deltas after it start the next", () => {
    const state = run(ev("text", { text: "First." }, 1), ev("text_delta", { text: "Second" }, 2));
    expect(texts(state)).toEqual(["text:First.", "text:Second"]);
    expect(state.blocks.map((b) => b.kind !== "tool" && b.open)).toEqual([false, true]);
  });

  test("thinking deltas stay apart from the text, and the complete thinking replaces them", () => {
    const state = run(
      ev("thinking_delta", { thinking: "Let me " }, 1),
      ev("thinking_delta", { thinking: "thnk" }, 2),
      ev("thinking", { thinking: "Let me think" }, 3),
      ev("text_delta", { text: "Done." }, 4),
    );
    expect(texts(state)).toEqual(["thinking:Let me think", "text:Done."]);
  });

  test("a tool result lands in the card of the call it answers, even after later calls", () => {
    const state = run(
      ev("text_delta", { text: "Checking." }, 1),
      ev("tool_use", { tool_id: "t1", tool_name: "Read", tool_input: { file_path: "a.py" } }, 2),
      ev("tool_use", { tool_id: "t2", tool_name: "execute_sql", tool_input: { sql_query: "select 1" } }, 3),
      ev("tool_result", { tool_use_id: "t2", content: "1 row", is_error: false, duration_ms: 120 }, 4),
      ev("tool_result", { tool_use_id: "t1", content: "no such file", is_error: true, duration_ms: 3 }, 5),
      ev("text_delta", { text: "Found it." }, 6),
    );
    expect(texts(state)).toEqual(["text:Checking.", "[Read]", "[execute_sql]", "text:Found it."]);
    const [, read, sql] = state.blocks;
    expect(read).toMatchObject({ id: "t1", input: { file_path: "a.py" }, result: { content: "no such file", isError: true, durationMs: 3 } });
    expect(sql).toMatchObject({ id: "t2", result: { content: "1 row", isError: false, durationMs: 120 } });
  });

  test("a tool call closes the text before it, so text after the call is a new block", () => {
    const state = run(ev("text_delta", { text: "a" }, 1), ev("tool_use", { tool_id: "t", tool_name: "Bash", tool_input: {} }, 2), ev("text", { text: "b" }, 3));
    expect(texts(state)).toEqual(["text:a", "[Bash]", "text:b"]);
  });

  test("a result for a call never seen is still shown", () => {
    const state = run(ev("tool_result", { tool_use_id: "ghost", content: "ok" }, 1));
    expect(state.blocks).toMatchObject([{ kind: "tool", id: "ghost", result: { content: "ok" } }]);
  });

  test("unknown event types are ignored but advance the cursor", () => {
    const state = run(ev("text_delta", { text: "a" }, 1), ev("future.thing", { whatever: true }, 2), ev("text_delta", { text: "b" }, 3));
    expect(texts(state)).toEqual(["text:ab"]);
    expect(applyEvent(state, ev("mystery", null, 4)).lastSeq).toBe(4);
  });

  test("missing or malformed fields never throw", () => {
    const state = run(ev("text_delta", null, 1), ev("tool_use", {}, 2), ev("todos", { todos: "nope" }, 3), ev("usage", {}, 4), ev("done", {}, 5));
    expect(state.blocks).toHaveLength(2);
    expect(state.todos).toBeNull();
    expect(state.status).toBe("completed");
  });

  test("todos replace the previous list", () => {
    const state = run(
      ev("todos", { todos: [{ content: "Plan", status: "in_progress" }] }, 1),
      ev("todos", { todos: [{ content: "Plan", status: "completed" }, { content: "Build", status: "pending" }] }, 2),
    );
    expect(state.todos).toEqual([{ content: "Plan", status: "completed" }, { content: "Build", status: "pending" }]);
  });

  test("usage is kept per turn and totalled", () => {
    const state = run(
      ev("usage", { input_tokens: 100, output_tokens: 10, cache_read_input_tokens: 50, cache_creation_input_tokens: 0, turn: 1 }, 1),
      ev("usage", { input_tokens: 200, output_tokens: 20, cache_read_input_tokens: 0, cache_creation_input_tokens: 5, turn: 2 }, 2),
      ev("usage", { input_tokens: 210, output_tokens: 25, cache_read_input_tokens: 0, cache_creation_input_tokens: 5, turn: 2 }, 3),
    );
    expect(totalUsage(state)).toEqual({ input_tokens: 310, output_tokens: 35, cache_read_input_tokens: 50, cache_creation_input_tokens: 5 });
  });

  test("the conversation created for a new chat is recorded", () => {
    expect(run(ev("conversation.created", { conversation_id: "c-9", created: true, execution_id: "exec-1" }, 0)).conversationId).toBe("c-9");
  });

  test("a first event with seq 0 is applied", () => {
    expect(run(ev("text_delta", { text: "zero" }, 0)).lastSeq).toBe(0);
  });

  test("done finishes the run with the server's status and closes open blocks", () => {
    const state = run(ev("text_delta", { text: "partial" }, 1), ev("result", { status: "completed", is_error: false, duration_ms: 900, num_turns: 2 }, 2), ev("done", { status: "completed" }, 3));
    expect(state).toMatchObject({ status: "completed", finished: true, result: { durationMs: 900, numTurns: 2, isError: false } });
    expect(state.blocks[0]).toMatchObject({ open: false, text: "partial" });
  });

  test("a cancelled run keeps what it said and ends cancelled", () => {
    const state = run(ev("text_delta", { text: "Half an ans" }, 1), ev("cancelled", {}, 2), ev("done", { status: "cancelled" }, 3));
    expect(state.status).toBe("cancelled");
    expect(texts(state)).toEqual(["text:Half an ans"]);
  });

  test("an error is shown with the server's message and the run ends in error", () => {
    const state = run(ev("error", { error: "model endpoint returned 429" }, 1), ev("done", { status: "error" }, 2));
    expect(state).toMatchObject({ status: "error", error: "model endpoint returned 429", finished: true });
  });

  test("an interrupted run (server restart) ends interrupted", () => {
    expect(run(ev("done", { status: "interrupted" }, 1)).status).toBe("interrupted");
  });

  test("done without a status keeps an earlier error", () => {
    expect(run(ev("error", { error: "boom" }, 1), ev("done", {}, 2)).status).toBe("error");
  });

  test("events are not mutated in place: earlier states stay as they were", () => {
    const a = run(ev("text_delta", { text: "x" }, 1));
    const b = applyEvent(a, ev("text_delta", { text: "y" }, 2));
    expect(texts(a)).toEqual(["text:x"]);
    expect(texts(b)).toEqual(["text:xy"]);
  });
  test("the engine's order, deltas of a whole model call then its complete blocks, shows each block once", () => {
    // One call whose answer is [thinking, text, tool_use], as AgentLoop emits it.
    const state = run(
      ev("thinking_delta", { thinking: "Let me " }, 1),
      ev("thinking_delta", { thinking: "plan." }, 2),
      ev("text_delta", { text: "I'll " }, 3),
      ev("text_delta", { text: "start." }, 4),
      ev("usage", { input_tokens: 1, output_tokens: 2, turn: 1 }, 5),
      ev("thinking", { thinking: "Let me plan." }, 6),
      ev("text", { text: "I'll start." }, 7),
      ev("tool_use", { tool_id: "t1", tool_name: "Bash", tool_input: { command: "ls" } }, 8),
      ev("tool_result", { tool_use_id: "t1", content: "a.txt", is_error: false }, 9),
      ev("text_delta", { text: "Done" }, 10),
      ev("usage", { input_tokens: 1, output_tokens: 2, turn: 2 }, 11),
      ev("text", { text: "Done." }, 12),
    );
    expect(texts(state)).toEqual(["thinking:Let me plan.", "text:I'll start.", "[Bash]", "text:Done."]);
    expect(state.blocks.every((b) => b.kind === "tool" || !b.open)).toBe(true);
  });

  test("a retrying error drops what the failed attempt streamed, and the next attempt streams it again", () => {
    const before = [
      ev("text_delta", { text: "Checking." }, 1),
      ev("usage", { turn: 1 }, 2),
      ev("text", { text: "Checking." }, 3),
      ev("tool_use", { tool_id: "t1", tool_name: "Read", tool_input: {} }, 4),
      ev("tool_result", { tool_use_id: "t1", content: "x" }, 5),
      ev("thinking_delta", { thinking: "Hmm, " }, 6),
      ev("text_delta", { text: "A draft " }, 7),
    ];
    const retrying = run(...before, ev("error", { error: "overloaded; retrying, attempt 2", retrying: true, attempt: 2, delay_ms: 1500 }, 8));
    expect(texts(retrying)).toEqual(["text:Checking.", "[Read]"]);
    expect(retrying).toMatchObject({ status: "running", error: null, retrying: { attempt: 2, delayMs: 1500 } });

    const retried = applyEvents(retrying, [
      ev("text_delta", { text: "The " }, 9),
      ev("text_delta", { text: "answer." }, 10),
      ev("usage", { turn: 2 }, 11),
      ev("text", { text: "The answer." }, 12),
      ev("done", { status: "completed" }, 13),
    ]);
    expect(texts(retried)).toEqual(["text:Checking.", "[Read]", "text:The answer."]);
    expect(retried).toMatchObject({ status: "completed", error: null, retrying: null });
  });

  test("a retry before the model call streamed anything keeps every earlier block", () => {
    const state = run(
      ev("text_delta", { text: "Checking." }, 1),
      ev("text", { text: "Checking." }, 2),
      ev("tool_use", { tool_id: "t1", tool_name: "Read", tool_input: {} }, 3),
      ev("tool_result", { tool_use_id: "t1", content: "x" }, 4),
      ev("error", { error: "HTTP 529; retrying", retrying: true, attempt: 2 }, 5),
    );
    expect(texts(state)).toEqual(["text:Checking.", "[Read]"]);
    expect(state.retrying?.reason).toBe("HTTP 529; retrying");
  });

  test("a retry within the first model call drops all it streamed", () => {
    const state = run(ev("text_delta", { text: "Dra" }, 1), ev("error", { error: "cut", retrying: true }, 2), ev("text_delta", { text: "Final" }, 3));
    expect(texts(state)).toEqual(["text:Final"]);
    expect(state.retrying).toBeNull();
  });

  test("an error that is not retrying ends the run in error, even after retries", () => {
    const state = run(ev("error", { error: "overloaded", retrying: true, attempt: 2 }, 1), ev("error", { error: "gave up after 5 attempts" }, 2), ev("done", { status: "error" }, 3));
    expect(state).toMatchObject({ status: "error", error: "gave up after 5 attempts", retrying: null, finished: true });
  });
});
