// The Control UI (issue 17): its gzipped size (target ≤ 200 KB) and the overview's first render on
// loopback — navigation start → the gateway's version visible — in headless chromium, over a few
// fresh (uncached) page loads. Baseline in the same run, from the same gateway: a static hello page
// placed beside the UI's assets, navigation start → its text visible. Target: ≤ 1 s absolute.
// Needs `npm run build` (dist/control-ui) and Debian's chromium (OPENCLAW_CHROMIUM to override).
import { spawn } from "node:child_process";
import { cpSync, existsSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { chromium } from "playwright-core";
import { measureControlUi } from "../scripts/build-ui.mjs";
import { gatewayBenchHome, printTable, waitHealthy } from "./lib.mjs";

const RUNS = Number(process.env.BENCH_RUNS ?? 7);
const root = path.resolve(import.meta.dirname, "..");
const dist = path.join(root, "dist", "control-ui");
if (!existsSync(path.join(dist, "index.html"))) throw new Error("dist/control-ui is missing: run npm run build first");

const size = measureControlUi(dist);
console.log(`\ncontrol-ui size: ${size.files.length} files, ${(size.bytes / 1024).toFixed(1)} KB raw, ${(size.gzipBytes / 1024).toFixed(1)} KB gzipped  ${size.gzipBytes <= 200 * 1024 ? "ok" : "MISSES"} (target ≤ 200 KB)`);

// The gateway serves a copy of the build with the hello page among the assets.
const { home, token, port, env, bin } = gatewayBenchHome("openclaw-bench-ui-");
const uiRoot = path.join(home, "control-ui");
cpSync(dist, uiRoot, { recursive: true });
writeFileSync(path.join(uiRoot, "assets", "hello.html"), '<!doctype html><meta charset="utf-8"><title>hello</title><p id="hello">hello</p>\n');
const configFile = path.join(home, ".openclaw", "openclaw.json");
const config = JSON.parse(readFileSync(configFile, "utf8"));
config.gateway.controlUi = { root: uiRoot };
writeFileSync(configFile, JSON.stringify(config));
let stderr = "";
const child = spawn(process.execPath, [bin, "gateway"], { env: { ...env, OPENCLAW_SKIP_CHANNELS: "1" }, stdio: ["ignore", "ignore", "pipe"] });
child.stderr.on("data", (d) => {
  stderr += d;
});
const isRoot = typeof process.getuid === "function" && process.getuid() === 0;
const browser = await chromium.launch({ executablePath: process.env.OPENCLAW_CHROMIUM ?? "/usr/bin/chromium", headless: true, args: isRoot ? ["--no-sandbox"] : [] });
try {
  await waitHealthy(port, () => stderr);
  const base = `http://127.0.0.1:${port}/`;
  // Time from navigation start (performance.timeOrigin) to `visible()` being true, checked every frame in
  // the page (functions, not strings: the UI's CSP forbids eval).
  const firstRender = async (url, visible) => {
    const context = await browser.newContext({ viewport: { width: 375, height: 740 } });
    const page = await context.newPage();
    try {
      await page.goto(url, { waitUntil: "commit" });
      const handle = await page.waitForFunction(visible, undefined, { polling: "raf", timeout: 15_000 });
      return await handle.jsonValue();
    } finally {
      await context.close();
    }
  };
  const version = () => {
    const v = document.querySelector("openclaw-app")?.shadowRoot?.querySelector("oc-overview")?.shadowRoot?.querySelector('[data-testid="overview-version"]');
    return v && v.textContent.trim().length > 0 ? performance.now() : false;
  };
  const hello = () => (document.getElementById("hello") ? performance.now() : false);
  const ui = [];
  const baseline = [];
  await firstRender(`${base}assets/hello.html`, hello); // warm-up: the gateway's first request
  await firstRender(`${base}#token=${token}`, version);
  for (let i = 0; i < RUNS; i++) {
    baseline.push(await firstRender(`${base}assets/hello.html`, hello));
    ui.push(await firstRender(`${base}#token=${token}`, version));
  }
  const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  const b = median(baseline);
  const u = median(ui);
  printTable(`control-ui first render on loopback (median of ${RUNS} fresh loads, 375 px, chromium headless)`, [
    { name: "baseline: static hello page (same gateway)", ms: b, ratio: 1 },
    { name: "overview: navigation → version visible", ms: u, ratio: u / b },
  ]);
  console.log(`  overview max ${Math.max(...ui).toFixed(1)} ms  ${u <= 1000 ? "ok" : "MISSES"} (target ≤ 1000 ms)`);
} finally {
  await browser.close();
  child.kill("SIGTERM");
  await new Promise((r) => child.once("exit", r));
  rmSync(home, { recursive: true, force: true });
}
