/**
 * `openclaw reset` and `openclaw uninstall` through the built binary: `--dry-run` lists exactly what
 * the real run then removes (compared against a listing of the whole HOME before and after), a full
 * backup is written first and kept (and verifies), nothing outside the state dir is touched, and a
 * run that cannot ask refuses without `--yes`. `uninstall --all` leaves no service file and no process.
 */
import assert from "node:assert/strict";
import { existsSync, mkdirSync, readdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { test } from "node:test";
import { runBinary, tempHome } from "../helpers/cli.js";
import { waitUntil } from "../helpers/gateway.js";
import { alive, healthz } from "../helpers/inspect.js";
import { pidsOf, serviceHome } from "../helpers/service-home.js";

/** Every path under `dir` (relative), directories included. */
function listing(dir: string): Set<string> {
  const out = new Set<string>();
  const walk = (d: string) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const full = path.join(d, e.name);
      out.add(path.relative(dir, full));
      if (e.isDirectory()) walk(full);
    }
  };
  walk(dir);
  return out;
}

/** A home with config, credentials, two agents' sessions, a workspace inside the state dir, one outside, and an unrelated file. */
function populatedHome(t: { after(fn: () => void): void }) {
  const { home, env } = tempHome(t);
  const state = path.join(home, ".openclaw");
  const outside = path.join(home, "projects", "ws-outside");
  const files: Record<string, string> = {
    ".openclaw/openclaw.json": JSON.stringify({ gateway: { mode: "local" }, agents: { list: [{ id: "main" }, { id: "work", workspace: outside }] } }),
    ".openclaw/credentials/telegram-allowFrom.json": "{}",
    ".openclaw/agents/main/sessions/sessions.json": "{}",
    ".openclaw/agents/main/sessions/abc.jsonl": '{"type":"session"}\n',
    ".openclaw/agents/main/agent/auth-profiles.json": "{}",
    ".openclaw/agents/work/sessions/sessions.json": "{}",
    ".openclaw/workspace/AGENTS.md": "# agents\n",
    ".openclaw/cron/jobs.json": '{"version":1,"jobs":[]}',
    "projects/ws-outside/NOTES.md": "mine\n",
    "unrelated.txt": "keep me\n",
  };
  for (const [rel, body] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(home, rel)), { recursive: true });
    writeFileSync(path.join(home, rel), body);
  }
  return { home, env, state, outside };
}

/** What disappeared from HOME between two listings, reduced to the topmost paths. */
function removedTops(before: Set<string>, after: Set<string>): string[] {
  const gone = [...before].filter((p) => !after.has(p));
  return gone.filter((p) => !gone.some((q) => q !== p && p.startsWith(`${q}${path.sep}`))).sort();
}

for (const scope of ["config", "config+creds+sessions", "full"] as const) {
  test(`reset --scope ${scope}: --dry-run lists exactly what reset removes; the backup comes first and is kept; nothing outside the state dir goes`, async (t) => {
    const { home, env, outside } = populatedHome(t);
    const dry = await runBinary(["reset", "--scope", scope, "--dry-run", "--json"], { env });
    assert.equal(dry.code, 0, dry.stderr);
    const planned = (JSON.parse(dry.stdout) as { remove: Array<{ path: string }> }).remove.map((r) => path.relative(home, r.path)).sort();
    assert.ok(planned.length > 0);
    const before = listing(home);

    const refused = await runBinary(["reset", "--scope", scope], { env });
    assert.equal(refused.code, 2, "without --yes and without a terminal it refuses");
    assert.match(refused.stderr, /--yes/);
    assert.deepEqual(listing(home), before, "the refused run changed nothing");

    const r = await runBinary(["reset", "--scope", scope, "--yes", "--json"], { env });
    assert.equal(r.code, 0, r.stderr);
    const out = JSON.parse(r.stdout) as { backup: string; removed: string[]; failed: unknown[] };
    assert.deepEqual(out.failed, []);
    assert.deepEqual(out.removed.map((p) => path.relative(home, p)).sort(), planned, "removed = the dry run's list");
    const after = listing(home);
    const added = [...after].filter((p) => !before.has(p));
    // The archive, and the record of the last good backup doctor reads.
    assert.ok(added.every((p) => p.startsWith("openclaw-backups") || p.startsWith(path.join(".openclaw", "backups"))), `only the backup was added: ${added.join(", ")}`);
    assert.deepEqual(removedTops(before, after), planned, "what vanished from HOME is exactly the list");
    assert.ok(existsSync(path.join(home, "unrelated.txt")) && existsSync(path.join(outside, "NOTES.md")), "nothing outside the state dir was touched");
    assert.ok(existsSync(out.backup));
    const verify = await runBinary(["backup", "verify", out.backup, "--json"], { env });
    assert.equal(verify.code, 0, `the backup verifies: ${verify.stdout}${verify.stderr}`);
  });
}

test("reset --scope full keeps a workspace outside the state dir and says so; a bad scope is a usage error", async (t) => {
  const { env, state, outside } = populatedHome(t);
  const dry = await runBinary(["reset", "--scope", "all", "--dry-run"], { env });
  assert.equal(dry.code, 0, dry.stderr);
  assert.match(dry.stdout, new RegExp(`Kept:\\n  ${outside.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}  \\(workspace outside the state dir`));
  assert.match(dry.stdout, new RegExp(`Would remove:\\n  ${state.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}  \\(state dir`));
  const bad = await runBinary(["reset", "--scope", "everything"], { env });
  assert.equal(bad.code, 2);
  assert.match(bad.stderr, /unknown --scope "everything"/);
  const nonInteractive = await runBinary(["reset", "--scope", "full", "--non-interactive"], { env });
  assert.equal(nonInteractive.code, 2);
  assert.match(nonInteractive.stderr, /--non-interactive needs --yes/);
});

test("uninstall --all: the running service is stopped and its file removed, the backup kept, no process left", async (t) => {
  const h = await serviceHome(t);
  const install = await h.run(["gateway", "install", "--json"]);
  assert.equal(install.code, 0, install.stderr);
  await waitUntil(async () => await healthz(h.port), 20_000, "the service answers");
  const { supervisors, gateways } = pidsOf(h);
  assert.ok(supervisors.length && gateways.length);

  const dry = await h.run(["uninstall", "--all", "--dry-run", "--json"]);
  assert.equal(dry.code, 0, dry.stderr);
  const plan = JSON.parse(dry.stdout) as { service: { files: string[] }; remove: Array<{ path: string }> };
  assert.deepEqual(plan.service.files, [h.definitionPath]);
  assert.ok(existsSync(h.definitionPath), "a dry run removes nothing");

  const r = await h.run(["uninstall", "--all", "--yes", "--json"]);
  assert.equal(r.code, 0, r.stderr);
  const out = JSON.parse(r.stdout) as { backup: string; removed: string[]; service: { removed: string[] } };
  assert.ok(!existsSync(h.definitionPath), "no service file behind");
  assert.ok(!existsSync(h.stateDir), "the state dir is gone");
  assert.ok(existsSync(out.backup) && !out.backup.startsWith(h.stateDir), "the backup is kept, outside the state dir");
  await waitUntil(() => [...supervisors, ...gateways].every((pid) => !alive(pid)), 15_000, "the supervisor and gateway exit");
  assert.deepEqual(out.removed.sort(), plan.remove.map((x) => x.path).sort(), "removed = the dry run's list");
  const again = await h.run(["uninstall", "--service", "--json"]);
  assert.equal(again.code, 0, again.stderr);
  assert.equal((JSON.parse(again.stdout) as { service: unknown }).service, null, "a second uninstall finds nothing");
});
