// Setup clarity on a Mason with no model and no workspace: before anything is sent, the page
// says that no model is configured, with a copyable snippet of the variables to set and no
// pointer to the Settings panel (which cannot fix it); the chat header says "no model" and "no
// workspace"; the workspace banner can be dismissed for good; the terminal page shows neither.
//
// BrowserTest.withoutAModelThePageSaysSoBeforeTheFirstMessage runs it against a second Mason
// started without any model or workspace variable.
import assert from "node:assert/strict";
import { join } from "node:path";
import { baseUrl, createProject, scenario, screenshots, step } from "./browser.mjs";

await scenario("a missing model is said before the first message", async ({ page, context }) => {
  await context.grantPermissions(["clipboard-read", "clipboard-write"]);
  await page.goto(baseUrl() + "/");
  const notice = page.getByTestId("banner-no-model");
  await notice.waitFor();
  assert.match(await notice.innerText(), /No model is configured/);
  assert.equal(await notice.getByText(/settings/i).count(), 0, "it does not point to the Settings panel");
  await notice.getByTestId("copy-model-snippet").click();
  const copied = await page.evaluate(() => navigator.clipboard.readText());
  for (const variable of ["ANTHROPIC_API_KEY=", "DATABRICKS_HOST=", "DATABRICKS_TOKEN=", "ANTHROPIC_MODEL="]) {
    assert.ok(copied.includes(variable), `the snippet names ${variable}`);
  }
  step("the home page says no model is configured, with a snippet to copy");

  await createProject(page, "First steps");
  await notice.waitFor();
  assert.equal(await page.getByTestId("header-model").innerText(), "no model");
  assert.equal(await page.getByTestId("header-workspace").innerText(), "no workspace");
  await page.screenshot({ path: join(screenshots, "no-model.png") });
  step("the project page says it before the first message, and the header says what is in use");

  const projectUrl = page.url();
  await page.goto(baseUrl() + "/terminal");
  // This user does not own the terminals here; the page says so, and that is all it needs to show.
  await page.getByTestId("terminal-page").or(page.getByText("Terminals are not available")).waitFor();
  assert.equal(await page.getByTestId("banner-no-model").count(), 0);
  assert.equal(await page.getByTestId("banner-no-workspace").count(), 0);
  step("the terminal page shows neither banner");

  await page.goto(projectUrl);
  await page.getByTestId("banner-no-workspace").getByRole("button", { name: "Dismiss" }).click();
  await page.getByTestId("banner-no-workspace").waitFor({ state: "detached" });
  await page.reload();
  await page.getByTestId("composer-input").waitFor();
  await notice.waitFor();
  assert.equal(await page.getByTestId("banner-no-workspace").count(), 0, "a dismissed banner stays dismissed");
  step("the workspace banner is dismissed for good");

});
