/**
 * A small harness for browser tests: Debian's headless `chromium` driven by playwright-core (no
 * downloaded browsers), one page per test with its console errors and page errors collected, and a
 * screenshot saved to test-results/ as an artefact when the test ends. The Control UI is built fresh
 * from ui/ into a temp dir once per test process, so a stale dist/ can never be what is tested.
 */
import assert from "node:assert/strict";
import { existsSync, mkdirSync, mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { type Browser, type ConsoleMessage, chromium, type Page } from "playwright-core";

const ROOT = path.resolve(import.meta.dirname, "../..");
/** Where screenshots go (gitignored). */
export const RESULTS_DIR = path.join(ROOT, "test-results");
/** The browser binary: Debian's chromium unless OPENCLAW_CHROMIUM names another. */
export const CHROMIUM_PATH = process.env.OPENCLAW_CHROMIUM ?? "/usr/bin/chromium";

let built: Promise<string> | undefined;
/** Per browser: what to do with each page before the browser closes (screenshot, close its context). */
const finalizers = new WeakMap<Browser, Array<() => Promise<void>>>();

/** Builds ui/ into a temp dir once per process; returns that dir (use it as `gateway.controlUi.root`). */
export function buildControlUiOnce(): Promise<string> {
  built ??= (async () => {
    const outDir = mkdtempSync(path.join(os.tmpdir(), "openclaw-control-ui-"));
    process.once("exit", () => rmSync(outDir, { recursive: true, force: true }));
    // @ts-expect-error: a plain .mjs build script without type declarations
    const { buildControlUi } = (await import("../../scripts/build-ui.mjs")) as { buildControlUi(o: { root: string; version: string; outDir: string }): Promise<unknown> };
    await buildControlUi({ root: ROOT, version: "0.0.0-test", outDir });
    return outDir;
  })();
  return built;
}

/**
 * Launches headless chromium for the test (closed after it); `--no-sandbox` only when running as root.
 * Call it first in a test: `after` hooks run in the order they were added, so the pages' screenshots
 * are then taken before the gateway and fakes the test started later are stopped.
 */
export async function launchBrowser(t: { after(fn: () => unknown): void }): Promise<Browser> {
  if (!existsSync(CHROMIUM_PATH)) {
    throw new Error(`chromium not found at ${CHROMIUM_PATH}: run \`node scripts/ensure-system-deps.mjs\` (it installs Debian's chromium), or set OPENCLAW_CHROMIUM`);
  }
  const isRoot = typeof process.getuid === "function" && process.getuid() === 0;
  const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, headless: true, args: isRoot ? ["--no-sandbox"] : [] });
  finalizers.set(browser, []);
  // Pages are finished (screenshots taken) before the browser closes, whatever order hooks run in.
  t.after(async () => {
    for (const finish of finalizers.get(browser) ?? []) await finish();
    await browser.close();
  });
  return browser;
}

/** A page, its collected errors, and a check that there were none. */
export interface TestPage {
  page: Page;
  /** Console `error` messages and uncaught page errors, as text. */
  errors: string[];
  /** Fails the test when the page logged any error (besides those matching `allow`). */
  assertNoErrors(allow?: RegExp): void;
}

/**
 * Opens one page in a fresh context (its own sessionStorage), 375 px wide unless told otherwise,
 * and saves `test-results/<name>.png` when the test ends.
 */
export async function openPage(
  t: { name: string },
  browser: Browser,
  options: { name?: string; width?: number; height?: number; colorScheme?: "light" | "dark" } = {},
): Promise<TestPage> {
  const context = await browser.newContext({ viewport: { width: options.width ?? 375, height: options.height ?? 740 }, colorScheme: options.colorScheme ?? "light" });
  const page = await context.newPage();
  const errors: string[] = [];
  page.on("console", (m: ConsoleMessage) => {
    if (m.type() === "error") errors.push(`console.error: ${m.text()}`);
  });
  page.on("pageerror", (e) => errors.push(`pageerror: ${e.message}`));
  // Name what failed to load (the console only says "Failed to load resource").
  page.on("response", (r) => {
    if (r.status() >= 400) errors.push(`http ${r.status()}: ${new URL(r.url()).pathname}`);
  });
  const shot = (options.name ?? t.name).replace(/[^\w.-]+/g, "-").slice(0, 100);
  finalizers.get(browser)?.push(async () => {
    mkdirSync(RESULTS_DIR, { recursive: true });
    await page.screenshot({ path: path.join(RESULTS_DIR, `${shot}.png`), fullPage: true });
    await context.close();
  });
  return {
    page,
    errors,
    assertNoErrors: (allow) => assert.deepEqual(allow ? errors.filter((e) => !allow.test(e)) : errors, [], "the page logged errors"),
  };
}
