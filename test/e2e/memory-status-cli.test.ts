/**
 * `openclaw status` and `openclaw health` show a Memory line from the gateway's answer (per agent:
 * state, files, chunks, keyword-only, last indexed), the built CLI never loads SQLite for it, and
 * with the gateway down status shows what it always did (no Memory line, no `memory` key).
 */
import assert from "node:assert/strict";
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, test } from "node:test";
import { ROOT, runInProcess, runWithSqliteProbe, tempHome } from "../helpers/cli.js";
import { freePort, startTestGateway, waitUntil } from "../helpers/gateway.js";

type Obj = Record<string, unknown>;

async function indexedGateway(t: { after(fn: () => unknown): void }) {
  const ws = mkdtempSync(path.join(os.tmpdir(), "openclaw-memcli-"));
  t.after(() => rmSync(ws, { recursive: true, force: true }));
  mkdirSync(path.join(ws, "memory"));
  writeFileSync(path.join(ws, "MEMORY.md"), "# Long-term\n\nGreen tea in the morning.\n");
  writeFileSync(path.join(ws, "memory", "2026-11-30.md"), "# Today\n\nShipped the release.\n");
  const gw = await startTestGateway(t, { memory: true, config: { agents: { defaults: { workspace: ws } } } });
  const c = await gw.connect();
  t.after(() => c.close());
  // MEMORY.md, the daily note and the bootstrap's USER.md.
  await waitUntil(async () => ((await c.call("health", { probe: true })) as { memory: { agents: Obj[] } }).memory.agents[0]!.files === 3, 15_000, "the initial sync");
  return { gw, target: ["--url", gw.url, "--token", gw.token, "--timeout", "3000"] };
}

describe("memory in status and health", () => {
  test("status and health render a Memory line from the gateway; --json carries the summary", async (t) => {
    const { gw, target } = await indexedGateway(t);
    const status = await runInProcess(["status", ...target], { env: gw.env });
    assert.equal(status.code, 0, status.stderr);
    assert.match(status.stdout, /^Memory: main ok · 3 files · \d+ chunks · keyword only · indexed \d+s ago$/m);
    const json = await runInProcess(["status", "--json", ...target], { env: gw.env });
    const report = JSON.parse(json.stdout) as { memory: { watching: boolean; agents: Obj[] } };
    assert.equal(report.memory.watching, true);
    assert.deepEqual({ state: report.memory.agents[0]!.state, files: report.memory.agents[0]!.files }, { state: "ok", files: 3 });
    const health = await runInProcess(["health", ...target], { env: gw.env });
    assert.equal(health.code, 0, health.stderr);
    assert.match(health.stdout, /^ {2}memory: main ok · 3 files · \d+ chunks · keyword only · indexed \d+s ago$/m);
  });

  test("with the gateway down, status has no Memory line and no memory key", async (t) => {
    const { home, env } = tempHome(t);
    mkdirSync(path.join(home, ".openclaw"), { recursive: true });
    writeFileSync(path.join(home, ".openclaw", "openclaw.json"), JSON.stringify({ gateway: { mode: "local", port: await freePort(), auth: { token: "down-token-0123456789abcdef" } } }));
    const human = await runInProcess(["status", "--timeout", "300"], { env });
    assert.equal(human.code, 0, human.stderr);
    assert.match(human.stdout, /^Gateway: unreachable/m);
    assert.doesNotMatch(human.stdout, /^Memory:/m);
    const json = JSON.parse((await runInProcess(["status", "--json", "--timeout", "300"], { env })).stdout) as Obj;
    assert.equal("memory" in json, false);
  });

  test("the built CLI's status and health never load better-sqlite3 for the memory line", async (t) => {
    assert.ok(existsSync(path.join(ROOT, "dist", "cli.js")), "run npm run build");
    const { gw, target } = await indexedGateway(t);
    for (const argv of [["status", ...target], ["health", ...target]]) {
      const r = await runWithSqliteProbe(argv, { env: gw.env, dir: gw.home });
      assert.equal(r.code, 0, r.stderr);
      assert.match(r.stdout, /memory: main ok · 3 files/i, `${argv[0]} shows the memory line`);
      assert.deepEqual(r.sqliteModules, [], `${argv[0]} loaded better-sqlite3`);
    }
  });
});
