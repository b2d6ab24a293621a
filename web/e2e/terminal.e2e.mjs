// The terminal page in headless Chromium against a running Mason (MASON_URL), as the app's owner
// (MASON_USER, sent as X-Forwarded-Email, which a test Mason trusts). Exits 0 when every check
// passed. TerminalPageBrowserTest (src/test/java/dev/mason/terminal) runs it in the test suite.
//
//   a command typed into the page runs in a real shell and its output shows
//   a reload shows the scrollback again, once, on the same session (from the saved screen, and
//   from the server's replay when there is none)
//   a split pane gets its own shell and takes typing
//   with the WebSocket blocked, the panes poll over HTTP, and go back to the WebSocket once it is not
//   the divider drags; find; the session picker lists and reattaches; a dropped file and a pasted
//   image are uploaded; an exit offers a new shell; the extra keys type
//   settings survive a reload; without WebGL the DOM renderer draws; anyone but the owner is told
//   whose terminals these are
//   first of all, when WORKSPACE_TOKEN is set: the page asks for a workspace token in a panel,
//   refuses an invalid one with the workspace's reason, and takes the owner's
//
// Environment: MASON_URL, MASON_USER, OTHER_USER (a user who is not the owner), CHROMIUM (else
// /usr/bin/chromium), SCREENSHOTS (else ../target/screenshots), WORKSPACE_TOKEN (the owner's token
// in the fake workspace Mason is wired to; the credential scenario is skipped without it). Every
// wait has a deadline.

