/**
 * The built binary, spawned: version, a config round trip with exit codes, and the lazy-startup
 * guarantee (--help and `config get` never statically load the schema library; `status`, `health`,
 * `config get` and `--help` never load SQLite, even with OpenClaw's state database present).
 */
import assert from "node:assert/strict";
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { test } from "node:test";
import { ROOT, runBinary, runWithSqliteProbe, tempHome } from "../helpers/cli.js";

const DIST = path.join(ROOT, "dist");

test("the binary is built (npm test builds first)", () => {
  assert.ok(existsSync(path.join(DIST, "cli.js")), "run npm run build");
});

test("--version, config set/get and exit codes through the real binary", async (t) => {
  const { env } = tempHome(t);
  const version = await runBinary(["--version"], { env });
  assert.equal(version.code, 0);
  assert.equal(version.stdout.trim(), JSON.parse(readFileSync(path.join(ROOT, "package.json"), "utf8")).version);
  const set = await runBinary(["config", "set", "gateway.port", "19999"], { env });
  assert.equal(set.code, 0, set.stderr);
  const get = await runBinary(["config", "get", "gateway.port"], { env });
  assert.equal(get.stdout, "19999\n");
  const bad = await runBinary(["config", "set", "gateway.port", '"abc"'], { env });
  assert.equal(bad.code, 1);
  const usage = await runBinary(["nosuchcommand"], { env });
  assert.equal(usage.code, 2);
  const invalid = await runBinary(["config", "set", "gateway.bind", "0.0.0.0"], { env });
  assert.equal(invalid.code, 1);
  assert.match(invalid.stderr, /gateway\.bind/);
});

/** Static imports reachable from a built file (dynamic `import()` excluded). */
function staticGraph(file: string, seen = new Set<string>()): Set<string> {
  if (seen.has(file)) return seen;
  seen.add(file);
  const text = readFileSync(file, "utf8");
  for (const m of text.matchAll(/^(?:import|export)\s[^;]*?from\s+"(\.[^"]+)"|^import\s+"(\.[^"]+)"/gm)) {
    staticGraph(path.resolve(path.dirname(file), (m[1] ?? m[2])!), seen);
  }
  return seen;
}

const loadsSchemaLibrary = (files: Set<string>) => [...files].some((f) => /ZodType|\$ZodError/.test(readFileSync(f, "utf8")));

test("startup is lazy: the entry and `config get` do not statically load the schema library", () => {
  const entry = path.join(DIST, "cli.js");
  assert.equal(loadsSchemaLibrary(staticGraph(entry)), false, "cli.js statically reaches zod");
  const chunks = path.join(DIST, "chunks");
  const get = readFileSync(entry, "utf8").match(/import\("\.\/(chunks\/get-[A-Z0-9]+\.js)"\)/)?.[1];
  assert.ok(get, "the get command is a lazily imported chunk");
  assert.equal(loadsSchemaLibrary(staticGraph(path.join(DIST, get))), false, "config get statically reaches zod");
  // The checker can fail: the schema runtime chunk (imported lazily) does contain zod.
  const runtime = readdirSync(chunks).find((f) => /^runtime-[A-Z0-9]+\.js$/.test(f));
  assert.ok(runtime, "the schema runtime is its own lazily loaded chunk");
  assert.equal(loadsSchemaLibrary(staticGraph(path.join(chunks, runtime))), true);
});

test("status, health, config get and --help never load better-sqlite3 (pairing approve does, so the probe can fail)", async (t) => {
  const { home, env } = tempHome(t);
  const stateDir = path.join(home, ".openclaw");
  mkdirSync(path.join(stateDir, "state"), { recursive: true });
  writeFileSync(path.join(stateDir, "openclaw.json"), JSON.stringify({ gateway: { mode: "local", port: 1 }, channels: { telegram: { enabled: false, dmPolicy: "pairing" } } }));
  const loaded = async (argv: string[]) => (await runWithSqliteProbe(argv, { env, dir: home })).sqliteModules;
  // The positive control first: it also leaves state/openclaw.sqlite behind for the rest.
  const pairingRun = await loaded(["pairing", "approve", "telegram", "ABCDEFGH"]);
  assert.ok(pairingRun.length > 0, "pairing approve loads better-sqlite3");
  assert.ok(existsSync(path.join(stateDir, "state", "openclaw.sqlite")));
  for (const argv of [["status"], ["status", "--json"], ["health", "--json"], ["config", "get", "gateway.port"], ["--help"], ["pairing", "--help"], ["memory", "--help"], ["memory", "index", "--help"]]) {
    assert.deepEqual(await loaded(argv), [], `${argv.join(" ")} loaded better-sqlite3`);
  }
});
