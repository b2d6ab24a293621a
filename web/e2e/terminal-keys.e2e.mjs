// The terminal page's keyboard shortcuts, its whole-page themes and its layout, in headless
// Chromium against a running Mason as the app's owner (MASON_USER):
//
//   the last row of a pane is never cut off, nor the last column hidden under the scrollbar, at
//   any window height (measured: the xterm rows' bottom against the pane's visible bottom)
//   the Appearance strip covers no control (the right pane's close button stays clickable) and
//   closes on Esc, a tap outside and its own button
//   a theme colours the whole page: top bar, tab bar, pane headers, the strip and dialogs
//   Ctrl+/ shows every shortcut, and closes on Esc, a tap outside and Done
//   new and close tab, previous, next and 1–9, split, unsplit and moving between panes, the
//   session picker and the font size all work from the keyboard, while the keys a shell uses
//   (Ctrl+W, Alt+letter) still reach the shell
//   at phone size the page fits with its extra-keys row
//
// TerminalPageBrowserTest (src/test/java/dev/mason/terminal) runs it; it saves terminal-keys.png
// (the sheet over a themed page) and phone-terminal.png. Environment: see browser.mjs.
import assert from "node:assert/strict";
import { join } from "node:path";
import { apiCall, baseUrl, scenario, screenshots, step } from "./browser.mjs";

const VISIBLE = '[data-testid="terminal-tab-body"]:not(.term-hidden)';
const PANES = `${VISIBLE} [data-testid="terminal-pane"]`;
const TABS = '[data-testid="terminal-tab"]';
const panes = (page) => page.locator(PANES);
const screenOf = (pane) => pane.locator('[data-testid="terminal-screen"]');

/** Waits until the pane's shell is connected; returns its session id. */
async function live(pane) {
  await pane.locator('[data-testid="terminal-screen"][data-state="live"]').waitFor();
  return screenOf(pane).getAttribute("data-session-id");
}

/** Waits until a line of the pane's buffer is exactly `line`. */
async function line(page, pane, text) {
  const id = await pane.getAttribute("data-pane-id");
  await page.waitForFunction(
    ([id, text]) => {
      const el = document.querySelector(`[data-pane-id="${id}"] [data-testid="terminal-screen"]`);
      return el?.terminalText?.().split("\n").some((l) => l.trim() === text);
    },
    [id, text],
  );
}

const waitForCount = (page, selector, n) => page.waitForFunction(([selector, n]) => document.querySelectorAll(selector).length === n, [selector, n]);

const activeTitle = (page) => page.locator('[data-testid="terminal-tab"][data-active="true"] .term-tab-title').textContent();

/** After the next frames, when xterm has fitted itself to a changed size. */
const settled = (page) => page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(() => requestAnimationFrame(r)))));

/** How far each visible pane's text reaches past what can be seen of the pane (> 0 is cut off). */
const overflow = (page) =>
  page.evaluate((visible) => {
    return [...document.querySelectorAll(`${visible} [data-testid="terminal-screen"]`)].map((host) => {
      const rows = host.querySelector(".xterm-screen").getBoundingClientRect();
      const pane = host.closest('[data-testid="terminal-pane"]').getBoundingClientRect();
      const box = host.getBoundingClientRect();
      const bar = host.querySelector(".scrollbar.vertical")?.getBoundingClientRect();
      const bottom = Math.min(box.bottom, pane.bottom, window.innerHeight);
      return { bottom: rows.bottom - bottom, right: rows.right - Math.min(bar ? bar.left : box.right, box.right), rows: Math.round(rows.height) };
    });
  }, VISIBLE);

/** The element at the middle of `locator`'s box is it (or inside it): nothing lies over it. */
const uncovered = (locator) =>
  locator.evaluate((el) => {
    const box = el.getBoundingClientRect();
    const top = document.elementFromPoint(box.left + box.width / 2, box.top + box.height / 2);
    return el === top || el.contains(top);
  });

