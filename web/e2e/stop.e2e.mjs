// Stopping runs: one whose model call failed and is being retried (stop button), one while the
// model writes (Esc), one running a long command (stop button). Each ends marked "Stopped" in
// neutral grey (no error, no "(stopped)" placeholder), keeps what it produced, and leaves the
// composer ready; the card of a command cut short says "stopped", not "error".
//
// The model (BrowserTest.aRetriedModelCallDropsItsDraftAndRunsStopWithTheButtonAndWithEsc) first
// streams "A draft that is thrown away." and fails with overloaded_error, to be retried after a
// minute. The second run streams "Counting the rows…" and then nothing. The third says "Running the long command." and runs a Bash call that waits for gate
// "never", which is never released.
import assert from "node:assert/strict";
import { conversationIdOf, conversationItem, createProject, occurrences, runEnded, scenario, send, step } from "./browser.mjs";

/** Starts a new conversation with `text`; returns its id once the page has moved to it. */
async function newConversation(page, previous, text) {
  await page.getByTestId("new-conversation-button").click();
  await page.getByTestId("chat-empty").waitFor();
  await send(page, text);
  await page.waitForURL((url) => url.pathname.includes("/conversations/") && !url.pathname.endsWith(previous));
  return conversationIdOf(page);
}

/** The stored turn says it stopped once, in grey, and neither as an error nor with the "(stopped)" placeholder. */
async function stoppedOnce(page) {
  const answer = page.getByTestId("message-assistant");
  await answer.getByTestId("run-stopped").waitFor();
  assert.equal(await answer.getByTestId("run-stopped").count(), 1);
  assert.equal(await occurrences(page, "(stopped)"), 0, "no placeholder text");
  assert.equal(await occurrences(page, "Stopped."), 0, "said once, not twice");
  const [colour, danger, muted] = await answer.getByTestId("run-stopped").evaluate((el) => {
    const probe = (value) => {
      const span = document.body.appendChild(document.createElement("span"));
      span.style.color = value;
      const rgb = getComputedStyle(span).color;
      span.remove();
      return rgb;
    };
    return [getComputedStyle(el).color, probe("var(--danger)"), probe("var(--muted)")];
  });
  assert.notEqual(colour, danger, "not in the error colour");
  assert.equal(colour, muted, "in the neutral grey");
  assert.equal(await answer.evaluate((el) => el.classList.contains("turn-error")), false, "the turn is not an error");
}

await scenario("stopping runs with the button and with Esc", async ({ page }) => {
  await createProject(page, "Stops");

  await send(page, "Count the rows");
  await page.waitForURL(/\/conversations\//);
  const first = conversationIdOf(page);
  // The retry wipes the draft and says it is retrying, while the run goes on.
  await page.getByTestId("run-retrying").filter({ hasText: "attempt 2" }).waitFor();
  assert.equal(await occurrences(page, "A draft that"), 0, "the failed attempt's draft is gone");
  assert.equal(await page.getByTestId("live-run").getAttribute("data-status"), "running");
  assert.equal(await page.getByTestId("run-error").count(), 0, "a retry is not an error");
  step("the retry dropped the draft");

  await page.getByTestId("stop-button").click();
  await runEnded(page);
  await stoppedOnce(page);
  await conversationItem(page, first).and(page.locator('[data-running="false"]')).waitFor();
  assert.equal(await occurrences(page, "A draft that"), 0);
  step("the stop button stopped the run");

  // Stopped while the model writes: what it wrote so far stays, also once the run is stored.
  const second = await newConversation(page, first, "Count them slowly");
  await page.getByTestId("live-run").getByText("Counting the rows").waitFor();
  await page.keyboard.press("Escape");
  await runEnded(page);
  await stoppedOnce(page);
  assert.equal(await occurrences(page, "Counting the rows"), 1, "the text streamed before the stop is kept");
  await conversationItem(page, second).and(page.locator('[data-running="false"]')).waitFor();
  step("Esc stopped the run and kept its text");

  // Stopped while a command runs: the command is killed and its card says so.
  const third = await newConversation(page, second, "Run the long command");
  await page.locator('[data-testid="live-run"] [data-testid="tool-card"][data-tool-name="Bash"][data-status="running"]').waitFor();
  await conversationItem(page, third).and(page.locator('[data-running="true"]')).waitFor();
  await page.getByTestId("stop-button").click();
  await runEnded(page);
  const answer = page.getByTestId("message-assistant");
  await stoppedOnce(page);
  assert.equal(await answer.locator('[data-testid="tool-card"][data-tool-name="Bash"]').getAttribute("data-status"), "stopped",
    "the killed command was stopped, not failed");
  await answer.locator('[data-testid="tool-card"][data-tool-name="Bash"] .tool-head').click();
  await answer.getByTestId("tool-result").filter({ hasText: "The run was cancelled" }).waitFor();
  assert.equal(await occurrences(page, "Running the long command."), 1);
  await conversationItem(page, third).and(page.locator('[data-running="false"]')).waitFor();
  step("the stop button stopped the command");

  // The composer takes a new message at once.
  await page.getByTestId("composer-input").fill("ready");
  assert.equal(await page.getByTestId("send-button").isEnabled(), true);
});
