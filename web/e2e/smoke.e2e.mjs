// Opens the page against a running Mason (MASON_URL), creates a project and sees it listed.
import { test } from "node:test";
import assert from "node:assert/strict";
import { join } from "node:path";
import { baseUrl, launch, screenshots } from "./browser.mjs";

test("a project created on the home page is listed and opens", async () => {
  const { context, close } = await launch();
  try {
    const page = await context.newPage();
    await page.goto(baseUrl() + "/");
    const name = `Smoke ${Date.now()}`;
    await page.getByTestId("new-project-input").fill(name);
    await page.getByTestId("new-project-button").click();
    const item = page.locator(`[data-testid="project-item"][data-project-name="${name}"]`);
    await item.waitFor({ timeout: 10_000 });
    await page.screenshot({ path: join(screenshots, "home.png") });

    await item.getByTestId("project-link").click();
    await page.getByTestId("project-title").filter({ hasText: name }).waitFor({ timeout: 10_000 });
    assert.match(new URL(page.url()).pathname, /^\/projects\/[0-9a-f-]+$/);
    await page.screenshot({ path: join(screenshots, "project.png") });

    // A deep link opened directly is served the app by Mason's fallback.
    await page.goto(page.url());
    await page.getByTestId("project-title").filter({ hasText: name }).waitFor({ timeout: 10_000 });
  } finally {
    await close();
  }
});
