// A conversation run by the Claude Code CLI (the claude-code runtime), followed live through a
// reload: the Settings panel offers the runtime, the run streams and shows its Bash call running,
// a reload in the middle continues it, and the answer ends up on screen exactly once.
//
// The model (BrowserTest.aClaudeCodeRunFollowedThroughAReloadShowsItsAnswerOnce) says "Checking
// with Claude Code first." and runs a Bash call (Claude Code's own) that waits for gate
// "claude-code"; once released it answers "Claude Code is done.".
import assert from "node:assert/strict";
import { createProject, occurrences, release, runEnded, scenario, send, step } from "./browser.mjs";

const FIRST = "Checking with Claude Code first.";
const LAST = "Claude Code is done.";

await scenario("a Claude Code run through a reload", async ({ page }) => {
  await createProject(page, "Claude Code");
  if (!(await page.getByTestId("side-panel-settings").count())) await page.getByTestId("panel-settings").click();
  const picker = page.getByTestId("settings-runtime");
  await picker.locator('option[value="claude-code"]:not([disabled])').waitFor({ state: "attached" });
  await picker.selectOption("claude-code");
  step("chose Claude Code in the Settings panel");

  await send(page, "Check with Claude Code");
  await page.waitForURL(/\/conversations\//);
  const live = page.getByTestId("live-run");
  await live.getByTestId("assistant-text").filter({ hasText: FIRST }).waitFor();
  await live.locator('[data-testid="tool-card"][data-tool-name="Bash"][data-status="running"]').waitFor();
  step("the run streams and its Bash call is running");

  await page.reload();
  await live.locator('[data-testid="tool-card"][data-tool-name="Bash"][data-status="running"]').waitFor();
  assert.equal(await occurrences(page, FIRST), 1, "after the reload the streamed text is shown once");
  step("after the reload the run continues");

  release("claude-code");
  await page.getByTestId("transcript").getByText(LAST).waitFor();
  await runEnded(page);
  for (const text of [FIRST, LAST]) {
    assert.equal(await occurrences(page, text), 1, `"${text}" is shown once`);
  }
  assert.equal(await page.getByTestId("message-user").count(), 1, "the question is shown once");
  assert.equal(await page.getByTestId("message-assistant").count(), 1, "one answer");
  assert.equal(await page.getByTestId("settings-runtime").inputValue(), "claude-code", "the conversation keeps its runtime");
  step("the answer is shown once, from the stored messages");
});