import { chromium } from "playwright-core";
import { existsSync, mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";

const WAIT_MS = Number(process.env.E2E_WAIT_MS ?? 20_000);
const base = (process.env.MASON_URL ?? "http://127.0.0.1:8000").replace(/\/$/, "");
const owner = process.env.MASON_USER ?? "owner@example.com";
const other = process.env.OTHER_USER ?? "someone-else@example.com";
const screenshots = resolve(process.env.SCREENSHOTS ?? resolve(import.meta.dirname, "../../target/screenshots"));
const chromiumPath = process.env.CHROMIUM ?? "/usr/bin/chromium";
const ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"];

const started = Date.now();
function step(text) {
  console.log(`[${((Date.now() - started) / 1000).toFixed(1).padStart(5)} s] ${text}`);
}

/** Polls `check` until it returns something truthy; fails naming `what` (and the last state) at the deadline. */
async function until(what, check, describe = async () => "", timeoutMs = WAIT_MS) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${await describe()}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

async function launch(user, extraArgs = [], colorScheme = "light") {
  if (!existsSync(chromiumPath)) throw new Error(`no Chromium at ${chromiumPath}`);
  const profile = mkdtempSync(join(tmpdir(), "mason-terminal-chromium-"));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: chromiumPath,
    headless: true,
    args: [...ARGS, ...extraArgs],
    viewport: { width: 1280, height: 760 },
    colorScheme,
    extraHTTPHeaders: { "X-Forwarded-Email": user },
  });
  return {
    context,
    close: async () => {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

const panes = (page) => page.locator('[data-testid="terminal-tab-body"]:not(.term-hidden) [data-testid="terminal-pane"]');

async function paneInfo(pane) {
  return pane.locator('[data-testid="terminal-screen"]').evaluate((el) => ({
    text: el.terminalText ? el.terminalText() : "",
    state: el.dataset.state,
    transport: el.dataset.transport,
    renderer: el.dataset.renderer,
    sessionId: el.dataset.sessionId,
    offset: el.dataset.offset,
  }));
}

const tail = (text) => (text.length > 600 ? "…" + text.slice(-600) : text);
const describePane = (pane) => async () => {
  const info = await paneInfo(pane).catch((e) => ({ error: String(e) }));
  return `; the pane: ${JSON.stringify({ ...info, text: tail(info.text ?? "") })}`;
};

async function awaitState(pane, states, what) {
  return until(what, async () => {
    const info = await paneInfo(pane);
    return states.includes(info.state) ? info : null;
  }, describePane(pane));
}

/** Lines of the pane that are exactly `line`. */
const count = (text, line) => text.split("\n").filter((l) => l.trim() === line).length;

async function awaitLine(pane, line) {
  return until(`"${line}" in the terminal`, async () => {
    const info = await paneInfo(pane);
    return count(info.text, line) > 0 ? info : null;
  }, describePane(pane));
}

async function typeIntoNoEnter(page, pane, text) {
  await pane.locator('[data-testid="terminal-screen"]').click();
  await page.keyboard.type(text);
}

async function typeInto(page, pane, text) {
  await typeIntoNoEnter(page, pane, text);
  await page.keyboard.press("Enter");
}

async function ownerScenario() {
  const { context, close } = await launch(owner, [], "dark");
  try {
    // Sockets to the terminal go through unless `blocked`: then they fail at once, as behind a
    // proxy that refuses WebSocket upgrades.
    let blocked = false;
    await context.routeWebSocket(/\/ws\/terminal/, (ws) => {
      if (blocked) ws.close({ code: 1006, reason: "blocked by the test" }).catch(() => {});
      else ws.connectToServer();
    });
    const page = await context.newPage();
    // On demand (a flag the scenario sets), the page starts as if it had saved no screens.
    await page.addInitScript(() => {
      if (sessionStorage.getItem("e2e.drop-screens") !== "1") return;
      sessionStorage.removeItem("e2e.drop-screens");
      for (const key of Object.keys(sessionStorage)) if (key.startsWith("mason.terminal.screen.")) sessionStorage.removeItem(key);
    });
    const errors = [];
    page.on("pageerror", (e) => errors.push(String(e)));

    step(`open ${base}/terminal as ${owner}`);
    await page.goto(base + "/terminal");
    await until("a pane", async () => (await panes(page).count()) === 1);
    const first = panes(page).first();
    const live = await awaitState(first, ["live"], "the first pane to connect over the WebSocket");
    step(`pane connected (renderer: ${live.renderer}, session ${live.sessionId})`);
    const theme = await page.getByTestId("terminal-page").getAttribute("data-theme");
    if (theme !== "dark") throw new Error(`a first visit with a dark system preference got the ${theme} theme`);

    step("type echo mason-$((6*7))");
    await typeInto(page, first, "echo mason-$((6*7))");
    await awaitLine(first, "mason-42");

    step("reload: the scrollback comes back once, on the same session");
    await page.reload();
    await awaitState(panes(page).first(), ["live"], "the pane to reconnect after the reload");
    const reloaded = await awaitLine(panes(page).first(), "mason-42");
    if (reloaded.sessionId !== live.sessionId) throw new Error(`the reload started a new session (${reloaded.sessionId}, was ${live.sessionId})`);
    // Give any duplicate replay the time to arrive before counting.
    await new Promise((r) => setTimeout(r, 1_000));
    let text = (await paneInfo(panes(page).first())).text;
    if (count(text, "mason-42") !== 1) throw new Error(`after the reload "mason-42" shows ${count(text, "mason-42")} times:\n${text}`);
    await typeInto(page, panes(page).first(), "echo again-$((2*3))");
    await awaitLine(panes(page).first(), "again-6");
    text = (await paneInfo(panes(page).first())).text;
    if (count(text, "mason-42") !== 1) throw new Error(`"mason-42" shows ${count(text, "mason-42")} times after more output:\n${text}`);

    step("reload without the saved screen: the server replays the session into an empty one, once");
    await page.evaluate(() => sessionStorage.setItem("e2e.drop-screens", "1"));
    await page.reload();
    await awaitState(panes(page).first(), ["live"], "the pane to reconnect after the second reload");
    await awaitLine(panes(page).first(), "again-6");
    await new Promise((r) => setTimeout(r, 1_000));
    text = (await paneInfo(panes(page).first())).text;
    if (count(text, "mason-42") !== 1 || count(text, "again-6") !== 1) throw new Error(`the replay repeated or lost output:\n${text}`);

    step("split: the second pane gets its own shell and takes typing");
    await page.getByTestId("split-button").click();
    await until("two panes", async () => (await panes(page).count()) === 2);
    const second = panes(page).nth(1);
    const secondLive = await awaitState(second, ["live"], "the second pane to connect");
    if (secondLive.sessionId === live.sessionId) throw new Error("the second pane shows the first pane's session");
    await typeInto(page, second, "echo second-$((5*5))");
    await awaitLine(second, "second-25");
    if (count((await paneInfo(panes(page).first())).text, "second-25") !== 0) throw new Error("typing into the second pane reached the first");
    step("the divider drags: the left pane narrows");
    const slots = page.locator('[data-testid="terminal-tab-body"]:not(.term-hidden) .term-pane-slot');
    const before = (await slots.first().boundingBox()).width;
    const divider = (await page.getByTestId("pane-divider").boundingBox());
    await page.mouse.move(divider.x + divider.width / 2, divider.y + divider.height / 2);
    await page.mouse.down();
    await page.mouse.move(divider.x - 200, divider.y + divider.height / 2, { steps: 5 });
    await page.mouse.up();
    await until("the left pane to narrow", async () => (await slots.first().boundingBox()).width < before - 150);
    await page.mouse.move(divider.x - 200, divider.y + divider.height / 2);
    await page.mouse.down();
    await page.mouse.move(divider.x + divider.width / 2, divider.y + divider.height / 2, { steps: 5 });
    await page.mouse.up();
    await second.locator('[data-testid="terminal-screen"]').click();
    await page.screenshot({ path: join(screenshots, "terminal.png") });
    step(`screenshot ${join(screenshots, "terminal.png")}`);

    step("find: Ctrl+Shift+F opens the search, which finds text in the scrollback");
    await panes(page).first().locator('[data-testid="terminal-screen"]').click();
    await page.keyboard.press("Control+Shift+F");
    const search = page.getByTestId("search-input");
    await search.waitFor({ timeout: WAIT_MS });
    await search.fill("again");
    await search.press("Enter");
    await until("the match to be selected", async () => !(await search.evaluate((el) => el.classList.contains("term-search-missing"))));
    await search.press("Escape");

    step("sessions: the picker lists both shells, marked as open here");
    await page.getByTestId("sessions-button").click();
    const items = page.locator('[data-testid="session-item"]');
    await until("two sessions in the picker", async () => (await items.count()) >= 2);
    for (const id of [live.sessionId, secondLive.sessionId]) {
      const item = page.locator(`[data-testid="session-item"][data-session-id="${id}"]`);
      if (!(await item.textContent())?.includes("open in this page")) throw new Error(`session ${id} is not marked as open in this page`);
    }
    await page.getByTestId("session-picker").getByRole("button", { name: "Done" }).click();

    step("the WebSocket blocked: both panes poll over HTTP, and nothing shows twice");
    blocked = true;
    await page.reload();
    for (const pane of [panes(page).first(), panes(page).nth(1)]) await awaitState(pane, ["polling"], "a pane to fall back to polling");
    await typeInto(page, panes(page).first(), "echo polled-$((3*3))");
    await awaitLine(panes(page).first(), "polled-9");
    text = (await paneInfo(panes(page).first())).text;
    if (count(text, "mason-42") !== 1 || count(text, "again-6") !== 1) throw new Error(`a reload into polling repeated output:\n${text}`);
    const status = await panes(page).first().getByTestId("pane-status").textContent();
    if (!/polling/.test(status ?? "")) throw new Error(`the pane's status says "${status}" while polling`);

    step("the WebSocket allowed again: the panes go back to it, where polling left off");
    blocked = false;
    await awaitState(panes(page).first(), ["live"], "the pane to return to the WebSocket");
    await typeInto(page, panes(page).first(), "echo back-$((4*4))");
    await awaitLine(panes(page).first(), "back-16");
    text = (await paneInfo(panes(page).first())).text;
    if (count(text, "polled-9") !== 1) throw new Error(`the switch back repeated output:\n${text}`);

    step("upload: a file dropped on a pane is saved and its path typed into the shell");
    await typeIntoNoEnter(page, panes(page).first(), "cat ");
    const dataTransfer = await page.evaluateHandle(() => {
      const transfer = new DataTransfer();
      transfer.items.add(new File(["dropped-file-content\n"], "note.txt", { type: "text/plain" }));
      return transfer;
    });
    await panes(page).first().locator('[data-testid="terminal-screen"]').dispatchEvent("drop", { dataTransfer });
    await until("the saved path typed after cat", async () => /cat \S*uploads\/\S*note\.txt/.test((await paneInfo(panes(page).first())).text), describePane(panes(page).first()));
    await page.keyboard.press("Enter");
    await awaitLine(panes(page).first(), "dropped-file-content");

    step("paste: an image pasted into a pane is saved and its path typed into the shell");
    await typeIntoNoEnter(page, panes(page).first(), "ls ");
    await panes(page).first().locator("textarea").evaluate((textarea) => {
      const png = Uint8Array.from(atob("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII="), (c) => c.charCodeAt(0));
      const transfer = new DataTransfer();
      transfer.items.add(new File([png], "image.png", { type: "image/png" }));
      textarea.dispatchEvent(new ClipboardEvent("paste", { clipboardData: transfer, bubbles: true, cancelable: true }));
    });
    await until("the pasted image's path typed after ls", async () => /ls \S*uploads\/\S*clipboard-\S*\.png/.test((await paneInfo(panes(page).first())).text), describePane(panes(page).first()));
    await page.keyboard.press("Enter");
    await until("ls to list the saved image", async () => (await paneInfo(panes(page).first())).text.split("\n").some((l) => /^\S*uploads\/\S*clipboard-\S*\.png$/.test(l.trim())), describePane(panes(page).first()));

    step("exit: the pane says the shell exited and offers a new one");
    await typeInto(page, panes(page).nth(1), "exit");
    const exited = await awaitState(panes(page).nth(1), ["exited"], "the second pane to report the exit");
    await panes(page).nth(1).getByTestId("new-shell-button").click();
    const fresh = await awaitState(panes(page).nth(1), ["live"], "a new shell in the second pane");
    if (fresh.sessionId === exited.sessionId) throw new Error("the new shell reuses the exited session");

    step("extra keys: the row sends arrows to the shell (Up recalls the last command)");
    await page.getByTestId("settings-button").click();
    await page.getByTestId("extra-keys-select").selectOption("on");
    await page.getByTestId("settings-button").click();
    await typeInto(page, panes(page).nth(1), "echo keys-$((1+2))");
    await awaitLine(panes(page).nth(1), "keys-3");
    await page.getByTestId("extra-keys").locator('[data-key="Up"]').click();
    await page.keyboard.press("Enter");
    await until("keys-3 twice", async () => count((await paneInfo(panes(page).nth(1))).text, "keys-3") === 2, describePane(panes(page).nth(1)));

    step("reattach: a closed pane's shell goes on, and the picker opens it in a new tab with its scrollback");
    const detached = (await paneInfo(panes(page).nth(1))).sessionId;
    await panes(page).nth(1).getByTestId("close-pane-button").click();
    await until("one pane left", async () => (await panes(page).count()) === 1);
    await page.getByTestId("sessions-button").click();
    const entry = page.locator(`[data-testid="session-item"][data-session-id="${detached}"]`);
    await entry.waitFor({ timeout: WAIT_MS });
    await entry.getByTestId("session-open-tab").click();
    await until("a second tab", async () => (await page.getByTestId("terminal-tab").count()) === 2);
    const reattached = await until("the reattached scrollback (keys-3 twice)", async () => {
      const info = await paneInfo(panes(page).first());
      return count(info.text, "keys-3") === 2 ? info : null;
    }, describePane(panes(page).first()));
    if (reattached.sessionId !== detached) throw new Error(`the new tab shows ${reattached.sessionId}, not ${detached}`);
    await new Promise((r) => setTimeout(r, 1_000));
    text = (await paneInfo(panes(page).first())).text;
    if (count(text, "keys-3") !== 2) throw new Error(`the reattached scrollback repeats:\n${text}`);

    step("appearance: a theme chosen is remembered");
    await page.getByTestId("settings-button").click();
    await page.getByTestId("theme-select").selectOption("dracula");
    await page.reload();
    await until("the Dracula theme after a reload", async () => (await page.getByTestId("terminal-page").getAttribute("data-theme")) === "dracula");

    if (errors.length > 0) throw new Error(`the page threw: ${errors.join("; ")}`);
  } finally {
    await close();
  }
}

/** Where the browser has no WebGL, xterm's DOM renderer draws the terminal. */
async function credentialScenario() {
  const token = process.env.WORKSPACE_TOKEN;
  if (!token) {
    step("credential panel: skipped (no WORKSPACE_TOKEN)");
    return;
  }
  const { context, close } = await launch(owner);
  try {
    step("credential panel: the page asks for a workspace token");
    const page = await context.newPage();
    await page.goto(base + "/terminal");
    const form = page.getByTestId("credential-form");
    await form.waitFor({ timeout: WAIT_MS });
    step("an invalid token is refused with the workspace's reason");
    await page.getByTestId("credential-token").fill("dapi-not-a-real-token");
    await page.getByTestId("credential-submit").click();
    const error = page.getByTestId("credential-error");
    await error.waitFor({ timeout: WAIT_MS });
    const reason = (await error.textContent()) ?? "";
    if (!reason.includes("Invalid token")) throw new Error(`the refusal does not say the token is invalid: ${reason}`);
    step("the owner's token is taken: the panel becomes one status line");
    await page.getByTestId("credential-token").fill(token);
    await page.getByTestId("credential-submit").click();
    const status = page.getByTestId("credential-status");
    await status.waitFor({ timeout: WAIT_MS });
    const line = (await status.textContent()) ?? "";
    if (!line.includes(owner)) throw new Error(`the status does not name the owner: ${line}`);
    if ((await page.content()).includes(token)) throw new Error("the page still holds the token");
  } finally {
    await close();
  }
}

async function domRendererScenario() {
  const { context, close } = await launch(owner, ["--disable-webgl"]);
  try {
    step("without WebGL: the DOM renderer");
    const page = await context.newPage();
    await page.goto(base + "/terminal");
    await until("a pane", async () => (await panes(page).count()) === 1);
    const info = await awaitState(panes(page).first(), ["live"], "the pane to connect");
    if (info.renderer !== "dom") throw new Error(`the renderer is ${info.renderer} without WebGL`);
    await typeInto(page, panes(page).first(), "echo dom-$((1+1))");
    await awaitLine(panes(page).first(), "dom-2");
    const rows = panes(page).first().locator(".xterm-rows");
    await until("the DOM renderer's rows to show the output", async () => ((await rows.textContent()) ?? "").includes("dom-2"), async () => `; rows: ${await rows.textContent()}`);
  } finally {
    await close();
  }
}

async function strangerScenario() {
  const { context, close } = await launch(other);
  try {
    step(`open /terminal as ${other}: told whose terminals these are`);
    const page = await context.newPage();
    await page.goto(base + "/terminal");
    const denied = page.getByTestId("terminal-denied");
    await denied.waitFor({ timeout: WAIT_MS });
    const message = (await denied.textContent()) ?? "";
    if (!message.includes(owner) || !message.includes(other)) throw new Error(`the refusal does not name the owner and the caller: ${message}`);
  } finally {
    await close();
  }
}

try {
  mkdirSync(screenshots, { recursive: true });
  await credentialScenario();
  await ownerScenario();
  await domRendererScenario();
  await strangerScenario();
  step("all checks passed");
  process.exit(0);
} catch (e) {
  step(`FAILED: ${e instanceof Error ? (e.stack ?? e.message) : e}`);
  process.exit(1);
}
