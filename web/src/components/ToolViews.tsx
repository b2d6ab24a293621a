import { useMemo, useState } from "react";
import {
  bashOutcome,
  formatSql,
  lineDiff,
  markdownTable,
  multiTables,
  resourceLinks,
  sortRows,
  sqlTokens,
  toCsv,
  type SortOrder,
  type Table,
} from "../chat/toolData";
import { duration } from "../format";
import type { ToolOutcome } from "../stream/run";
import { CopyButton } from "./CopyButton";

type Input = Record<string, unknown>;

function text(input: Input, key: string): string {
  const value = input[key];
  return typeof value === "string" ? value : "";
}

/**
 * The body of an open tool card, by what the tool is: SQL with its result as a table, Bash as a
 * terminal block, Write and Edit as a diff, Read as a path and line range; anything else as its
 * input and result. Every output has Copy.
 */
export function ToolBody({ name, input, result, output }: { name: string; input: unknown; result: ToolOutcome | null; output: string }) {
  const fields = (input && typeof input === "object" ? input : {}) as Input;
  const tool = name.replace(/^mcp__.+?__/, "");
  const ok = result !== null && !result.isError;
  switch (tool) {
    case "execute_sql":
      return (
        <>
          <SqlText sql={text(fields, "sql_query")} />
          {ok ? <SqlResult table={markdownTable(output)} raw={output} warehouse={text(fields, "warehouse_id")} elapsedMs={result.durationMs} /> : <Result result={result} output={output} />}
        </>
      );
    case "execute_sql_multi": {
      const tables = ok ? multiTables(output) : [];
      return (
        <>
          <SqlText sql={text(fields, "sql_content")} />
          {tables.map((t, i) => (
            <SqlResult key={i} table={t.table} raw={toCsv(t.table)} warehouse={warehouseOf(output) ?? text(fields, "warehouse_id")} elapsedMs={t.elapsedMs} title={t.sql} />
          ))}
          <Result result={result} output={output} label={tables.length ? "Summary" : undefined} />
        </>
      );
    }
    case "Bash":
      return <BashView command={text(fields, "command")} result={result} output={output} />;
    case "Write":
      return (
        <>
          <FilePath path={text(fields, "file_path")} detail="new content" />
          <Diff lines={lineDiff("", text(fields, "content"))} copyText={text(fields, "content")} />
          <Result result={result} output={output} />
        </>
      );
    case "Edit":
      return (
        <>
          <FilePath path={text(fields, "file_path")} detail={fields.replace_all === true ? "every occurrence" : undefined} />
          <Diff lines={lineDiff(text(fields, "old_string"), text(fields, "new_string"))} copyText={text(fields, "new_string")} />
          <Result result={result} output={output} />
        </>
      );
    case "Read":
      return (
        <>
          <FilePath path={text(fields, "file_path")} detail={lineRange(fields)} />
          <Result result={result} output={output} />
        </>
      );
    default:
      return (
        <>
          <div className="tool-section-label">Input</div>
          <pre className="tool-pre" data-testid="tool-input">
            {JSON.stringify(input, null, 2)}
          </pre>
          <Result result={result} output={output} />
        </>
      );
  }
}

function warehouseOf(output: string): string | null {
  try {
    const parsed = JSON.parse(output) as { warehouse_id?: unknown };
    return typeof parsed.warehouse_id === "string" ? parsed.warehouse_id : null;
  } catch {
    return null;
  }
}

function lineRange(input: Input): string {
  const offset = typeof input.offset === "number" ? input.offset : null;
  const limit = typeof input.limit === "number" ? input.limit : null;
  if (offset === null && limit === null) return "from the start";
  const first = offset ?? 1;
  return limit === null ? `lines ${first}–end` : `lines ${first}–${first + limit - 1}`;
}

/** The result as text, with Copy, and links to any workspace resources it names. */
function Result({ result, output, label }: { result: ToolOutcome | null; output: string; label?: string }) {
  if (!result) return null;
  const links = result.isError ? [] : resourceLinks(output);
  return (
    <>
      {links.length > 0 && (
        <div className="resource-links" data-testid="resource-links">
          {links.map((link) => (
            <a key={link.url} href={link.url} target="_blank" rel="noreferrer noopener" data-testid="resource-link">
              Open {link.label} in the workspace ↗
            </a>
          ))}
        </div>
      )}
      <div className="tool-section-label">
        {label ?? (result.isError ? "Error" : "Result")}
        <CopyButton text={output} />
      </div>
      <pre className={`tool-pre${result.isError ? " error-text" : ""}`} data-testid="tool-result">
        {output || "(empty)"}
      </pre>
    </>
  );
}

function FilePath({ path, detail }: { path: string; detail?: string }) {
  return (
    <div className="tool-file" data-testid="tool-file">
      <code>{path}</code>
      {detail && <span className="muted"> · {detail}</span>}
    </div>
  );
}

