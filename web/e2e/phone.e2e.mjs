// Small screens and side panels. At phone size (390×844) the sidebar is a menu drawer: it lists
// the conversations, starts a new one and leads back to Projects, and closes with its button,
// Esc, a tap outside and by opening a conversation. Every side panel (Settings, Files, Skills)
// closes with its close button, Esc and a tap outside, at phone and at desktop size. Whether a
// panel is open is remembered across reloads. Saves the phone screenshot.
//
// No model is used: the conversations are made through the API.
import assert from "node:assert/strict";
import { join } from "node:path";
import { apiCall, baseUrl, scenario, screenshots, step } from "./browser.mjs";

/** Whether the element is on screen, not only in the document. */
const onScreen = (locator) =>
  locator.evaluate((el) => {
    const box = el.getBoundingClientRect();
    return box.width > 0 && box.right > 0 && box.left < window.innerWidth && getComputedStyle(el).visibility !== "hidden";
  });

async function drawerClosed(page) {
  await page.waitForFunction(() => {
    const box = document.querySelector('[data-testid="sidebar"]').getBoundingClientRect();
    return box.right <= 0;
  });
}

async function closeEveryPanelThreeWays(page, outside) {
  for (const name of ["settings", "files", "skills"]) {
    const panel = page.getByTestId(`side-panel-${name}`);
    const tab = page.getByTestId(`panel-${name}`);
    assert.equal(await tab.getAttribute("aria-controls"), `side-panel-${name}`);

    await tab.click();
    await panel.waitFor();
    assert.equal(await panel.getAttribute("role"), "tabpanel");
    assert.ok(await onScreen(panel.getByTestId("panel-close")), `${name}: its close button is on screen`);
    await panel.getByTestId("panel-close").click();
    await panel.waitFor({ state: "detached" });

    await tab.click();
    await panel.waitFor();
    await page.keyboard.press("Escape");
    await panel.waitFor({ state: "detached" });

    await tab.click();
    await panel.waitFor();
    await page.mouse.click(outside.x, outside.y);
    await panel.waitFor({ state: "detached" });
    step(`${name}: closed by its button, by Esc and by a tap outside`);
  }
}

await scenario("the phone drawer and closing every panel", async ({ page }) => {
  const project = await apiCall("POST", "/api/projects", { name: "On the go" });
  const first = await apiCall("POST", `/api/projects/${project.id}/conversations`, { title: "Morning numbers" });
  await apiCall("POST", `/api/projects/${project.id}/conversations`, { title: "Evening numbers" });
  await page.goto(`${baseUrl()}/projects/${project.id}`);
  await page.getByTestId("composer-input").waitFor();

  // The drawer: hidden, then opened by the menu button, showing what the sidebar shows.
  const drawer = page.getByTestId("sidebar");
  await drawerClosed(page);
  await page.getByTestId("menu-button").click();
  await page.waitForFunction(() => document.querySelector('[data-testid="sidebar"]').getBoundingClientRect().left >= 0);
  assert.ok(await onScreen(drawer.getByTestId("new-conversation-button")));
  assert.ok(await onScreen(drawer.getByTestId("projects-link")));
  assert.equal(await drawer.getByTestId("conversation-item").count(), 2);
  await page.screenshot({ path: join(screenshots, "phone-menu.png") });
  step("the menu drawer lists the conversations, New conversation and Projects");

  await drawer.getByTestId("drawer-close").click();
  await drawerClosed(page);
  await page.getByTestId("menu-button").click();
  await page.getByTestId("drawer-backdrop").click({ position: { x: 370, y: 400 } });
  await drawerClosed(page);
  await page.getByTestId("menu-button").click();
  await page.getByTestId("drawer-backdrop").waitFor();
  await page.keyboard.press("Escape");
  await drawerClosed(page);
  step("the drawer closes with its button, a tap outside and Esc");

  await page.getByTestId("menu-button").click();
  await drawer.locator(`[data-conversation-id="${first.id}"] .conversation-link`).click();
  await page.waitForURL(new RegExp(`/conversations/${first.id}$`));
  await drawerClosed(page);
  await page.getByTestId("conversation-title").filter({ hasText: "Morning numbers" }).waitFor();
  step("opening a conversation from the drawer closes it");

  // Panels at phone size: the strip left of the panel is outside it.
  await closeEveryPanelThreeWays(page, { x: 12, y: 500 });
  await page.screenshot({ path: join(screenshots, "phone-chat.png") });

  // Back to the projects from the drawer.
  await page.getByTestId("menu-button").click();
  await drawer.getByTestId("projects-link").click();
  await page.getByTestId("new-project-input").waitFor();
  step("the drawer leads back to Projects");

  // Desktop: no menu button; panels close the same three ways; an open panel is remembered.
  await page.setViewportSize({ width: 1360, height: 860 });
  await page.goto(`${baseUrl()}/projects/${project.id}/conversations/${first.id}`);
  await page.getByTestId("composer-input").waitFor();
  assert.equal(await onScreen(page.getByTestId("menu-button")), false, "no menu button at desktop size");
  assert.equal(await page.getByTestId("side-panel-settings").count(), 0, "no panel opens by itself");
  await closeEveryPanelThreeWays(page, { x: 700, y: 400 });
  await page.getByTestId("panel-files").click();
  await page.reload();
  await page.getByTestId("side-panel-files").waitFor();
  await page.getByTestId("panel-close").click();
  await page.reload();
  await page.getByTestId("composer-input").waitFor();
  assert.equal(await page.locator('[data-testid^="side-panel-"]').count(), 0, "a closed panel stays closed");
  step("an open panel is remembered across a reload, and so is a closed one");
}, { viewport: { width: 390, height: 844 } });
