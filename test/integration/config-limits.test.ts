/**
 * The built CLI under a small heap (`--max-old-space-size`): config inputs and edits that used to
 * need gigabytes must finish inside it. A memory bound, not a timing assertion.
 */
import assert from "node:assert/strict";
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { describe, test } from "node:test";
import { runBinary, tempHome } from "../helpers/cli.js";

const SMALL_HEAP = "--max-old-space-size=192";

function home(t: { after(fn: () => void): void }) {
  const h = tempHome(t);
  const dir = path.join(h.home, ".openclaw");
  mkdirSync(dir);
  return { ...h, dir, file: path.join(dir, "openclaw.json"), env: { ...h.env, NODE_OPTIONS: SMALL_HEAP } };
}

describe("config set on a long hand-written file", () => {
  test("16k comment lines: the value changes, every comment survives, the diff is one line each way", async (t) => {
    const h = home(t);
    const comments = Array.from({ length: 16_000 }, (_, i) => `    // comment line ${i}`);
    const text = ["{", "  gateway: {", '    mode: "local",', ...comments, "    port: 18789,", "  },", "}", ""].join("\n");
    writeFileSync(h.file, text);
    const r = await runBinary(["config", "set", "gateway.port", "18790", "--dry-run", "--json"], { env: h.env });
    assert.equal(r.code, 0, r.stderr.slice(0, 500));
    const diff = (JSON.parse(r.stdout) as { diff: string[] }).diff;
    assert.deepEqual(diff.filter((l) => /^[-+] /.test(l)).sort(), ["+     port: 18790,", "-     port: 18789,"]);
    assert.ok(diff.length <= 8, diff.join("\n"));
    const set = await runBinary(["config", "set", "gateway.port", "18790"], { env: h.env });
    assert.equal(set.code, 0, set.stderr.slice(0, 500));
    assert.equal(readFileSync(h.file, "utf8"), text.replace("port: 18789,", "port: 18790,"));
    assert.deepEqual(readdirSync(h.dir).sort(), ["openclaw.json", "openclaw.json.bak"]);
  });
});

describe("config validate on inputs that used to exhaust the process", () => {
  test("an $include of /dev/zero is one located issue, exit 3", { skip: process.platform === "win32" }, async (t) => {
    const h = home(t);
    writeFileSync(h.file, '{\n  "$include": "/dev/zero"\n}\n');
    const r = await runBinary(["config", "validate", "--json"], { env: { ...h.env, OPENCLAW_INCLUDE_ROOTS: "/dev" } });
    assert.equal(r.code, 3, r.stderr.slice(0, 500));
    const out = JSON.parse(r.stdout) as { issues: Array<{ file: string; line: number; message: string }> };
    assert.equal(out.issues.length, 1);
    assert.deepEqual([out.issues[0]!.file, out.issues[0]!.line], [h.file, 2]);
    assert.match(out.issues[0]!.message, /\/dev\/zero is a character device/);
  });

  test("a 50 MB one-line config is refused by size, and nothing prints the line", async (t) => {
    const h = home(t);
    writeFileSync(h.file, `{ meta: { note: "${"x".repeat(50 * 1024 * 1024)}" }`);
    const r = await runBinary(["config", "validate"], { env: h.env });
    assert.equal(r.code, 3, r.stderr.slice(0, 500));
    assert.match(r.stdout, /openclaw\.json is 50\.0 MiB, over the 2\.0 MiB limit/);
    assert.ok(r.stdout.length + r.stderr.length < 4096, `output is ${r.stdout.length} chars`);
  });
});