function Diff({ lines, copyText }: { lines: ReturnType<typeof lineDiff>; copyText: string }) {
  const added = lines.filter((l) => l.kind === "add").length;
  const removed = lines.filter((l) => l.kind === "remove").length;
  return (
    <>
      <div className="tool-section-label">
        Changes <span className="diff-add-count">+{added}</span> <span className="diff-remove-count">−{removed}</span>
        <CopyButton text={copyText} />
      </div>
      <pre className="tool-pre diff" data-testid="tool-diff">
        {lines.map((line, i) => (
          <div key={i} className={`diff-line diff-${line.kind}`} data-kind={line.kind}>
            <span className="diff-sign" aria-hidden>
              {line.kind === "add" ? "+" : line.kind === "remove" ? "−" : " "}
            </span>
            {line.text || " "}
          </div>
        ))}
      </pre>
    </>
  );
}

function BashView({ command, result, output }: { command: string; result: ToolOutcome | null; output: string }) {
  const { output: printed, exitCode } = bashOutcome(output);
  return (
    <div className="terminal-block" data-testid="bash-block">
      <div className="terminal-head">
        <span className="muted">Terminal</span>
        <span className="spacer" />
        {exitCode !== null && (
          <span className={`exit-code${exitCode === 0 ? " ok" : " failed"}`} data-testid="exit-code">
            exit {exitCode}
          </span>
        )}
        {result?.durationMs != null && <span className="muted" data-testid="tool-duration">{duration(result.durationMs)}</span>}
        <CopyButton text={output ? `$ ${command}\n${printed}` : command} dark />
      </div>
      <pre className="terminal-text" data-testid="tool-result">
        <span className="terminal-prompt">$ </span>
        {command}
        {result && "\n"}
        {result && (exitCode === null ? output : printed)}
      </pre>
    </div>
  );
}

function SqlText({ sql }: { sql: string }) {
  const formatted = useMemo(() => formatSql(sql), [sql]);
  const tokens = useMemo(() => sqlTokens(formatted), [formatted]);
  if (!sql) return null;
  return (
    <>
      <div className="tool-section-label">
        SQL
        <CopyButton text={formatted} />
      </div>
      <pre className="tool-pre sql" data-testid="tool-sql">
        {tokens.map((t, i) => (t.kind === "plain" ? t.text : <span key={i} className={`sql-${t.kind}`}>{t.text}</span>))}
      </pre>
    </>
  );
}

/** A result as a table: sortable by any column (click its header), with its size, where it ran, how long, Copy and CSV. */
function SqlResult({ table, raw, warehouse, elapsedMs, title }: { table: Table | null; raw: string; warehouse: string; elapsedMs: number | null; title?: string }) {
  const [order, setOrder] = useState<SortOrder>(null);
  const rows = useMemo(() => (table ? sortRows(table.rows, order) : []), [table, order]);
  if (!table) {
    return (
      <>
        <div className="tool-section-label">
          Result
          <CopyButton text={raw} />
        </div>
        <pre className="tool-pre" data-testid="tool-result">
          {raw || "(empty)"}
        </pre>
      </>
    );
  }
  const csv = toCsv({ columns: table.columns, rows });
  const sortBy = (column: number) =>
    setOrder((o) => (o?.column !== column ? { column, descending: false } : o.descending ? null : { column, descending: true }));
  const download = () => {
    const url = URL.createObjectURL(new Blob([csv], { type: "text/csv;charset=utf-8" }));
    const a = document.createElement("a");
    a.href = url;
    a.download = "result.csv";
    document.body.appendChild(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(url), 1000);
  };
  return (
    <div className="sql-result" data-testid="sql-result">
      <div className="sql-meta">
        {title && <code className="sql-title">{title}</code>}
        <span data-testid="sql-row-count">
          {table.rows.length} {table.rows.length === 1 ? "row" : "rows"}
        </span>
        <span className="muted" data-testid="sql-warehouse">
          · warehouse {warehouse || "chosen automatically"}
        </span>
        {elapsedMs != null && <span className="muted" data-testid="sql-elapsed">· {duration(elapsedMs)}</span>}
        <span className="spacer" />
        <CopyButton text={csv.replace(/,/g, "\t")} label="Copy" />
        <button className="ghost small" onClick={download} data-testid="sql-csv">
          CSV
        </button>
      </div>
      <div className="sql-table-scroll">
        <table className="sql-table" data-testid="sql-table">
          <thead>
            <tr>
              {table.columns.map((c, i) => (
                <th key={i} aria-sort={order?.column === i ? (order.descending ? "descending" : "ascending") : "none"}>
                  <button className="sort-button" onClick={() => sortBy(i)} data-testid="sql-sort">
                    {c}
                    <span className="sort-mark" aria-hidden>
                      {order?.column === i ? (order.descending ? " ▾" : " ▴") : ""}
                    </span>
                  </button>
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {rows.map((row, r) => (
              <tr key={r}>
                {row.map((cell, c) => (
                  <td key={c} className={cell === "NULL" ? "muted" : undefined}>
                    {cell}
                  </td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {table.note && !/^\(\d+ rows?\)$/.test(table.note) && <div className="muted small">{table.note}</div>}
    </div>
  );
}
