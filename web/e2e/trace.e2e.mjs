// A finished run links to its trace in the MLflow UI: after the run, the chat page shows
// "View trace in MLflow" under the answer, opening the trace's page in a new tab.
//
// The Mason (BrowserTest.aFinishedRunLinksToItsTraceInTheMlflowUi) traces to a fake MLflow; the
// model answers "Traced answer.".
import assert from "node:assert/strict";
import { createProject, runEnded, scenario, send, step } from "./browser.mjs";

await scenario("a finished run links to its MLflow trace", async ({ page }) => {
  await createProject(page, "Traced");
  await send(page, "Trace this.");
  await page.waitForURL(/\/conversations\//);
  await runEnded(page);
  await page.getByTestId("transcript").getByText("Traced answer.").waitFor();
  const link = page.getByTestId("trace-link");
  await link.waitFor({ timeout: 20_000 });
  const href = await link.getAttribute("href");
  assert.match(href, /^http:\/\/127\.0\.0\.1:\d+\/#\/experiments\/\d+\/traces\?selectedEvaluationId=tr-[0-9a-f]{32}$/);
  assert.equal(await link.getAttribute("target"), "_blank");
  step(`trace link: ${href}`);

  // After a reload the conversation's last run is linked still.
  await page.reload();
  await page.getByTestId("trace-link").waitFor({ timeout: 20_000 });
  assert.equal(await page.getByTestId("trace-link").getAttribute("href"), href);
  step("linked again after a reload");
});
