// CLI start-up: `--version`, `--help`, `completion` and `config get gateway.port` against bare `node -e 0`, measured in the
// same run, with and without NODE_EXTRA_CA_CERTS (which adds ~50 ms to every Node 20 start here).
// A key left at its default is answered from the plain defaults table (no schema library), so the
// "(default)" rows should cost about what the "(set)" row does; a non-leaf default still loads it.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { medianWall, printTable } from "./lib.mjs";

const root = path.resolve(import.meta.dirname, "..");
const bin = path.join(root, "bin/openclaw.cjs");
const home = mkdtempSync(path.join(os.tmpdir(), "openclaw-bench-"));
const fresh = mkdtempSync(path.join(os.tmpdir(), "openclaw-bench-fresh-"));
mkdirSync(path.join(home, ".openclaw"));
writeFileSync(path.join(home, ".openclaw", "openclaw.json"), '// bench\n{ gateway: { mode: "local", port: 19999 } }\n');

const runs = Number(process.env.BENCH_RUNS ?? 15);
for (const [label, extra] of [
  ["with NODE_EXTRA_CA_CERTS (as this machine sets it)", {}],
  ["without NODE_EXTRA_CA_CERTS", { NODE_EXTRA_CA_CERTS: undefined }],
]) {
  const base = { ...process.env, ...extra };
  for (const k of Object.keys(base)) if (base[k] === undefined) delete base[k];
  const env = { ...base, HOME: home };
  const node = medianWall(process.execPath, ["-e", "0"], { env, runs });
  const row = (name, args, e = env, target) => {
    const ms = medianWall(process.execPath, [bin, ...args], { env: e, runs });
    return { name, ms, ratio: ms / node, target };
  };
  printTable(`CLI start-up, ${label} (median of ${runs})`, [
    { name: "node -e 0 (baseline)", ms: node, ratio: 1 },
    row("openclaw --version", ["--version"]),
    row("openclaw --help", ["--help"]),
    row("openclaw completion --shell bash", ["completion", "--shell", "bash"], env, 1.5),
    row("openclaw config get gateway.port (set)", ["config", "get", "gateway.port"], env, 3),
    row("openclaw config get gateway.port (default)", ["config", "get", "gateway.port"], { ...base, HOME: fresh }, 3),
    row("openclaw config get gateway.reload.mode (default)", ["config", "get", "gateway.reload.mode"], { ...base, HOME: fresh }, 3),
    row("openclaw config get gateway (default object, loads the schema)", ["config", "get", "gateway"], { ...base, HOME: fresh }),
  ]);
}
rmSync(home, { recursive: true, force: true });
rmSync(fresh, { recursive: true, force: true });
