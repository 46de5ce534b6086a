/**
 * `config get` of a key left at its default answers from a small table of defaults and never loads
 * the schema library; only what the table cannot answer (unknown paths, suggestions) loads it.
 * Every module the spawned binary loads is recorded through a module hook.
 */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { test } from "node:test";
import { BIN, ROOT, tempHome } from "../helpers/cli.js";

/** Runs the built CLI with a load hook; returns its output and the dist files it loaded. */
function runRecorded(t: { after(fn: () => void): void }, argv: string[], env: Record<string, string | undefined>) {
  const dir = mkdtempSync(path.join(os.tmpdir(), "openclaw-load-log-"));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const log = path.join(dir, "loaded.txt");
  writeFileSync(path.join(dir, "hooks.mjs"), 'import { appendFileSync } from "node:fs";\nexport async function load(url, context, next) { appendFileSync(process.env.OPENCLAW_LOAD_LOG, `${url}\\n`); return next(url, context); }\n');
  writeFileSync(path.join(dir, "register.mjs"), 'import { register } from "node:module";\nregister("./hooks.mjs", import.meta.url);\n');
  const r = spawnSync(process.execPath, ["--import", path.join(dir, "register.mjs"), BIN, ...argv], { env: { ...env, OPENCLAW_LOAD_LOG: log } as NodeJS.ProcessEnv, encoding: "utf8", timeout: 30_000 });
  const loaded = existsSync(log) ? readFileSync(log, "utf8").split("\n").filter((u) => u.startsWith("file://") && u.includes("/dist/")) : [];
  return { code: r.status, stdout: r.stdout, stderr: r.stderr, loaded: loaded.map((u) => new URL(u).pathname) };
}

const loadsSchemaLibrary = (files: string[]) => files.filter((f) => /ZodType|\$ZodError/.test(readFileSync(f, "utf8")));

test("config get of defaults (top-level and nested) does not load the schema library", (t) => {
  assert.ok(existsSync(path.join(ROOT, "dist", "cli.js")), "build first: npm run build");
  const { env } = tempHome(t);
  for (const [key, expected] of [
    ["gateway.port", "18789"],
    ["gateway.bind", "loopback"],
    ["gateway.reload.mode", "hybrid"],
    ["logging.maxFileBytes", "104857600"],
  ] as const) {
    const r = runRecorded(t, ["config", "get", key], env);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout, `${expected}\n`);
    assert.match(r.stderr, /showing the default|is the default/);
    assert.ok(r.loaded.length > 0, "the hook recorded the modules");
    assert.deepEqual(loadsSchemaLibrary(r.loaded), [], `${key} loaded the schema library`);
  }
});

test("the recorder can fail: a mistyped path (suggestion) does load the schema library", (t) => {
  const { env } = tempHome(t);
  const r = runRecorded(t, ["config", "get", "gateway.prot"], env);
  assert.equal(r.code, 1, r.stderr);
  assert.match(r.stderr, /did you mean gateway\.port/);
  assert.ok(loadsSchemaLibrary(r.loaded).length > 0, JSON.stringify(r.loaded));
});
