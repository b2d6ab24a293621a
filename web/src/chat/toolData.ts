// What a tool card shows, read from a call's input and its result text: the rows of a SQL
// result, a Bash command's exit code, a file edit as a diff, links to workspace resources.
// Pure functions, so the cards stay thin and these are tested beside them.

export interface Table {
  columns: string[];
  rows: string[][];
  /** The line after the table, such as "(3 rows)" or a truncation note; "" when none. */
  note: string;
}

/**
 * The first markdown table in `text` (execute_sql's default output): header, separator, rows.
 * Cells escape "|" as "\|" and "\" as "\\". Null when there is no table.
 */
export function markdownTable(text: string): Table | null {
  const lines = text.split("\n");
  const start = lines.findIndex((line, i) => line.startsWith("|") && /^\|(\s*:?-+:?\s*\|)+\s*$/.test(lines[i + 1] ?? ""));
  if (start < 0) return null;
  const columns = cells(lines[start]);
  const rows: string[][] = [];
  let i = start + 2;
  for (; i < lines.length && lines[i].startsWith("|"); i++) rows.push(cells(lines[i]));
  const note = lines.slice(i).join("\n").trim();
  return { columns, rows, note };
}

function cells(line: string): string[] {
  const out: string[] = [];
  let cell = "";
  for (let i = 1; i < line.length; i++) {
    const c = line[i];
    if (c === "\\" && i + 1 < line.length) {
      cell += line[++i];
    } else if (c === "|") {
      out.push(cell.trim());
      cell = "";
    } else {
      cell += c;
    }
  }
  return out;
}

/** execute_sql_multi's JSON: one table per statement that returned columns. */
export function multiTables(text: string): { sql: string; table: Table; elapsedMs: number | null }[] {
  const parsed = parseJson(text) as { results?: unknown } | null;
  if (!parsed || !Array.isArray(parsed.results)) return [];
  const out: { sql: string; table: Table; elapsedMs: number | null }[] = [];
  for (const entry of parsed.results as Record<string, unknown>[]) {
    if (!Array.isArray(entry.columns)) continue;
    const columns = (entry.columns as unknown[]).map(String);
    const sample = Array.isArray(entry.sample_rows) ? (entry.sample_rows as Record<string, unknown>[]) : [];
    const rows = sample.map((row) => columns.map((c) => (row[c] === null || row[c] === undefined ? "NULL" : String(row[c]))));
    const note = entry.more_rows ? `(first ${rows.length} rows of more)` : `(${rows.length} ${rows.length === 1 ? "row" : "rows"})`;
    out.push({ sql: String(entry.sql ?? ""), table: { columns, rows, note }, elapsedMs: typeof entry.elapsed_ms === "number" ? entry.elapsed_ms : null });
  }
  return out;
}

export type SortOrder = { column: number; descending: boolean } | null;

/** Rows sorted by one column: numbers as numbers, NULL last, else text in the reader's locale. */
export function sortRows(rows: string[][], order: SortOrder): string[][] {
  if (!order) return rows;
  const { column, descending } = order;
  const numeric = rows.every((r) => r[column] === "NULL" || r[column] === "" || Number.isFinite(Number(r[column].replace(/,/g, ""))));
  const sorted = rows.slice().sort((a, b) => {
    const x = a[column] ?? "";
    const y = b[column] ?? "";
    if (x === "NULL" || y === "NULL") return x === y ? 0 : x === "NULL" ? 1 : -1;
    const by = numeric ? Number(x.replace(/,/g, "")) - Number(y.replace(/,/g, "")) : x.localeCompare(y);
    return descending ? -by : by;
  });
  return sorted;
}

