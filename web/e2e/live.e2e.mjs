// A run followed live: streamed text, a tool card, the plan and the files panel appear while the
// run is still going; a reload in the middle and a second tab both continue it, and the answer
// ends up on screen exactly once, from the stored messages. A reader who scrolled up is not
// pulled down by new output until they jump to the latest.
//
// The model (BrowserTest.aRunIsFollowedLiveThroughAReloadAndFromASecondTabAndShowsItsAnswerOnce)
// first thinks, says "Let me look at the orders table first.", writes the plan (TodoWrite) and notes.md,
// then runs a Bash call that waits for gate "live"; once released it streams the answer, which
// ends "EMEA leads. The table is also in report.md.". The small model titles the conversation
// "Orders per region".
import assert from "node:assert/strict";
import {
  conversationIdOf,
  conversationItem,
  createProject,
  occurrences,
  release,
  runEnded,
  scenario,
  send,
  step,
} from "./browser.mjs";

const FIRST = "Let me look at the orders table first.";
const LAST = "EMEA leads.";

/** The state of the page while the run waits at the gate. */
async function showsTheRunInProgress(page, conversationId, what) {
  const live = page.getByTestId("live-run");
  await live.and(page.locator('[data-status="running"]')).waitFor();
  await live.getByTestId("assistant-text").filter({ hasText: FIRST }).waitFor();
  await live.locator('[data-testid="tool-card"][data-tool-name="Bash"][data-status="running"]').waitFor();
  await live.locator('[data-testid="tool-card"][data-tool-name="Write"][data-status="ok"]').waitFor();
  await page.getByTestId("todo-list").getByTestId("todo-item").nth(1).waitFor();
  await page.getByTestId("stop-button").waitFor();
  await conversationItem(page, conversationId).and(page.locator('[data-running="true"]')).waitFor();
  assert.equal(await occurrences(page, FIRST), 1, `${what}: the streamed text is shown once`);
  assert.equal(await live.getByTestId("thinking").count(), 1, `${what}: the thinking is shown once`);
  assert.equal(await page.getByTestId("message-user").count(), 1, `${what}: the question is shown once`);
  const plan = await page.getByTestId("todo-item").evaluateAll((items) => items.map((i) => `${i.dataset.status}: ${i.textContent}`));
  assert.deepEqual(plan, ["in_progress: ◐Count orders per region", "pending: ○Write notes.md"], `${what}: the plan`);
  step(`${what}: shows the run in progress`);
}

async function showsTheFinishedRun(page, conversationId, what) {
  await page.getByTestId("transcript").getByText(LAST).waitFor();
  await runEnded(page);
  await conversationItem(page, conversationId).and(page.locator('[data-running="false"]')).waitFor();
  for (const text of [FIRST, LAST, "1,204"]) {
    assert.equal(await occurrences(page, text), 1, `${what}: "${text}" is shown once`);
  }
  assert.equal(await page.getByTestId("message-user").count(), 1, `${what}: the question is shown once`);
  assert.equal(await page.getByTestId("message-assistant").count(), 1, `${what}: one answer`);
  const bash = page.locator('[data-testid="tool-card"][data-tool-name="Bash"]');
  assert.equal(await bash.getAttribute("data-status"), "ok", `${what}: the Bash call finished`);
  await conversationItem(page, conversationId).filter({ hasText: "Orders per region" }).waitFor();
  step(`${what}: shows the finished run once`);
}

await scenario("a run followed live, through a reload and from a second tab", async ({ context, page }) => {
  await createProject(page, "Orders");
  await page.getByTestId("panel-files").click();
  await page.getByTestId("files-tree").getByText("CLAUDE.md").waitFor();

  await send(page, "How many orders per region?");
  await page.waitForURL(/\/conversations\//);
  const conversationId = conversationIdOf(page);
  await showsTheRunInProgress(page, conversationId, "first tab");
  // The Write call changed the project's files: the open panel shows the new file at once.
  await page.getByTestId("files-tree").getByText("notes.md").waitFor();

  const second = await context.newPage();
  await second.goto(page.url());
  await showsTheRunInProgress(second, conversationId, "second tab");

  // In a short window the second tab's reader scrolls up: new output must not pull them down.
  await second.setViewportSize({ width: 1100, height: 480 });
  const transcript = second.getByTestId("transcript");
  // Following the run, the shrunk transcript keeps its bottom in view.
  await second.waitForFunction(() => {
    const el = document.querySelector('[data-testid="transcript"]');
    return el && el.scrollHeight > el.clientHeight + 120 && el.scrollHeight - el.scrollTop - el.clientHeight < 2;
  });
  await transcript.evaluate((el) => el.scrollTo({ top: 0 }));
  await second.getByTestId("jump-to-latest").waitFor();

  await page.reload();
  await showsTheRunInProgress(page, conversationId, "first tab after a reload");

  release("live");
  await showsTheFinishedRun(page, conversationId, "first tab");
  await second.getByTestId("transcript").getByText(LAST).waitFor();
  await runEnded(second);
  assert.equal(await transcript.evaluate((el) => el.scrollTop), 0, "the answer did not pull the reader down");
  await second.getByTestId("jump-to-latest").click();
  await second.getByTestId("jump-to-latest").waitFor({ state: "detached" });
  await second.waitForFunction(() => {
    const el = document.querySelector('[data-testid="transcript"]');
    return el.scrollHeight - el.scrollTop - el.clientHeight <= 48;
  });
  step("second tab: scrolling up paused auto-scroll, and jump to latest went back down");
  await showsTheFinishedRun(second, conversationId, "second tab");

  // A reload after the end shows the same, from the stored messages alone.
  await page.reload();
  await showsTheFinishedRun(page, conversationId, "first tab reloaded after the end");
});
