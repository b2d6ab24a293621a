// Tool cards rendered for what each tool did: execute_sql's result as a sortable table with its
// row count, warehouse, time, Copy and a CSV download; the SQL laid out and highlighted; Write
// and Edit as diffs; Read as a path and line range; Bash as a terminal block with its exit code
// and duration, which stay after a reload; a created job's link into the workspace.
//
// The model (BrowserTest.toolCardsShowSqlAsATableFileChangesAsDiffsAndBashAsATerminal) runs
// SELECT region, orders FROM main.sales.regions on the fake workspace, writes and edits
// notes.md, reads it, runs `grep -c EMEA notes.md; exit 3`, creates a job and answers.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { createProject, runEnded, scenario, screenshots, send, step } from "./browser.mjs";

const card = (page, name) => page.getByTestId("message-assistant").locator(`[data-testid="tool-card"][data-tool-name="${name}"]`);
const open = async (page, name) => {
  await card(page, name).locator(".tool-head").click();
  return card(page, name).locator(".tool-body");
};
const column = (table, n) => table.locator("tbody tr").evaluateAll((rows, n) => rows.map((r) => r.children[n].textContent), n);

await scenario("tool cards for what they are", async ({ page, context }) => {
  await context.grantPermissions(["clipboard-read", "clipboard-write"]);
  await createProject(page, "Regions");
  await send(page, "Orders per region, and keep notes.");
  await page.waitForURL(/\/conversations\//);
  await page.getByTestId("transcript").getByText("the notes are in notes.md").waitFor();
  await runEnded(page);

  // SQL: laid out a clause a line, highlighted, and its result a real table.
  const sql = await open(page, "execute_sql");
  assert.match(await sql.getByTestId("tool-sql").innerText(), /SELECT region, orders\nFROM main\.sales\.regions\nORDER BY region/);
  await sql.getByTestId("tool-sql").locator(".sql-keyword").filter({ hasText: "SELECT" }).waitFor();
  const table = sql.getByTestId("sql-table");
  assert.deepEqual(await column(table, 0), ["AMER", "APAC", "EMEA", "LATAM"]);
  assert.equal(await sql.getByTestId("sql-row-count").innerText(), "4 rows");
  assert.match(await sql.getByTestId("sql-warehouse").innerText(), /wh-analytics/);
  await sql.getByTestId("sql-elapsed").waitFor();
  step("the SQL card shows the statement and a table of 4 rows");

  // Sorting: by orders ascending (as numbers, not text), then descending, then back as it came.
  const orders = table.getByTestId("sql-sort").nth(1);
  await orders.click();
  assert.deepEqual(await column(table, 1), ["98", "611", "1102", "1204"]);
  await orders.click();
  assert.deepEqual(await column(table, 1), ["1204", "1102", "611", "98"]);
  assert.equal(await table.locator("th").nth(1).getAttribute("aria-sort"), "descending");
  step("the table sorts by a column both ways");

  // CSV: the rows in the order shown.
  const [download] = await Promise.all([page.waitForEvent("download"), sql.getByTestId("sql-csv").click()]);
  const csv = readFileSync(await download.path(), "utf8");
  assert.equal(csv, "region,orders\r\nEMEA,1204\r\nAMER,1102\r\nAPAC,611\r\nLATAM,98\r\n");
  assert.equal(download.suggestedFilename(), "result.csv");
  await sql.getByTestId("copy").first().click();
  assert.match(await page.evaluate(() => navigator.clipboard.readText()), /SELECT region, orders/);
  step("CSV download and Copy");
  await page.screenshot({ path: join(screenshots, "sql-result.png") });

  // Write: every line added; Edit: one line out, one in; Read: the path and the lines read.
  const write = await open(page, "Write");
  const writeKinds = await write.getByTestId("tool-diff").locator(".diff-line").evaluateAll((els) => els.map((e) => e.dataset.kind));
  assert.deepEqual(writeKinds, ["add", "add", "add", "add"]);
  const edit = await open(page, "Edit");
  const editLines = await edit.getByTestId("tool-diff").locator(".diff-line").evaluateAll((els) => els.map((e) => `${e.dataset.kind}:${e.textContent.slice(1)}`));
  assert.deepEqual(editLines, ["remove:APAC is third.", "add:APAC is third, LATAM last."]);
  const read = await open(page, "Read");
  assert.match(await read.getByTestId("tool-file").innerText(), /notes\.md · lines 2–4/);
  step("Write and Edit show diffs, Read its line range");

  // Bash: the command as a terminal block, its exit code, its duration, kept after a reload.
  const checkBash = async () => {
    const bash = await open(page, "Bash");
    assert.equal(await card(page, "Bash").getAttribute("data-status"), "error");
    assert.equal(await bash.getByTestId("exit-code").innerText(), "exit 3");
    assert.match(await bash.getByTestId("tool-result").innerText(), /^\$ grep -c EMEA notes\.md; exit 3\n1/);
    await bash.getByTestId("tool-duration").waitFor();
  };
  await checkBash();
  await page.reload();
  await page.getByTestId("transcript").getByText("the notes are in notes.md").waitFor();
  await checkBash();
  step("Bash shows its exit code and duration, also from the stored messages");

  // A created job links to itself in the workspace.
  const job = await open(page, "manage_jobs");
  const link = job.getByTestId("resource-link");
  assert.match(await link.getAttribute("href"), /^https?:\/\/.*\/jobs\/\d+/);
  assert.match(await link.innerText(), /Open job \d+ in the workspace/);
  step("the job card links to the job");
}, { viewport: { width: 1360, height: 900 } });
