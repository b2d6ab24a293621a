import { describe, expect, it } from "vitest";
import { bashOutcome, formatSql, lineDiff, markdownTable, multiTables, resourceLinks, sortRows, sqlTokens, toCsv } from "./toolData";

describe("tool data", () => {
  it("reads execute_sql's markdown table, escaped pipes included, and the line after it", () => {
    const table = markdownTable("| region | note |\n|---|---|\n| EMEA | a \\| b |\n| APAC | NULL |\n\n(2 rows)");
    expect(table).toEqual({ columns: ["region", "note"], rows: [["EMEA", "a | b"], ["APAC", "NULL"]], note: "(2 rows)" });
    expect(markdownTable("Statement succeeded (no result set).")).toBeNull();
  });

  it("reads execute_sql_multi's sample rows per statement", () => {
    const out = JSON.stringify({ warehouse_id: "w1", results: [{ index: 1, sql: "CREATE TABLE t", status: "SUCCEEDED" }, { index: 2, sql: "SELECT 1 AS n", columns: ["n"], sample_rows: [{ n: 1 }], elapsed_ms: 12, more_rows: false }] });
    expect(multiTables(out)).toEqual([{ sql: "SELECT 1 AS n", table: { columns: ["n"], rows: [["1"]], note: "(1 row)" }, elapsedMs: 12 }]);
  });

  it("sorts numbers as numbers, text as text, and NULL last", () => {
    const rows = [["b", "10"], ["a", "9"], ["c", "NULL"], ["d", "1,200"]];
    expect(sortRows(rows, { column: 1, descending: false }).map((r) => r[0])).toEqual(["a", "b", "d", "c"]);
    expect(sortRows(rows, { column: 1, descending: true }).map((r) => r[0])).toEqual(["d", "b", "a", "c"]);
    expect(sortRows(rows, { column: 0, descending: true }).map((r) => r[0])).toEqual(["d", "c", "b", "a"]);
    expect(sortRows(rows, null)).toBe(rows);
  });

  it("writes CSV with quoted fields where needed", () => {
    expect(toCsv({ columns: ["a", "b"], rows: [["x,y", 'say "hi"'], ["1", "2"]] })).toBe('a,b\r\n"x,y","say ""hi"""\r\n1,2\r\n');
  });

  it("lays out one-line SQL a clause a line and leaves laid-out SQL alone", () => {
    expect(formatSql("SELECT region, count(*) FROM t WHERE x = 1 GROUP BY region ORDER BY 2 DESC LIMIT 5")).toBe(
      "SELECT region, count(*)\nFROM t\nWHERE x = 1\nGROUP BY region\nORDER BY 2 DESC\nLIMIT 5",
    );
    expect(formatSql("SELECT 1\n  FROM t")).toBe("SELECT 1\n  FROM t");
  });

  it("tokenizes SQL without losing a character", () => {
    const sql = "SELECT 'it''s', 42 -- note\nFROM t";
    const tokens = sqlTokens(sql);
    expect(tokens.map((t) => t.text).join("")).toBe(sql);
    expect(tokens.filter((t) => t.kind === "keyword").map((t) => t.text)).toEqual(["SELECT", "FROM"]);
    expect(tokens.find((t) => t.kind === "string")?.text).toBe("'it''s'");
    expect(tokens.find((t) => t.kind === "comment")?.text).toBe("-- note");
  });

  it("finds Bash's exit code at the end of its result", () => {
    expect(bashOutcome("7 report.md\n\nExit code: 0")).toEqual({ output: "7 report.md", exitCode: 0 });
    expect(bashOutcome("(no output)\n\nExit code: 2")).toEqual({ output: "", exitCode: 2 });
    expect(bashOutcome("The command timed out")).toEqual({ output: "The command timed out", exitCode: null });
  });

  it("diffs lines", () => {
    expect(lineDiff("a\nb\nc", "a\nB\nc\nd")).toEqual([
      { kind: "same", text: "a" },
      { kind: "remove", text: "b" },
      { kind: "add", text: "B" },
      { kind: "same", text: "c" },
      { kind: "add", text: "d" },
    ]);
    expect(lineDiff("", "new\n")).toEqual([{ kind: "add", text: "new" }]);
  });

  it("links the workspace resources a result names, once each", () => {
    const result = JSON.stringify({ job_id: 7, created: true, url: "https://example.cloud.databricks.com/jobs/7", runs: [{ url: "https://example.cloud.databricks.com/jobs/7" }] });
    expect(resourceLinks(result)).toEqual([{ label: "job 7", url: "https://example.cloud.databricks.com/jobs/7" }]);
    expect(resourceLinks("not json")).toEqual([]);
    expect(resourceLinks('{"url": "javascript:alert(1)"}')).toEqual([]);
  });
});