/** RFC 4180 CSV: fields with a comma, quote or line break are quoted, quotes doubled; CRLF lines. */
export function toCsv(table: Pick<Table, "columns" | "rows">): string {
  const field = (value: string) => (/[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value);
  return [table.columns, ...table.rows].map((row) => row.map(field).join(",")).join("\r\n") + "\r\n";
}

/** The keywords a statement is broken before when it arrives on one line. */
const CLAUSES = /\s+(?=(?:SELECT|FROM|WHERE|GROUP BY|ORDER BY|HAVING|LIMIT|UNION(?: ALL)?|(?:LEFT |RIGHT |INNER |FULL |CROSS )?(?:OUTER )?JOIN|ON|VALUES|SET|WITH)\b)/gi;

/** A statement laid out one clause a line, unless its author already laid it out. */
export function formatSql(sql: string): string {
  const trimmed = sql.trim();
  if (trimmed.includes("\n")) return trimmed;
  return trimmed.replace(CLAUSES, "\n").replace(/^\n/, "");
}

export type SqlToken = { kind: "keyword" | "string" | "number" | "comment" | "plain"; text: string };

const KEYWORDS = new Set(
  ("select from where group by order having limit union all join left right inner full outer cross on as and or not in is null " +
    "like between case when then else end distinct insert into values update set delete create replace table view schema catalog " +
    "with drop alter asc desc count sum avg min max cast if exists over partition merge using matched grant to show describe")
    .split(" "),
);

/** Splits SQL into tokens for highlighting; joined back they are the input, unchanged. */
export function sqlTokens(sql: string): SqlToken[] {
  const tokens: SqlToken[] = [];
  const pattern = /(--[^\n]*|\/\*[\s\S]*?\*\/)|('(?:[^']|'')*'?|"(?:[^"]|"")*"?|`[^`]*`?)|(\b\d+(?:\.\d+)?\b)|([A-Za-z_][A-Za-z0-9_]*)|([\s\S])/g;
  for (const m of sql.matchAll(pattern)) {
    const kind = m[1] ? "comment" : m[2] ? "string" : m[3] ? "number" : m[4] && KEYWORDS.has(m[4].toLowerCase()) ? "keyword" : "plain";
    const last = tokens[tokens.length - 1];
    if (kind === "plain" && last?.kind === "plain") last.text += m[0];
    else tokens.push({ kind, text: m[0] });
  }
  return tokens;
}

/** Bash's result ends "Exit code: N"; the output is what comes before it. */
export function bashOutcome(result: string): { output: string; exitCode: number | null } {
  const match = /\n*Exit code: (\d+)(\n[\s\S]*)?$/.exec(result);
  if (!match) return { output: result, exitCode: null };
  const output = result.slice(0, match.index);
  return { output: output === "(no output)" ? "" : output, exitCode: Number(match[1]) };
}

export type DiffLine = { kind: "add" | "remove" | "same"; text: string };

/**
 * A line diff of `before` and `after` (longest common subsequence; inputs past a few thousand
 * lines are shown as a whole removal and addition, which is still correct, only coarser).
 */
export function lineDiff(before: string, after: string): DiffLine[] {
  // A file's final line break ends its last line; it does not begin an empty one.
  const a = before === "" ? [] : before.replace(/\n$/, "").split("\n");
  const b = after === "" ? [] : after.replace(/\n$/, "").split("\n");
  if (a.length * b.length > 4_000_000) {
    return [...a.map((text) => ({ kind: "remove" as const, text })), ...b.map((text) => ({ kind: "add" as const, text }))];
  }
  const n = a.length;
  const m = b.length;
  const lcs: number[][] = Array.from({ length: n + 1 }, () => new Array<number>(m + 1).fill(0));
  for (let i = n - 1; i >= 0; i--) for (let j = m - 1; j >= 0; j--) lcs[i][j] = a[i] === b[j] ? lcs[i + 1][j + 1] + 1 : Math.max(lcs[i + 1][j], lcs[i][j + 1]);
  const out: DiffLine[] = [];
  let i = 0;
  let j = 0;
  while (i < n || j < m) {
    if (i < n && j < m && a[i] === b[j]) {
      out.push({ kind: "same", text: a[i] });
      i++;
      j++;
    } else if (i < n && (j >= m || lcs[i + 1][j] >= lcs[i][j + 1])) {
      out.push({ kind: "remove", text: a[i++] });
    } else {
      out.push({ kind: "add", text: b[j++] });
    }
  }
  return out;
}

/** Links to workspace resources a tool made or touched: every "url" field of its JSON result. */
export function resourceLinks(result: string): { label: string; url: string }[] {
  const parsed = parseJson(result);
  const links: { label: string; url: string }[] = [];
  const visit = (node: unknown) => {
    if (!node || typeof node !== "object") return;
    if (Array.isArray(node)) return node.forEach(visit);
    const record = node as Record<string, unknown>;
    if (typeof record.url === "string" && /^https?:\/\//.test(record.url)) links.push({ label: resourceLabel(record), url: record.url });
    Object.values(record).forEach(visit);
  };
  visit(parsed);
  return links.filter((link, i) => links.findIndex((l) => l.url === link.url) === i);
}

function resourceLabel(record: Record<string, unknown>): string {
  for (const key of ["job_id", "pipeline_id", "cluster_id", "warehouse_id", "run_id", "full_name", "path", "name"]) {
    if (record[key] !== undefined && record[key] !== null) return `${key.replace(/_id$/, "").replace(/_/g, " ")} ${String(record[key])}`;
  }
  return "resource";
}

function parseJson(text: string): unknown {
  const trimmed = text.trim();
  if (!trimmed.startsWith("{") && !trimmed.startsWith("[")) return null;
  try {
    return JSON.parse(trimmed);
  } catch {
    return null;
  }
}