const background = (locator) => locator.evaluate((el) => getComputedStyle(el).backgroundColor);
/** A CSS colour as the page computes it (rgb(…)). */
const resolved = (page, value) =>
  page.evaluate((value) => {
    const probe = document.body.appendChild(document.createElement("span"));
    probe.style.backgroundColor = value;
    const rgb = getComputedStyle(probe).backgroundColor;
    probe.remove();
    return rgb;
  }, value);

await scenario("terminal layout, themes and keyboard shortcuts", async ({ page }) => {
  await page.goto(baseUrl() + "/terminal");
  const first = panes(page).first();
  /** Every shell the scenario started, ended at the end. */
  const started = [await live(first)];

  step("the last row and column are never cut off, whatever the window's height");
  // Sixteen heights in a row cover every remainder of a row's height (14 px text: 16–17 px rows).
  for (let height = 700; height < 718; height++) {
    await page.setViewportSize({ width: 1280 - (height - 700), height });
    await settled(page);
    for (const o of await overflow(page)) {
      assert.ok(o.bottom <= 0.5, `at ${height} px the last row (of ${o.rows} px of rows) is cut off by ${o.bottom.toFixed(1)} px`);
      assert.ok(o.right <= 0.5, `at ${height} px the last column lies ${o.right.toFixed(1)} px under the scrollbar`);
    }
  }
  await page.setViewportSize({ width: 1280, height: 760 });

  step("keys a shell uses still reach it: Ctrl+W deletes a word");
  await screenOf(first).click();
  await page.keyboard.type("echo gone");
  await page.keyboard.press("Control+KeyW");
  await page.keyboard.type("kept-$((2+2))");
  await page.keyboard.press("Enter");
  await line(page, first, "kept-4");

  step("split with Alt+Shift+D; move between panes with Alt+Shift+[ and ]; typing follows the focus");
  await page.keyboard.press("Alt+Shift+KeyD");
  await waitForCount(page, PANES, 2);
  const second = panes(page).nth(1);
  started.push(await live(second));
  await page.locator(`${VISIBLE} .term-pane-focused[data-pane-id="${await second.getAttribute("data-pane-id")}"]`).waitFor();
  await page.keyboard.press("Alt+Shift+BracketLeft");
  await page.locator(`${VISIBLE} .term-pane-focused[data-pane-id="${await first.getAttribute("data-pane-id")}"]`).waitFor();
  await page.keyboard.type("echo left-$((3+3))");
  await page.keyboard.press("Enter");
  await line(page, first, "left-6");
  await page.keyboard.press("Alt+Shift+BracketRight");
  await page.locator(`${VISIBLE} .term-pane-focused[data-pane-id="${await second.getAttribute("data-pane-id")}"]`).waitFor();
  await page.keyboard.type("echo right-$((4+4))");
  await page.keyboard.press("Enter");
  await line(page, second, "right-8");
  const firstText = await screenOf(first).evaluate((el) => el.terminalText());
  assert.ok(!firstText.includes("right-8"), "typing into the right pane reached the left one");

  step("the Appearance strip covers no control and closes on Esc, a tap outside and its button");
  const strip = page.getByTestId("terminal-settings");
  const closeRight = second.getByTestId("close-pane-button");
  await page.getByTestId("settings-button").click();
  await strip.waitFor();
  assert.ok(await uncovered(closeRight), "the right pane's close button is covered while Appearance is open");
  assert.ok(await uncovered(first.getByTestId("pane-status")), "the left pane's header is covered while Appearance is open");
  await page.keyboard.press("Escape");
  await strip.waitFor({ state: "detached" });
  await page.getByTestId("settings-button").click();
  await strip.waitFor();
  await screenOf(first).click();
  await strip.waitFor({ state: "detached" });
  await page.getByTestId("settings-button").click();
  await strip.waitFor();
  await page.getByTestId("settings-button").click();
  await strip.waitFor({ state: "detached" });
  for (const o of await overflow(page)) assert.ok(o.bottom <= 0.5, `after the strip closed a pane's last row is cut off by ${o.bottom} px`);

  step("a theme colours the whole page: Dracula on the top bar, tabs, pane headers, the strip and dialogs");
  const appSurface = await background(page.locator(".term-bar"));
  await page.getByTestId("settings-button").click();
  await page.getByTestId("theme-select").selectOption("dracula");
  await page.waitForFunction(() => document.documentElement.dataset.terminalTheme === "dracula");
  assert.equal(await page.getByTestId("terminal-page").getAttribute("data-theme"), "dracula");
  assert.equal(await background(page.locator("html")), "rgb(40, 42, 54)", "the page's background is Dracula's");
  assert.equal(await page.locator('[data-testid="terminal-tab"][data-active="true"]').evaluate((el) => getComputedStyle(el).color), "rgb(248, 248, 242)", "the active tab's text is Dracula's");
  const surface = await resolved(page, "var(--surface)");
  assert.notEqual(surface, appSurface, "the surfaces changed with the theme");
  for (const [what, locator] of [
    ["the top bar", page.locator(".topbar")],
    ["the tab bar", page.locator(".term-bar")],
    ["a pane header", first.locator(".term-pane-head")],
    ["the Appearance strip", strip],
  ]) {
    assert.equal(await background(locator), surface, `${what} has the theme's surface`);
  }
  assert.equal(await background(screenOf(first)), "rgb(40, 42, 54)", "the terminal has the theme's background");
  await page.keyboard.press("Escape");

  step("Ctrl+/ lists the shortcuts; the sheet closes on Esc, a tap outside and Done");
  const sheet = page.getByTestId("shortcut-sheet");
  await screenOf(first).click();
  await page.keyboard.press("Control+Slash");
  await sheet.waitFor();
  const kinds = await sheet.getByTestId("shortcut").evaluateAll((rows) => rows.map((r) => r.dataset.kind));
  for (const kind of ["new-tab", "close-tab", "previous-tab", "next-tab", "tab", "split", "unsplit", "previous-pane", "next-pane", "sessions", "find", "font-bigger", "font-smaller", "font-reset", "help"]) {
    assert.ok(kinds.includes(kind), `the sheet lists ${kind}`);
  }
  assert.equal(await background(sheet), surface, "the sheet has the theme's surface");
  await page.keyboard.press("Escape");
  await sheet.waitFor({ state: "detached" });
  await page.keyboard.press("Control+Slash");
  await sheet.waitFor();
  await page.mouse.click(8, 400);
  await sheet.waitFor({ state: "detached" });
  await page.getByTestId("shortcuts-button").click();
  await sheet.getByRole("button", { name: "Done" }).click();
  await sheet.waitFor({ state: "detached" });

  step("Alt+Shift+W unsplits: the focused pane closes, its neighbour stays");
  await screenOf(second).click();
  await page.keyboard.press("Alt+Shift+KeyW");
  await waitForCount(page, PANES, 1);
  await line(page, panes(page).first(), "left-6");
  // Headless Chromium leaves a WebGL pane that is not redrawing blank under a modal dialog: the
  // picture of the sheet is taken over the one, focused, pane.
  await page.keyboard.press("Control+Slash");
  await sheet.waitFor();
  await settled(page);
  await page.screenshot({ path: join(screenshots, "terminal-keys.png") });
  await page.keyboard.press("Escape");
  await sheet.waitFor({ state: "detached" });

  step("tabs: Alt+Shift+T opens them; Ctrl+Shift+[ and ] and 1–9 move between them");
  await page.keyboard.press("Alt+Shift+KeyT");
  await waitForCount(page, TABS, 2);
  await live(panes(page).first());
  await page.keyboard.press("Alt+Shift+KeyT");
  await waitForCount(page, TABS, 3);
  await live(panes(page).first());
  assert.equal(await activeTitle(page), "Shell 3");
  await page.keyboard.press("Control+Shift+BracketLeft");
  await page.waitForFunction(() => document.querySelector('[data-testid="terminal-tab"][data-active="true"]')?.textContent?.includes("Shell 2"));
  await page.keyboard.press("Control+Shift+BracketRight");
  await page.keyboard.press("Control+Shift+BracketRight");
  await page.waitForFunction(() => document.querySelector('[data-testid="terminal-tab"][data-active="true"]')?.textContent?.includes("Shell 1"));
  await line(page, panes(page).first(), "left-6");
  await page.keyboard.press("Control+Shift+Digit3");
  await page.waitForFunction(() => document.querySelector('[data-testid="terminal-tab"][data-active="true"]')?.textContent?.includes("Shell 3"));
  step("the keyboard follows the tab: typing after a jump goes to its shell");
  await page.keyboard.type("echo third-$((1+2))");
  await page.keyboard.press("Enter");
  await line(page, panes(page).first(), "third-3");

  step("Alt+Shift+X closes the tab; its shell keeps running, and Ctrl+Shift+S lists it (the picker closes on Esc and a tap outside)");
  const closed = await screenOf(panes(page).first()).getAttribute("data-session-id");
  await page.keyboard.press("Alt+Shift+KeyX");
  await waitForCount(page, TABS, 2);
  await page.keyboard.press("Control+Shift+KeyS");
  await page.locator(`[data-testid="session-item"][data-session-id="${closed}"]`).waitFor();
  await page.keyboard.press("Escape");
  await page.getByTestId("session-picker").waitFor({ state: "detached" });
  await page.keyboard.press("Control+Shift+KeyS");
  await page.getByTestId("session-picker").waitFor();
  await page.mouse.click(8, 400);
  await page.getByTestId("session-picker").waitFor({ state: "detached" });

  step("font size: Ctrl+= and Ctrl+- change it, Ctrl+0 resets it, and the rows refit");
  const rowsAt = async () => (await overflow(page))[0].rows;
  const before = await rowsAt();
  await screenOf(panes(page).first()).click();
  await page.keyboard.press("Control+Equal");
  await page.keyboard.press("Control+Equal");
  await page.getByTestId("settings-button").click();
  assert.equal(await page.getByTestId("font-size-input").inputValue(), "16");
  await page.keyboard.press("Control+Minus");
  assert.equal(await page.getByTestId("font-size-input").inputValue(), "15");
  await page.keyboard.press("Control+Digit0");
  assert.equal(await page.getByTestId("font-size-input").inputValue(), "14");
  await page.keyboard.press("Escape");
  await settled(page);
  assert.equal(await rowsAt(), before, "the default size fills the pane as before");
  for (const o of await overflow(page)) assert.ok(o.bottom <= 0.5 && o.right <= 0.5, `after the font changes a pane is cut off: ${JSON.stringify(o)}`);

  step("at phone size the page fits, with the extra keys, and nothing is cut off");
  await page.getByTestId("settings-button").click();
  await page.getByTestId("theme-select").selectOption("dark");
  await page.getByTestId("extra-keys-select").selectOption("on");
  await page.keyboard.press("Escape");
  await page.setViewportSize({ width: 390, height: 844 });
  await page.getByTestId("extra-keys").waitFor();
  await settled(page);
  for (const o of await overflow(page)) assert.ok(o.bottom <= 0.5 && o.right <= 0.5, `at phone size a pane is cut off: ${JSON.stringify(o)}`);
  const keysBox = await page.getByTestId("extra-keys").boundingBox();
  assert.ok(keysBox.y + keysBox.height <= 844.5, "the extra keys are on screen");
  await screenOf(panes(page).first()).click();
  await page.keyboard.type("echo phone-$((5*5))");
  await page.keyboard.press("Enter");
  await line(page, panes(page).first(), "phone-25");
  await page.screenshot({ path: join(screenshots, "phone-terminal.png") });

  // The shells this scenario started end with it, so the next scenario has the session limit to itself.
  const shown = await page.locator('[data-testid="terminal-screen"][data-session-id]').evaluateAll((els) => els.map((el) => el.dataset.sessionId));
  for (const id of new Set([...shown, closed, ...started])) await apiCall("POST", "/api/session/close", { session_id: id });
});
