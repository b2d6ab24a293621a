// The terminal page's CLI launcher in headless Chromium against a running Mason (MASON_URL) whose
// CLIs are installed, as the app's owner (MASON_USER). Exits 0 when every check passed;
// CliBrowserTest (src/test/java/dev/mason/terminal) runs it in the test suite.
//
//   the setup lines are gone once every CLI is ready
//   "New tab" offers Shell, Claude Code, Codex, Gemini CLI and OpenCode
//   Claude Code opens in a tab named after it, and its first screen shows in the pane
//
// Environment: MASON_URL, MASON_USER, CHROMIUM (else /usr/bin/chromium), SCREENSHOTS (else
// ../target/screenshots). Every wait has a deadline.

import { chromium } from "playwright-core";
import { existsSync, mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";

const WAIT_MS = Number(process.env.E2E_WAIT_MS ?? 30_000);
const base = (process.env.MASON_URL ?? "http://127.0.0.1:8000").replace(/\/$/, "");
const owner = process.env.MASON_USER ?? "owner@example.com";
const screenshots = resolve(process.env.SCREENSHOTS ?? resolve(import.meta.dirname, "../../target/screenshots"));
const chromiumPath = process.env.CHROMIUM ?? "/usr/bin/chromium";
const ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"];

const started = Date.now();
const step = (text) => console.log(`[${((Date.now() - started) / 1000).toFixed(1).padStart(5)} s] ${text}`);

async function until(what, check, describe = async () => "") {
  const deadline = Date.now() + WAIT_MS;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${WAIT_MS} ms waiting for ${what}${await describe()}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

const panes = (page) => page.locator('[data-testid="terminal-tab-body"]:not(.term-hidden) [data-testid="terminal-pane"]');
const paneText = (pane) => pane.locator('[data-testid="terminal-screen"]').evaluate((el) => (el.terminalText ? el.terminalText() : ""));

mkdirSync(screenshots, { recursive: true });
if (!existsSync(chromiumPath)) throw new Error(`no Chromium at ${chromiumPath}`);
const profile = mkdtempSync(join(tmpdir(), "mason-clis-chromium-"));
const context = await chromium.launchPersistentContext(profile, {
  executablePath: chromiumPath,
  headless: true,
  args: ARGS,
  viewport: { width: 1280, height: 760 },
  extraHTTPHeaders: { "X-Forwarded-Email": owner },
});
let failed = false;
try {
  const page = await context.newPage();
  const errors = [];
  page.on("pageerror", (e) => errors.push(String(e)));
  step(`open ${base}/terminal as ${owner}`);
  await page.goto(base + "/terminal");
  await until("a first pane", async () => (await panes(page).count()) === 1);
  await until("the setup lines to be gone (every CLI ready)", async () => (await page.getByTestId("setup-lines").count()) === 0);

  step("New tab offers a shell and every CLI");
  await page.getByTestId("new-tab-button").click();
  const menu = page.getByTestId("new-tab-menu");
  await until("the launcher menu", async () => (await menu.count()) === 1);
  for (const id of ["shell", "claude", "codex", "gemini", "opencode"]) {
    await until(`a ready ${id} entry`, async () => (await page.getByTestId(`launch-${id}`).count()) === 1 && (await page.getByTestId(`launch-${id}`).isEnabled()));
  }
  const labels = await menu.locator("button").allInnerTexts();
  step(`launcher: ${labels.join(", ")}`);

  step("launch Claude Code");
  await page.getByTestId("launch-claude").click();
  await until("a second tab named Claude Code", async () => {
    const titles = await page.locator('[data-testid="terminal-tab"] .term-tab-title').allInnerTexts();
    return titles.length === 2 && titles[1] === "Claude Code";
  });
  const pane = panes(page).first();
  const screen = await until(
    "Claude Code's first screen",
    async () => {
      const text = await paneText(pane);
      return /Claude Code/.test(text) && /(>|❯)/.test(text.split("Claude Code").slice(1).join("")) ? text : null;
    },
    async () => `; the pane shows:\n${await paneText(pane)}`,
  );
  step(`first screen:\n${screen.split("\n").filter((l) => l.trim()).slice(0, 30).join("\n")}`);
  if (/trust this folder|trust the files|Choose the text style|Select login method/i.test(screen)) throw new Error("Claude Code asked an onboarding question Mason should have answered");
  await page.screenshot({ path: join(screenshots, "terminal-claude.png") });
  step(`screenshot ${join(screenshots, "terminal-claude.png")}`);
  if (errors.length) throw new Error(`page errors: ${errors.join("; ")}`);
  step("all checks passed");
} catch (e) {
  failed = true;
  console.error(String(e?.stack ?? e));
} finally {
  await context.close();
  rmSync(profile, { recursive: true, force: true });
}
process.exit(failed ? 1 : 0);
