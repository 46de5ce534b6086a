// Shared benchmark helpers: spawn timing, medians, ratio tables.
import { spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";

/** Median wall time (ms) of `runs` spawns of `cmd args` (after one warm-up run). */
export function medianWall(cmd, args, { env = process.env, runs = 15, okCodes = [0] } = {}) {
  spawnSync(cmd, args, { env, stdio: "ignore" });
  const times = [];
  for (let i = 0; i < runs; i++) {
    const t0 = process.hrtime.bigint();
    const r = spawnSync(cmd, args, { env, stdio: "ignore" });
    if (!okCodes.includes(r.status)) throw new Error(`${cmd} ${args.join(" ")} exited ${r.status}`);
    times.push(Number(process.hrtime.bigint() - t0) / 1e6);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)];
}

/** Prints rows `{ name, ms, ratio, target }` as a table. */
export function printTable(title, rows) {
  console.log(`\n${title}`);
  for (const r of rows) {
    const verdict = r.target === undefined ? "" : r.ratio <= r.target ? `  ok (target ≤ ${r.target}×)` : `  MISSES target ≤ ${r.target}×`;
    console.log(`  ${r.name.padEnd(42)} ${r.ms.toFixed(1).padStart(8)} ms  ${r.ratio.toFixed(2).padStart(6)}×${verdict}`);
  }
}

const RSS_HOOK = new URL("./rss-hook.cjs", import.meta.url).pathname;

/** Peak RSS (MiB) of one run of a Node program, reported by a preloaded exit hook. */
export function peakRssMiB(args, { env = process.env } = {}) {
  const file = path.join(os.tmpdir(), `openclaw-bench-rss-${process.pid}-${Date.now()}`);
  spawnSync(process.execPath, ["-r", RSS_HOOK, ...args], { env: { ...env, BENCH_RSS_FILE: file }, stdio: "ignore" });
  try {
    return Number(readFileSync(file, "utf8")) / 1024;
  } finally {
    rmSync(file, { force: true });
  }
}

/**
 * A temp HOME whose openclaw.json runs a local gateway on a random port with a fresh token, and the
 * environment to start `bin/openclaw.mjs gateway` in it (no inherited state dir, config or timeouts).
 */
export function gatewayBenchHome(prefix) {
  const home = mkdtempSync(path.join(os.tmpdir(), prefix));
  const token = randomBytes(24).toString("hex");
  const port = 20000 + Math.floor(Math.random() * 20000);
  mkdirSync(path.join(home, ".openclaw"), { recursive: true });
  writeFileSync(
    path.join(home, ".openclaw", "openclaw.json"),
    JSON.stringify({ gateway: { mode: "local", port, auth: { token } }, logging: { file: path.join(home, "logs", "openclaw.log") } }),
  );
  const env = { ...process.env, HOME: home, NO_COLOR: "1" };
  delete env.OPENCLAW_STATE_DIR;
  delete env.OPENCLAW_CONFIG_PATH;
  delete env.OPENCLAW_HANDSHAKE_TIMEOUT_MS;
  const bin = path.join(path.resolve(import.meta.dirname, ".."), "bin/openclaw.mjs");
  return { home, token, port, env, bin };
}

/** A WebSocket to the gateway that has completed `connect` with the token (read scope by default). */
export async function connectBenchClient(port, token, scopes = ["operator.read"]) {
  const { default: WebSocket } = await import("ws");
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`ws://127.0.0.1:${port}`);
    ws.once("error", reject);
    ws.on("message", function first(data) {
      const f = JSON.parse(data.toString());
      if (f.event === "connect.challenge") {
        ws.send(JSON.stringify({ type: "req", id: "c", method: "connect", params: { minProtocol: 3, maxProtocol: 4, client: { id: "test", mode: "test", version: "bench", platform: "linux" }, role: "operator", scopes, auth: { token } } }));
      } else if (f.id === "c") {
        ws.off("message", first);
        if (!f.ok) reject(new Error(JSON.stringify(f.error)));
        else resolve(ws);
      }
    });
  });
}

/** The p-th percentile of a list of numbers. */
export function percentile(xs, p) {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))];
}

/** Resident memory of a process in MiB, from /proc. */
export function rssMiB(pid) {
  return Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, "utf8"))?.[1] ?? 0) / 1024;
}

/** Waits until `/healthz` answers 200 (10 s at most); `why()` explains a failure. */
export async function waitHealthy(port, why = () => "") {
  for (let i = 0; i < 500; i++) {
    try {
      const r = await fetch(`http://127.0.0.1:${port}/healthz`, { signal: AbortSignal.timeout(2000) });
      await r.body?.cancel();
      if (r.status === 200) return;
    } catch {
      // not up yet
    }
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error(`gateway did not start: ${why()}`);
}

/** At least `count` sequential health calls over `ws` (and on while `more()`), `gapMs` apart; latencies in ms. */
export async function healthLatencies(ws, count, { gapMs = 0, more = () => false } = {}) {
  const lat = [];
  for (let i = 0; i < count || more(); i++) {
    const id = `h${i}`;
    const t0 = performance.now();
    await new Promise((resolve) => {
      const on = (data) => {
        if (data.toString().includes(`"id":"${id}"`)) {
          ws.off("message", on);
          resolve();
        }
      };
      ws.on("message", on);
      ws.send(`{"type":"req","id":"${id}","method":"health","params":{}}`);
    });
    lat.push(performance.now() - t0);
    if (gapMs) await new Promise((r) => setTimeout(r, gapMs));
  }
  return lat;
}
