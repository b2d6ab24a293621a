// The chat page during a run: streaming, a reload in the middle, a second tab, stop.
// Runs against MASON_URL when that server can run agents (for now: e2e/fake-runs.mjs in front
// of a Mason), and is skipped when it cannot.
import { test } from "node:test";
import assert from "node:assert/strict";
import { join } from "node:path";
import { baseUrl, launch, screenshots } from "./browser.mjs";

const ANSWER_END = "I wrote the numbers to report.md.";

/** True when the server has the execution endpoints (an unknown route answers "no route for …"). */
async function canRun() {
  const response = await fetch(baseUrl() + "/api/executions/probe/events").catch(() => null);
  if (!response) return false;
  if (response.status !== 404) return true;
  const body = await response.json().catch(() => ({}));
  return !String(body.error ?? "").startsWith("no route");
}

async function newProject(page, name) {
  await page.goto(baseUrl() + "/");
  await page.getByTestId("new-project-input").fill(name);
  await page.getByTestId("new-project-button").click();
  await page.locator(`[data-testid="project-item"][data-project-name="${name}"] [data-testid="project-link"]`).click();
  await page.getByTestId("composer-input").waitFor();
}

const answerText = (page) => page.getByTestId("assistant-text").allInnerTexts().then((texts) => texts.join("\n"));

test("a reload in the middle of a run continues the answer with no gap and no duplicate", async (t) => {
  if (!(await canRun())) return t.skip("this server cannot run agents");
  const { context, close } = await launch();
  try {
    const page = await context.newPage();
    await newProject(page, `Chat ${Date.now()}`);
    await page.getByTestId("composer-input").fill("How many rows per region?");
    await page.getByTestId("composer-input").press("Enter");
    await page.waitForURL(/\/conversations\//);
    await page.getByTestId("stop-button").waitFor();
    await page.getByTestId("tool-card").first().waitFor();
    await page.locator('[data-testid="conversation-item"][data-running="true"]').waitFor();
    await page.screenshot({ path: join(screenshots, "chat-running.png") });

    // A second tab follows the same run.
    const second = await context.newPage();
    await second.goto(page.url());

    await page.getByTestId("assistant-text").first().waitFor();
    await page.reload();
    await page.getByText(ANSWER_END).waitFor({ timeout: 30_000 });
    await second.getByText(ANSWER_END).waitFor({ timeout: 30_000 });
    await page.getByTestId("send-button").waitFor();
    for (const tab of [page, second]) await tab.getByTestId("live-run").waitFor({ state: "detached", timeout: 15_000 });
    await page.screenshot({ path: join(screenshots, "chat-done.png"), fullPage: true });

    for (const tab of [page, second]) {
      const text = await answerText(tab);
      assert.equal(text.split("Here is what I found").length - 1, 1, `answer shown once:\n${text}`);
      assert.equal(await tab.getByTestId("message-user").count(), 1);
      assert.equal(await tab.getByTestId("live-run").count(), 0, "the finished run is shown from stored messages");
    }
  } finally {
    await close();
  }
});

test("Esc stops a run and the page says it stopped", async (t) => {
  if (!(await canRun())) return t.skip("this server cannot run agents");
  const { context, close } = await launch();
  try {
    const page = await context.newPage();
    await newProject(page, `Stop ${Date.now()}`);
    await page.getByTestId("composer-input").fill("Count rows");
    await page.getByTestId("send-button").click();
    await page.getByTestId("stop-button").waitFor();
    await page.keyboard.press("Escape");
    await page.getByTestId("send-button").waitFor({ timeout: 15_000 });
    await page.getByText("Stopped.").first().waitFor();
  } finally {
    await close();
  }
});

test("a run refused for want of a model says what to set and keeps the message", async (t) => {
  if (!(await canRun()) || !process.env.FAKE_RUNS) return t.skip("needs e2e/fake-runs.mjs (FAKE_RUNS=1)");
  const { context, close } = await launch();
  try {
    const page = await context.newPage();
    await newProject(page, `Model ${Date.now()}`);
    await page.getByTestId("composer-input").fill("no model here");
    await page.getByTestId("composer-input").press("Enter");
    await page.getByTestId("banner-model").filter({ hasText: "ANTHROPIC_MODEL" }).waitFor();
    assert.equal(await page.getByTestId("composer-input").inputValue(), "no model here");
    assert.equal(await page.getByTestId("message-user").count(), 0);
  } finally {
    await close();
  }
});

test("scrolling up pauses auto-scroll, and jump to latest resumes it", async (t) => {
  if (!(await canRun())) return t.skip("this server cannot run agents");
  const { context, close } = await launch();
  try {
    const page = await context.newPage();
    await page.setViewportSize({ width: 1100, height: 560 });
    await newProject(page, `Scroll ${Date.now()}`);
    await page.getByTestId("composer-input").fill("How many rows per region?");
    await page.getByTestId("composer-input").press("Enter");
    await page.getByTestId("stop-button").waitFor();
    const transcript = page.getByTestId("transcript");
    // Well past the 48 px within which the reader counts as "at the bottom".
    const overflowing = () => transcript.evaluate((el) => el.scrollHeight > el.clientHeight + 120);
    for (let i = 0; i < 100 && !(await overflowing()); i++) await page.waitForTimeout(100);
    assert.ok(await overflowing(), "the answer outgrows the transcript");

    await transcript.evaluate((el) => el.scrollTo({ top: 0 }));
    await page.getByTestId("jump-to-latest").waitFor({ timeout: 3000 });
    const height = await transcript.evaluate((el) => el.scrollHeight);
    for (let i = 0; i < 100 && (await transcript.evaluate((el) => el.scrollHeight)) === height; i++) await page.waitForTimeout(100);
    assert.equal(await transcript.evaluate((el) => el.scrollTop), 0, "new output did not pull the reader down");

    await page.getByTestId("jump-to-latest").click();
    await page.getByTestId("jump-to-latest").waitFor({ state: "detached" });
    const gap = () => transcript.evaluate((el) => el.scrollHeight - el.scrollTop - el.clientHeight);
    for (let i = 0; i < 50 && (await gap()) > 48; i++) await page.waitForTimeout(100);
    assert.ok((await gap()) <= 48, "back at the bottom");
  } finally {
    await close();
  }
});
