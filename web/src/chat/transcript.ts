// Stored messages as the page shows them: one assistant turn per run, with the tool results
// (stored in `user` messages, as the model protocol wants) placed in the tool cards of the
// assistant turn that called them, never as user bubbles.

import type { ContentBlock, StoredMessage, Usage } from "../api/types";
import type { RunBlock } from "../stream/run";

export type DisplayTurn =
  | { role: "user"; key: string; text: string }
  | {
      role: "assistant";
      key: string;
      blocks: RunBlock[];
      isError: boolean;
      cancelled: boolean;
      usage: Required<Usage> | null;
    };

type AssistantTurn = Extract<DisplayTurn, { role: "assistant" }>;

export function toTranscript(messages: StoredMessage[]): DisplayTurn[] {
  const turns: DisplayTurn[] = [];
  let current: AssistantTurn | null = null;
  for (const message of messages) {
    const blocks = contentOf(message);
    const key = String(message.id);
    if (message.role === "user") {
      const results = blocks.filter((b): b is Extract<ContentBlock, { type: "tool_result" }> => b.type === "tool_result");
      const text = blocks
        .filter((b): b is Extract<ContentBlock, { type: "text" }> => b.type === "text")
        .map((b) => b.text)
        .join("\n\n");
      if (results.length > 0 && current) {
        for (const result of results) attach(current, result);
      }
      if (text.trim() !== "" || results.length === 0) {
        turns.push({ role: "user", key, text });
        current = null;
      }
      continue;
    }
    if (!current) {
      current = { role: "assistant", key, blocks: [], isError: false, cancelled: false, usage: null };
      turns.push(current);
    }
    blocks.forEach((block, i) => {
      const blockKey = `${key}.${i}`;
      // "(stopped)" stands in the history for a run stopped before it answered; the page says "Stopped" itself.
      if (block.type === "text" && message.cancelled === true && block.text.trim() === "(stopped)") return;
      if (block.type === "text") current!.blocks.push({ kind: "text", key: blockKey, text: block.text, open: false });
      else if (block.type === "thinking") current!.blocks.push({ kind: "thinking", key: blockKey, text: block.thinking, open: false });
      else if (block.type === "tool_use")
        current!.blocks.push({ kind: "tool", key: blockKey, id: block.id, name: block.name, input: block.input, result: null });
    });
    current.isError ||= message.is_error === true;
    current.cancelled ||= message.cancelled === true;
    if (message.usage) current.usage = addUsage(current.usage, message.usage);
  }
  return turns;
}

function attach(turn: AssistantTurn, result: Extract<ContentBlock, { type: "tool_result" }>): void {
  const index = turn.blocks.findIndex((b) => b.kind === "tool" && b.id === result.tool_use_id);
  if (index < 0) return;
  const block = turn.blocks[index] as Extract<RunBlock, { kind: "tool" }>;
  const durationMs = typeof result.duration_ms === "number" ? result.duration_ms : null;
  turn.blocks[index] = { ...block, result: { content: result.content, isError: result.is_error === true, durationMs } };
}

function contentOf(message: StoredMessage): ContentBlock[] {
  if (typeof message.content === "string") return [{ type: "text", text: message.content }];
  if (Array.isArray(message.content)) return message.content;
  return message.text ? [{ type: "text", text: message.text }] : [];
}

function addUsage(total: Required<Usage> | null, usage: Usage): Required<Usage> {
  const base = total ?? { input_tokens: 0, output_tokens: 0, cache_read_input_tokens: 0, cache_creation_input_tokens: 0 };
  return {
    input_tokens: base.input_tokens + (usage.input_tokens ?? 0),
    output_tokens: base.output_tokens + (usage.output_tokens ?? 0),
    cache_read_input_tokens: base.cache_read_input_tokens + (usage.cache_read_input_tokens ?? 0),
    cache_creation_input_tokens: base.cache_creation_input_tokens + (usage.cache_creation_input_tokens ?? 0),
  };
}

/** Tool results arrive as a string or as content blocks; the card shows text. */
export function resultText(content: unknown): string {
  if (content === null || content === undefined) return "";
  if (typeof content === "string") return content;
  if (Array.isArray(content)) {
    return content
      .map((part) => {
        if (part && typeof part === "object" && "text" in part && typeof (part as { text: unknown }).text === "string") {
          return (part as { text: string }).text;
        }
        return JSON.stringify(part, null, 2);
      })
      .join("\n");
  }
  return JSON.stringify(content, null, 2);
}
