// Headless Chromium for the end-to-end tests: the system's browser (Debian's `chromium`, or
// CHROMIUM), never a downloaded one, with a fresh profile each launch.

import { chromium } from "playwright-core";
import { existsSync, mkdtempSync, mkdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";

export const screenshots = resolve(import.meta.dirname, "../../target/screenshots");

export function findChromium() {
  const candidates = [process.env.CHROMIUM, "/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome"].filter(Boolean);
  const found = candidates.find((path) => existsSync(path));
  if (!found) throw new Error(`No Chromium found (tried ${candidates.join(", ")}); install Debian's chromium or set CHROMIUM.`);
  return found;
}

export async function launch() {
  const profile = mkdtempSync(join(tmpdir(), "mason-chromium-"));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: findChromium(),
    headless: true,
    viewport: { width: 1360, height: 860 },
    args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
  });
  mkdirSync(screenshots, { recursive: true });
  const close = async () => {
    await context.close();
    rmSync(profile, { recursive: true, force: true });
  };
  return { context, close };
}

export function baseUrl() {
  return (process.env.MASON_URL ?? "http://127.0.0.1:8000").replace(/\/$/, "");
}
