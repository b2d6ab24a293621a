// Actions on messages: Copy on each, Regenerate on the last answer, Edit on a question (the
// history is cut back to it and it is sent again), and Retry on a run that ended in an error.
//
// The model (BrowserTest.anAnswerIsRegeneratedAQuestionEditedAndResentAndAFailedRunRetried)
// answers "First answer.", then "Second answer.", then "Answer to the edited question.", then
// refuses a request with an error that is not retried, then "Recovered answer.".
import assert from "node:assert/strict";
import { createProject, occurrences, runEnded, scenario, send, step } from "./browser.mjs";

await scenario("copy, regenerate, edit and resend, retry", async ({ page, context }) => {
  await context.grantPermissions(["clipboard-read", "clipboard-write"]);
  await createProject(page, "Actions");
  await send(page, "Say something.");
  await page.waitForURL(/\/conversations\//);
  await page.getByTestId("transcript").getByText("First answer.").waitFor();
  await runEnded(page);

  // Copy on the question and on the answer.
  await page.getByTestId("message-user").getByTestId("copy-message").click();
  assert.equal(await page.evaluate(() => navigator.clipboard.readText()), "Say something.");
  await page.getByTestId("message-assistant").getByTestId("copy-message").click();
  assert.equal(await page.evaluate(() => navigator.clipboard.readText()), "First answer.");
  step("Copy on both messages");

  // Regenerate: the answer is replaced, the question stays once.
  await page.getByTestId("regenerate").click();
  await page.getByTestId("transcript").getByText("Second answer.").waitFor();
  await runEnded(page);
  assert.equal(await occurrences(page, "First answer."), 0, "the regenerated answer replaces the first");
  assert.equal(await page.getByTestId("message-user").count(), 1);
  step("Regenerate replaced the answer");

  // Edit and resend: the question changes and the old answer goes, also after a reload.
  await page.getByTestId("message-user").getByTestId("edit-message").click();
  await page.getByTestId("edit-input").fill("Say something else.");
  await page.getByTestId("edit-send").click();
  await page.getByTestId("transcript").getByText("Answer to the edited question.").waitFor();
  await runEnded(page);
  await page.reload();
  await page.getByTestId("transcript").getByText("Answer to the edited question.").waitFor();
  assert.deepEqual(await page.getByTestId("message-user").locator(".bubble").allInnerTexts(), ["Say something else."]);
  assert.equal(await occurrences(page, "Second answer."), 0);
  step("Edit resent the question and dropped the old answer");

  // An error offers Retry; retrying replaces the failed turn with the answer.
  await send(page, "Now fail.");
  const failed = page.getByTestId("message-assistant").last();
  await failed.getByTestId("retry-run").waitFor();
  assert.match(await failed.innerText(), /The request was refused/);
  assert.equal(await page.getByTestId("regenerate").count(), 0, "an error offers Retry, not Regenerate");
  await failed.getByTestId("retry-run").click();
  await page.getByTestId("transcript").getByText("Recovered answer.").waitFor();
  await runEnded(page);
  assert.equal(await occurrences(page, "The request was refused"), 0, "the failed turn is replaced");
  assert.deepEqual(await page.getByTestId("message-user").locator(".bubble").allInnerTexts(), ["Say something else.", "Now fail."]);
  step("Retry ran the question again");
});
