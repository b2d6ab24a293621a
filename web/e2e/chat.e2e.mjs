// A finished run as the page shows it from the stored messages: the thinking, the text of every
// turn once, the tool cards with their results, the final plan and the markdown answer; then the
// side panels (a skill's SKILL.md shown as its name and description, then its body). Saves the screenshots of the main views (home, chat, settings, files, skills).
//
// The model (BrowserTest.aFinishedRunShowsItsThinkingMarkdownToolCardsAndPlanAndThePanelsShowTheProject)
// thinks and plans (TodoWrite), writes report.md, checks it with `wc -l report.md` and answers
// with a markdown table and an SQL block that ends "EMEA leads. The table is also in report.md.".
import assert from "node:assert/strict";
import { join } from "node:path";
import { apiCall, baseUrl, createProject, occurrences, projectItem, runEnded, scenario, screenshots, send, step } from "./browser.mjs";

const shot = (page, name) => page.screenshot({ path: join(screenshots, `${name}.png`) }).then(() => step(`screenshot ${name}.png`));

await scenario("a finished run, the side panels and the screenshots", async ({ page }) => {
  // A second project, so the home page is not a lone card.
  await apiCall("POST", "/api/projects", { name: "Pipeline migration" });
  await createProject(page, "Sales analysis");
  await send(page, "How many orders per region? Write a short report.");
  await page.waitForURL(/\/conversations\//);
  await page.getByTestId("transcript").getByText("EMEA leads.").waitFor();
  await runEnded(page);

  const answer = page.getByTestId("message-assistant");
  assert.equal(await answer.count(), 1, "one assistant turn for the whole run");
  for (const text of ["I'll plan this first.", "Writing the report.", "EMEA leads."]) {
    assert.equal(await occurrences(page, text), 1, `"${text}" is shown once`);
  }
  assert.equal(await answer.getByTestId("thinking").count(), 1, "the thinking is shown once");
  const cards = await answer.getByTestId("tool-card").evaluateAll((els) => els.map((e) => `${e.dataset.toolName}:${e.dataset.status}`));
  assert.deepEqual(cards, ["TodoWrite:ok", "Write:ok", "TodoWrite:ok", "Bash:ok", "TodoWrite:ok"]);
  // Markdown: a table with three rows, bold text, an SQL code block.
  assert.equal(await answer.locator(".assistant-text table tbody tr").count(), 3);
  await answer.locator(".assistant-text strong").filter({ hasText: "region" }).waitFor();
  await answer.getByTestId("code-block").filter({ hasText: "GROUP BY region" }).waitFor();
  // The plan as the run left it.
  const plan = answer.getByTestId("turn-plan").getByTestId("todo-item");
  assert.deepEqual(await plan.evaluateAll((els) => els.map((e) => e.dataset.status)), ["completed", "completed", "completed"]);
  assert.equal(await page.getByTestId("todo-list").count(), 0, "no live plan once the run is over");
  await answer.getByTestId("usage").waitFor();

  // The Bash card opens onto its command and output, and closes again.
  const bash = answer.locator('[data-testid="tool-card"][data-tool-name="Bash"] .tool-head');
  await bash.click();
  await answer.getByTestId("tool-result").filter({ hasText: "7 report.md" }).waitFor();
  await bash.click();
  await answer.getByTestId("tool-result").waitFor({ state: "detached" });
  await page.getByTestId("transcript").evaluate((el) => el.scrollTo({ top: el.scrollHeight }));
  await page.getByTestId("jump-to-latest").waitFor({ state: "detached" });

  // The chat with no side panel, then each panel.
  if (await page.getByTestId("side-panel-settings").count()) await page.getByTestId("panel-settings").click();
  await page.getByTestId("side-panel-settings").waitFor({ state: "detached" });
  await shot(page, "chat");

  await page.getByTestId("panel-settings").click();
  await page.getByTestId("settings-warehouse").waitFor();
  await page.getByTestId("settings-catalog").waitFor();
  await shot(page, "settings-panel");

  await page.getByTestId("panel-files").click();
  await page.getByTestId("files-tree").getByText("report.md").click();
  await page.getByTestId("file-viewer").locator("table tbody tr").nth(2).waitFor();
  await shot(page, "files-panel");

  await page.getByTestId("panel-skills").click();
  await page.getByTestId("skills-list").getByTestId("skill-item").first().waitFor();
  // A SKILL.md shows its name and description, then its body; the front matter is no heading.
  await page.getByTestId("skills-tree").getByText("SKILL.md").first().click();
  const viewer = page.getByTestId("skill-viewer");
  await viewer.getByTestId("skill-front-matter").waitFor();
  assert.equal(await viewer.locator(".markdown h1, .markdown h2").filter({ hasText: /name:|description:/ }).count(), 0);
  assert.equal(await viewer.locator(".markdown").getByText(/^---$/).count(), 0);
  await shot(page, "skills-panel");

  await page.goto(baseUrl() + "/");
  await projectItem(page, "Sales analysis").getByTestId("recent-conversation").filter({ hasText: "Orders per region" }).waitFor();
  await projectItem(page, "Pipeline migration").waitFor();
  await shot(page, "home");
}, { viewport: { width: 1440, height: 1000 } });
