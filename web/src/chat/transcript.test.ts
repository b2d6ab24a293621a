import { describe, expect, test } from "vitest";
import { resultText, toTranscript } from "./transcript";
import type { StoredMessage } from "../api/types";

const msg = (id: number, role: "user" | "assistant", content: StoredMessage["content"], extra: Partial<StoredMessage> = {}): StoredMessage => ({
  id,
  role,
  content,
  created_at: "2026-01-01T00:00:00Z",
  ...extra,
});

describe("the stored transcript", () => {
  test("tool results stored in user messages land in the preceding assistant turn's cards", () => {
    const turns = toTranscript([
      msg(1, "user", [{ type: "text", text: "Count the rows" }]),
      msg(2, "assistant", [
        { type: "thinking", thinking: "I should query", signature: "sig" },
        { type: "tool_use", id: "t1", name: "execute_sql", input: { sql_query: "select count(*)" } },
      ], { usage: { input_tokens: 10, output_tokens: 5 } }),
      msg(3, "user", [{ type: "tool_result", tool_use_id: "t1", content: "42", is_error: false }]),
      msg(4, "assistant", [{ type: "text", text: "There are 42 rows." }], { usage: { input_tokens: 20, output_tokens: 7 } }),
    ]);
    expect(turns.map((t) => t.role)).toEqual(["user", "assistant"]);
    const answer = turns[1];
    if (answer.role !== "assistant") throw new Error("expected an assistant turn");
    expect(answer.blocks.map((b) => b.kind)).toEqual(["thinking", "tool", "text"]);
    expect(answer.blocks[1]).toMatchObject({ name: "execute_sql", result: { content: "42", isError: false } });
    expect(answer.usage).toMatchObject({ input_tokens: 30, output_tokens: 12 });
  });

  test("a new user question starts a new assistant turn", () => {
    const turns = toTranscript([
      msg(1, "user", "Hi"),
      msg(2, "assistant", [{ type: "text", text: "Hello" }]),
      msg(3, "user", [{ type: "text", text: "Again" }]),
      msg(4, "assistant", [{ type: "text", text: "Hello again" }], { cancelled: true }),
    ]);
    expect(turns.map((t) => t.role)).toEqual(["user", "assistant", "user", "assistant"]);
    expect(turns[3]).toMatchObject({ cancelled: true });
  });

  test("tool result content given as blocks reads as text", () => {
    expect(resultText([{ type: "text", text: "line 1" }, { type: "text", text: "line 2" }])).toBe("line 1\nline 2");
    expect(resultText({ rows: 1 })).toContain('"rows": 1');
  });
});
