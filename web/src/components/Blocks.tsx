import { useEffect, useRef, useState } from "react";
import { resultText } from "../chat/transcript";
import { duration, tokens } from "../format";
import type { RunBlock, Todo, TurnUsage } from "../stream/run";
import { Markdown } from "./Markdown";
import { ToolBody } from "./ToolViews";

type ToolBlock = Extract<RunBlock, { kind: "tool" }>;

/** The blocks of one assistant turn, stored or live. `live` marks the turn still streaming. */
export function AssistantBlocks({ blocks, live, cancelled }: { blocks: RunBlock[]; live: boolean; cancelled: boolean }) {
  // A stopped run's last step: its tools were cut short by the stop, not failed.
  let firstTrailingTool = blocks.length;
  while (firstTrailingTool > 0 && blocks[firstTrailingTool - 1].kind === "tool") firstTrailingTool--;
  return (
    <>
      {blocks.map((block, i) => {
        const cutShort = cancelled && i >= firstTrailingTool;
        switch (block.kind) {
          case "text":
            return (
              <div key={block.key} className={`assistant-text${live && block.open ? " streaming" : ""}`} data-testid="assistant-text">
                <Markdown text={block.text} />
              </div>
            );
          case "thinking":
            return <Thinking key={block.key} text={block.text} streaming={live && block.open} />;
          case "tool":
            return <ToolCard key={block.key} block={block} pending={live && !cancelled && block.result === null} stopped={cutShort} />;
        }
      })}
    </>
  );
}

function Thinking({ text, streaming }: { text: string; streaming: boolean }) {
  return (
    <details className="thinking" data-testid="thinking">
      <summary>
        <span className={streaming ? "pulse" : ""}>{streaming ? "Thinking…" : "Thought"}</span>
        {!streaming && <span className="muted"> · {text.split(/\s+/).filter(Boolean).length} words</span>}
      </summary>
      <div className="thinking-text">{text}</div>
    </details>
  );
}

const TOOL_PREFIX = /^mcp__.+?__/;

export function toolLabel(name: string): string {
  return name.replace(TOOL_PREFIX, "");
}

/** The one input worth showing beside the name: a path, a query, a command. */
function inputSummary(input: unknown): string {
  if (!input || typeof input !== "object") return "";
  const record = input as Record<string, unknown>;
  if (Array.isArray(record.todos)) {
    const done = record.todos.filter((t) => (t as Todo | null)?.status === "completed").length;
    return `${done}/${record.todos.length} done`;
  }
  for (const key of ["file_path", "path", "command", "sql_query", "pattern", "query", "action", "name", "description"]) {
    const value = record[key];
    if (typeof value === "string" && value.trim()) return value.split("\n")[0].slice(0, 120);
  }
  return "";
}

function ToolCard({ block, pending, stopped }: { block: ToolBlock; pending: boolean; stopped: boolean }) {
  const [open, setOpen] = useState(false);
  const body = useRef<HTMLDivElement>(null);
  // Opening a card brings its result into view, however far down the transcript it is.
  useEffect(() => {
    if (open) body.current?.scrollIntoView({ block: "nearest", behavior: "smooth" });
  }, [open]);
  const status = pending ? "running" : stopped && (block.result === null || block.result.isError) ? "stopped" : block.result === null ? "no-result" : block.result.isError ? "error" : "ok";
  const summary = inputSummary(block.input);
  const output = block.result ? resultText(block.result.content) : "";
  return (
    <div className={`tool-card tool-${status}`} data-testid="tool-card" data-tool-name={block.name} data-status={status}>
      <button className="tool-head" onClick={() => setOpen(!open)} aria-expanded={open}>
        <span className={`tool-dot ${status}`} aria-hidden />
        <span className="tool-name">{toolLabel(block.name)}</span>
        {block.server && <span className="tool-server muted small" data-testid="tool-server">{block.server}</span>}
        {summary && <code className="tool-summary">{summary}</code>}
        <span className="spacer" />
        <span className="tool-meta muted">
          {status === "running" && "running…"}
          {status === "error" && "error"}
          {status === "stopped" && "stopped"}
          {block.result?.durationMs != null && ` ${duration(block.result.durationMs)}`}
        </span>
        <span className="chevron" aria-hidden>
          {open ? "▾" : "▸"}
        </span>
      </button>
      {open && (
        <div className="tool-body" ref={body}>
          <ToolBody name={block.name} input={block.input} result={block.result} output={output} />
        </div>
      )}
    </div>
  );
}

/** A plan: the live one above the composer ("todo-list"), or a finished turn's ("turn-plan"). */
export function TodoList({ todos, testId }: { todos: Todo[]; testId: string }) {
  if (todos.length === 0) return null;
  const done = todos.filter((t) => t.status === "completed").length;
  return (
    <div className={`todo-list ${testId}`} data-testid={testId}>
      <div className="todo-head">
        Plan <span className="muted">{done}/{todos.length}</span>
      </div>
      <ul>
        {todos.map((todo, i) => (
          <li key={todo.id ?? i} className={`todo todo-${todo.status}`} data-testid="todo-item" data-status={todo.status}>
            <span className="todo-box" aria-hidden>
              {todo.status === "completed" ? "✓" : todo.status === "in_progress" ? "◐" : "○"}
            </span>
            {todo.content}
          </li>
        ))}
      </ul>
    </div>
  );
}

export function UsageLine({ usage, durationMs }: { usage: TurnUsage | null; durationMs?: number | null }) {
  if (!usage && !durationMs) return null;
  return (
    <div className="usage muted" data-testid="usage">
      {usage && (
        <>
          {tokens(usage.input_tokens)} in · {tokens(usage.output_tokens)} out
          {usage.cache_read_input_tokens > 0 && <> · {tokens(usage.cache_read_input_tokens)} cached</>}
        </>
      )}
      {durationMs ? <> · {duration(durationMs)}</> : null}
    </div>
  );
}
