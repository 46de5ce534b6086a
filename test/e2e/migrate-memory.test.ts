/**
 * The memory index moves by being rebuilt: `migrate export` leaves the source's index out, `migrate
 * import` rebuilds it on the target (the planted note is searchable right after), and `migrate
 * verify` runs a real search — its row passes with the hit, and names `openclaw memory index` when
 * the index is gone.
 */
import assert from "node:assert/strict";
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { before, test } from "node:test";
import { ROOT, runBinary } from "../helpers/cli.js";
import { show } from "../helpers/inspect.js";

before(() => assert.ok(existsSync(path.join(ROOT, "dist", "cli.js")), "build the CLI first: npm run build"));

type Row = { check: string; ok: boolean; detail: string };

test("migrate import rebuilds the memory index; migrate verify searches it, and names the fix when it is missing", async (t) => {
  const root = mkdtempSync(path.join(os.tmpdir(), "openclaw-migrate-memory-"));
  t.after(() => rmSync(root, { recursive: true, force: true }));
  const home = (name: string) => {
    const h = path.join(root, name);
    mkdirSync(path.join(h, ".openclaw"), { recursive: true, mode: 0o700 });
    return { home: h, stateDir: path.join(h, ".openclaw"), env: { HOME: h, PATH: process.env.PATH, NO_COLOR: "1", TMPDIR: os.tmpdir() } };
  };
  const alice = home("alice");
  const bob = home("bob");
  writeFileSync(path.join(alice.stateDir, "openclaw.json"), JSON.stringify({ gateway: { mode: "local", port: 1 } }), { mode: 0o600 });
  const ws = path.join(alice.stateDir, "workspace");
  mkdirSync(path.join(ws, "memory"), { recursive: true });
  writeFileSync(path.join(ws, "MEMORY.md"), "# Memory\n\n- Prefers tea.\n");
  for (let i = 0; i < 12; i++) writeFileSync(path.join(ws, "memory", `2026-09-${String(i + 1).padStart(2, "0")}.md`), `# Day ${i}\n\nRoutine notes about errands ${i}.\n`);
  writeFileSync(path.join(ws, "memory", "vault.md"), "# Vault\n\nThe quokkaberry vault combination lives with Priya.\n");
  const indexed = await runBinary(["memory", "index"], { env: alice.env });
  assert.equal(indexed.code, 0, show(indexed));
  assert.ok(existsSync(path.join(alice.stateDir, "memory", "main.sqlite")));

  const archive = path.join(root, "alice.tar.gz");
  const exp = await runBinary(["migrate", "export", "--output", archive, "--json"], { env: alice.env });
  assert.equal(exp.code, 0, show(exp));
  const imp = await runBinary(["migrate", "import", archive, "--no-service", "--json"], { env: bob.env });
  assert.equal(imp.code, 0, show(imp));
  const imported = JSON.parse(imp.stdout) as { memory: Array<{ agentId: string; rebuilt: boolean; files: number; chunks: number }> };
  assert.deepEqual(
    imported.memory.map((m) => [m.agentId, m.rebuilt, m.files]),
    [["main", true, 14]],
  );
  assert.ok(imported.memory[0]!.chunks >= 14);
  const search = await runBinary(["memory", "search", "quokkaberry", "--json"], { env: bob.env });
  assert.equal((JSON.parse(search.stdout) as { results: Array<{ path: string }> }).results[0]?.path, "memory/vault.md", search.stdout);

  const verify = async () => {
    const v = await runBinary(["migrate", "verify", "--json"], { env: bob.env });
    assert.equal(v.code, 3, `nothing runs the gateway here, so verify fails; ${show(v)}`);
    const rows = (JSON.parse(v.stdout) as { checks: Row[] }).checks;
    const row = rows.find((r) => r.check === "memory search answers (agent main)");
    assert.ok(row, JSON.stringify(rows));
    return row;
  };
  const good = await verify();
  assert.equal(good.ok, true, good.detail);
  assert.match(good.detail, /^14 file\(s\), \d+ chunks; "\w+" → MEMORY\.md#L1-L\d+ \(keyword\)$/);

  rmSync(path.join(bob.stateDir, "memory"), { recursive: true, force: true });
  const bad = await verify();
  assert.equal(bad.ok, false);
  assert.match(bad.detail, /no memory index \(.*main\.sqlite\) → openclaw memory index --agent main$/);
  const table = await runBinary(["migrate", "verify"], { env: bob.env });
  assert.match(table.stdout, /^FAIL {2}memory search answers \(agent main\) +no memory index .* → openclaw memory index --agent main$/m);

  // The human import names what it did.
  const carol = home("carol");
  const human = await runBinary(["migrate", "import", archive, "--no-service"], { env: carol.env });
  assert.equal(human.code, 0, show(human));
  assert.match(human.stdout, /^memory index rebuilt for agent main: 14 file\(s\), \d+ chunks \(keyword search; embeddings follow once a provider key is set: openclaw memory index\)$/m);
});
