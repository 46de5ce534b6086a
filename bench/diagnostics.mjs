// Diagnostics against a running gateway: `status`, `status --json`, `doctor --non-interactive` and
// `security audit --json`, wall time and peak RSS against bare `node -e 0` in the same run.
// Targets (issue 5): status ≤ 0.2 s and doctor --non-interactive ≤ 1 s median (OpenClaw: 3.9 s, 14 s).
import { spawn } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { get } from "node:http";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { medianWall, peakRssMiB } from "./lib.mjs";

const root = path.resolve(import.meta.dirname, "..");
const bin = path.join(root, "bin/openclaw.mjs");
const home = mkdtempSync(path.join(os.tmpdir(), "openclaw-bench-diag-"));
const port = await new Promise((resolve) => {
  const s = net.createServer().listen(0, "127.0.0.1", () => {
    const p = s.address().port;
    s.close(() => resolve(p));
  });
});
mkdirSync(path.join(home, ".openclaw"), { mode: 0o700 });
writeFileSync(path.join(home, ".openclaw", "openclaw.json"), JSON.stringify({ gateway: { mode: "local", port, auth: { mode: "token", token: "bench-token-0123456789abcdefghijkl" } }, logging: { file: path.join(home, "logs", "openclaw.log") } }), { mode: 0o600 });
const env = { ...process.env, HOME: home, NO_COLOR: "1" };
const gw = spawn(process.execPath, [bin, "gateway", "--port", String(port)], { env, stdio: "ignore" });
const healthy = () => new Promise((resolve) => get({ host: "127.0.0.1", port, path: "/healthz", timeout: 500 }, (r) => { r.resume(); resolve(r.statusCode === 200); }).on("error", () => resolve(false)));
const deadline = Date.now() + 15_000;
while (!(await healthy())) {
  if (Date.now() > deadline) throw new Error("gateway did not start");
  await new Promise((r) => setTimeout(r, 50));
}
try {
  const runs = Number(process.env.BENCH_RUNS ?? 11);
  const node = medianWall(process.execPath, ["-e", "0"], { env, runs });
  const nodeRss = peakRssMiB(["-e", "0"], { env });
  console.log(`\nDiagnostics with a running gateway (median of ${runs}; RSS = peak of one run)`);
  console.log(`  ${"node -e 0 (baseline)".padEnd(34)} ${node.toFixed(1).padStart(8)} ms  ${"1.00".padStart(6)}×  ${nodeRss.toFixed(1).padStart(6)} MiB`);
  for (const [name, args, targetMs] of [
    ["openclaw status", ["status"], 200],
    ["openclaw status --json", ["status", "--json"], 200],
    ["openclaw doctor --non-interactive", ["doctor", "--non-interactive"], 1000],
    ["openclaw security audit --json", ["security", "audit", "--json"], undefined],
  ]) {
    const ms = medianWall(process.execPath, [bin, ...args], { env, runs, okCodes: [0, 3] });
    const rss = peakRssMiB([bin, ...args], { env });
    const verdict = targetMs === undefined ? "" : ms <= targetMs ? `  ok (target ≤ ${targetMs} ms)` : `  MISSES target ≤ ${targetMs} ms`;
    console.log(`  ${name.padEnd(34)} ${ms.toFixed(1).padStart(8)} ms  ${(ms / node).toFixed(2).padStart(6)}×  ${rss.toFixed(1).padStart(6)} MiB${verdict}`);
  }
} finally {
  gw.kill("SIGTERM");
  rmSync(home, { recursive: true, force: true });
}
