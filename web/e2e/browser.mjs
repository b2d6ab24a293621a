// The harness of the browser scenarios (web/e2e/*.e2e.mjs). A scenario is a plain Node script
// that drives the system's Chromium through playwright-core against a running Mason; it exits 0
// when every check passed. BrowserTest (src/test/java/dev/mason/web) starts Mason with a scripted
// fake model, runs each scenario as a subprocess and shows its output when it fails.
//
// Environment, set by BrowserTest:
//   MASON_URL     the Mason to test (http://127.0.0.1:<port>)
//   MASON_USER    who the browser is: sent as X-Forwarded-Email, which a test Mason trusts
//   CHROMIUM      the browser binary (else /usr/bin/chromium and friends)
//   E2E_GATES     the folder of gates: a Bash tool call scripted as "wait for gate NAME" runs
//                 until the scenario calls release(NAME)
//   SCREENSHOTS   where screenshots go (else target/screenshots)
//
// Every wait has a deadline; no scenario sleeps a fixed time.

import { chromium } from "playwright-core";
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";

/** The longest any single condition may take to become true. */
export const WAIT_MS = Number(process.env.E2E_WAIT_MS ?? 20_000);

export const screenshots = resolve(process.env.SCREENSHOTS ?? resolve(import.meta.dirname, "../../target/screenshots"));

const ARGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--no-first-run",
  "--disable-quic",
];

export function findChromium() {
  const candidates = [process.env.CHROMIUM, "/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome"].filter(Boolean);
  const found = candidates.find((path) => existsSync(path));
  if (!found) throw new Error(`No Chromium found (tried ${candidates.join(", ")}); install Debian's chromium or set CHROMIUM.`);
  return found;
}

export function baseUrl() {
  return (process.env.MASON_URL ?? "http://127.0.0.1:8000").replace(/\/$/, "");
}

export function user() {
  return process.env.MASON_USER ?? "e2e@example.com";
}

const started = Date.now();

/** Logs a step with the time since the scenario began, so a failure's output tells how far it got. */
export function step(text) {
  console.log(`[${((Date.now() - started) / 1000).toFixed(1).padStart(5)} s] ${text}`);
}

/** Lets the Bash call scripted as "wait for gate NAME" finish. */
export function release(gate) {
  const folder = process.env.E2E_GATES;
  if (!folder) throw new Error("E2E_GATES is not set: gates are made by BrowserTest");
  writeFileSync(join(folder, gate), "");
  step(`released gate ${gate}`);
}

/**
 * Runs one scenario in a fresh browser profile: `body({ context, page })`. On failure it saves a
 * screenshot of every open page under screenshots/failures/, prints the error, and exits 1.
 * Uncaught errors in the page fail the scenario too.
 */
export async function scenario(name, body, { viewport = { width: 1360, height: 860 } } = {}) {
  step(`scenario: ${name}`);
  const profile = mkdtempSync(join(tmpdir(), "mason-chromium-"));
  const pageErrors = [];
  let context;
  try {
    context = await chromium.launchPersistentContext(profile, {
      executablePath: findChromium(),
      headless: true,
      viewport,
      args: ARGS,
      extraHTTPHeaders: { "X-Forwarded-Email": user() },
    });
    context.setDefaultTimeout(WAIT_MS);
    context.on("page", (page) => watch(page, pageErrors));
    context.pages().forEach((page) => watch(page, pageErrors));
    mkdirSync(screenshots, { recursive: true });
    const page = context.pages()[0] ?? (await context.newPage());
    await body({ context, page });
    if (pageErrors.length > 0) throw new Error(`the page reported errors:\n  ${pageErrors.join("\n  ")}`);
    step(`passed: ${name}`);
  } catch (error) {
    console.error(`FAILED: ${name}\n${error?.stack ?? error}`);
    if (pageErrors.length > 0) console.error(`page errors:\n  ${pageErrors.join("\n  ")}`);
    if (context) await saveFailureScreenshots(context, name);
    process.exitCode = 1;
  } finally {
    await context?.close().catch(() => {});
    rmSync(profile, { recursive: true, force: true });
  }
}

function watch(page, pageErrors) {
  page.on("pageerror", (error) => pageErrors.push(`${page.url()}: ${error.message}`));
  page.on("console", (message) => {
    if (message.type() !== "error") return;
    // A policy violation is always a bug; failed requests are logged below, by address.
    if (message.text().includes("Content Security Policy")) pageErrors.push(`${page.url()}: ${message.text()}`);
    else if (!message.text().startsWith("Failed to load resource")) console.log(`  (console error: ${message.text()})`);
  });
  page.on("response", (response) => {
    if (response.status() >= 400) console.log(`  (${response.request().method()} ${new URL(response.url()).pathname}: HTTP ${response.status()})`);
  });
}

async function saveFailureScreenshots(context, name) {
  const folder = join(screenshots, "failures");
  mkdirSync(folder, { recursive: true });
  const slug = name.replace(/[^a-z0-9]+/gi, "-").toLowerCase();
  for (const [i, page] of context.pages().entries()) {
    const path = join(folder, `${slug}-${i + 1}.png`);
    await page.screenshot({ path, fullPage: true }).then(
      () => console.error(`screenshot of page ${i + 1} (${page.url()}): ${path}`),
      () => {},
    );
  }
}

// ---- Steps shared by the scenarios ----

/** Creates a project on the home page and opens it; returns its id. */
export async function createProject(page, name) {
  await page.goto(baseUrl() + "/");
  await page.getByTestId("new-project-input").fill(name);
  await page.getByTestId("new-project-button").click();
  await projectItem(page, name).getByTestId("project-link").click();
  await page.getByTestId("project-title").filter({ hasText: name }).waitFor();
  await page.getByTestId("composer-input").waitFor();
  const id = new URL(page.url()).pathname.split("/")[2];
  step(`created project ${name} (${id})`);
  return id;
}

export function projectItem(page, name) {
  return page.locator(`[data-testid="project-item"][data-project-name="${name}"]`);
}

/** Types a message into the composer and sends it with Enter. */
export async function send(page, text) {
  await page.getByTestId("composer-input").fill(text);
  await page.getByTestId("composer-input").press("Enter");
  step(`sent: ${text}`);
}

/** Waits until the page follows no run: the live view has given way to the stored messages. */
export async function runEnded(page) {
  await page.getByTestId("live-run").waitFor({ state: "detached" });
  await page.getByTestId("send-button").waitFor();
}

/** How many times `text` occurs in the page's visible transcript. */
export async function occurrences(page, text) {
  const whole = await page.getByTestId("transcript").innerText();
  return whole.split(text).length - 1;
}

export function conversationItem(page, conversationId) {
  return page.locator(`[data-testid="conversation-item"][data-conversation-id="${conversationId}"]`);
}

export function conversationIdOf(page) {
  const parts = new URL(page.url()).pathname.split("/");
  return parts[3] === "conversations" ? parts[4] : null;
}

/** A REST call as the scenario's user, for setting up state the scenario does not test. */
export async function apiCall(method, path, body) {
  const response = await fetch(baseUrl() + path, {
    method,
    headers: { "Content-Type": "application/json", "X-Forwarded-Email": user() },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (!response.ok) throw new Error(`${method} ${path}: HTTP ${response.status} ${await response.text()}`);
  return response.status === 204 ? null : response.json();
}
