/**
 * `migrate` tells the truth: a default export carries no secret values (names only, the checklist
 * says what to re-enter); stored paths into the old home are rewritten, `sessions.json` included;
 * a path the source did not have either (as `openclaw setup` leaves `agents.entries.main.agentDir`)
 * is a note, not a failure; sealed secrets need the right passphrase; and `migrate verify` fails
 * on checklist findings of warning level (placeholders, plugin folders), listing each.
 */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { before, test } from "node:test";
import Database from "better-sqlite3";
import { type CliRun, ROOT, runBinary } from "../helpers/cli.js";
import { show, stdoutJson, writeFile } from "../helpers/inspect.js";

type After = { after(fn: () => unknown): void };

interface Home {
  home: string;
  stateDir: string;
  env: Record<string, string | undefined>;
  run(argv: string[]): Promise<CliRun>;
}

function twoHomes(t: After): { root: string; alice: Home; bob: Home } {
  const root = mkdtempSync(path.join(os.tmpdir(), "openclaw-migrate-honest-"));
  t.after(() => rmSync(root, { recursive: true, force: true }));
  const make = (name: string): Home => {
    const home = path.join(root, name);
    mkdirSync(home, { mode: 0o700 });
    const env = { HOME: home, PATH: process.env.PATH, NO_COLOR: "1", TMPDIR: os.tmpdir() };
    return { home, stateDir: path.join(home, ".openclaw"), env, run: (argv) => runBinary(argv, { env }) };
  };
  return { root, alice: make("home-alice"), bob: make("home-bob") };
}

const json = stdoutJson;

before(() => assert.ok(existsSync(path.join(ROOT, "dist", "cli.js")), "build the CLI first: npm run build"));

/** A state dir shaped like `openclaw setup` leaves it, plus secrets and a session store with absolute paths. */
function seedLikeSetup(alice: Home): { secrets: Record<string, string>; apiKey: string } {
  const A = alice.home;
  const secrets = { OPENCLAW_GATEWAY_TOKEN: `gw-${randomBytes(16).toString("hex")}`, BRAVE_API_KEY: `brave-${randomBytes(12).toString("hex")}` };
  const apiKey = `sk-ant-${randomBytes(16).toString("hex")}`;
  writeFile(
    path.join(alice.stateDir, "openclaw.json"),
    `${JSON.stringify({ gateway: { mode: "local", auth: { mode: "token", token: "${OPENCLAW_GATEWAY_TOKEN}" } }, agents: { defaults: { workspace: `${A}/.openclaw/workspace` }, entries: { main: { workspace: `${A}/.openclaw/workspace`, agentDir: `${A}/.openclaw/agents/main/agent` } } } }, null, 2)}\n`,
  );
  writeFile(path.join(alice.stateDir, ".env"), Object.entries(secrets).map(([k, v]) => `${k}=${v}\n`).join(""));
  writeFile(path.join(alice.stateDir, "workspace", "AGENTS.md"), "# agents\n");
  // Auth profiles live in another agent's dir here; main's agentDir does not exist (as after setup).
  writeFile(path.join(alice.stateDir, "agents/helper/agent/auth-profiles.json"), `${JSON.stringify({ version: 1, profiles: { "anthropic:default": { type: "api_key", provider: "anthropic", key: apiKey } } }, null, 2)}\n`);
  writeFile(path.join(alice.stateDir, "agents/main/sessions/sessions.json"), `${JSON.stringify({ "agent:main:main": { sessionId: "s1", updatedAt: 1, sessionFile: `${A}/.openclaw/agents/main/sessions/s1.jsonl` } }, null, 2)}\n`);
  writeFile(path.join(alice.stateDir, "agents/main/sessions/s1.jsonl"), `${JSON.stringify({ type: "session", id: "s1" })}\n`);
  mkdirSync(path.join(alice.stateDir, "state"), { mode: 0o700 });
  const db = new Database(path.join(alice.stateDir, "state", "openclaw.sqlite"));
  db.exec("PRAGMA journal_mode=WAL; CREATE TABLE kv(k, v); INSERT INTO kv VALUES ('a', 1);");
  db.close();
  return { secrets, apiKey };
}

test("a default migration bundle carries no secret values; import rewrites sessions.json and notes what the source lacked too", async (t) => {
  const { root, alice, bob } = twoHomes(t);
  const { secrets, apiKey } = seedLikeSetup(alice);
  const archive = path.join(root, "alice.tar.gz");
  const exp = await alice.run(["migrate", "export", "--output", archive, "--no-stop", "--json"]);
  assert.equal(exp.code, 0, show(exp));
  const exported = json<{ secrets: Array<{ name: string }>; heldBack: string[]; secretsSealed: boolean }>(exp);
  assert.equal(exported.secretsSealed, false);
  for (const name of Object.keys(secrets)) assert.ok(exported.secrets.some((s) => s.name === name), `${name} not inventoried`);
  assert.ok(exported.heldBack.some((h) => h.endsWith("/.env")), JSON.stringify(exported.heldBack));
  assert.ok(exported.heldBack.some((h) => /auth-profiles\.json: anthropic:default\.key$/.test(h)), JSON.stringify(exported.heldBack));

  // Not one secret value anywhere in the archive's bytes; .env is not in it at all.
  const bytes = spawnSync("sh", ["-c", `gzip -dc '${archive}'`], { maxBuffer: 64 << 20 }).stdout.toString("latin1");
  for (const [name, value] of [...Object.entries(secrets), ["auth profile key", apiKey] as const]) assert.ok(!bytes.includes(value), `the value of ${name} is in the archive`);
  const names = spawnSync("tar", ["-tzf", archive], { encoding: "utf8" }).stdout.split("\n");
  assert.ok(!names.some((n) => n.endsWith("/.openclaw/.env")), "the .env file is in the archive");

  const imp = await bob.run(["migrate", "import", archive, "--no-service", "--force", "--json"]);
  assert.equal(imp.code, 0, show(imp));
  const imported = json<{ unresolved: unknown[]; notes: string[]; secretsToEnter: string[] }>(imp);
  assert.deepEqual(imported.unresolved, []);
  assert.ok(imported.notes.some((n) => n.includes(`${bob.home}/.openclaw/agents/main/agent`) && /did not exist on the source either/.test(n)), JSON.stringify(imported.notes));
  for (const name of Object.keys(secrets)) assert.ok(imported.secretsToEnter.includes(name), `${name} missing from the checklist`);
  const store = JSON.parse(readFileSync(path.join(bob.stateDir, "agents/main/sessions/sessions.json"), "utf8")) as Record<string, { sessionFile: string }>;
  assert.equal(store["agent:main:main"]?.sessionFile, `${bob.home}/.openclaw/agents/main/sessions/s1.jsonl`);
  assert.equal(existsSync(path.join(bob.stateDir, ".env")), false);
  const profiles = readFileSync(path.join(bob.stateDir, "agents/helper/agent/auth-profiles.json"), "utf8");
  assert.ok(!profiles.includes(apiKey));
  assert.match(profiles, /anthropic:default/, "the profile itself (provider, type) travels");
  const db = new Database(path.join(bob.stateDir, "state", "openclaw.sqlite"), { readonly: true, fileMustExist: true });
  try {
    assert.deepEqual(db.prepare("SELECT k FROM kv").pluck().all(), ["a"], "state/openclaw.sqlite came across");
  } finally {
    db.close();
  }
});

test("sealed secrets: a wrong passphrase is one clear error and writes no secret", async (t) => {
  const { root, alice, bob } = twoHomes(t);
  const { secrets } = seedLikeSetup(alice);
  const archive = path.join(root, "sealed.tar.gz");
  const exp = await alice.run(["migrate", "export", "--output", archive, "--no-stop", "--include-secrets", "--json"]);
  assert.equal(exp.code, 2, `--include-secrets without a passphrase is a usage error\n${show(exp)}`);
  assert.match(json<{ error: { hint: string } }>(exp).error.hint, /passphrase-file|OPENCLAW_MIGRATE_PASSPHRASE/);
  const ok = await runBinary(["migrate", "export", "--output", archive, "--no-stop", "--include-secrets", "--json"], { env: { ...alice.env, OPENCLAW_MIGRATE_PASSPHRASE: "right horse battery" } });
  assert.equal(ok.code, 0, show(ok));
  const wrong = await runBinary(["migrate", "import", archive, "--no-service", "--force", "--json"], { env: { ...bob.env, OPENCLAW_MIGRATE_PASSPHRASE: "wrong" } });
  assert.equal(wrong.code, 3, show(wrong));
  assert.match(json<{ error: { message: string } }>(wrong).error.message, /do not open with this passphrase/);
  assert.equal(existsSync(path.join(bob.stateDir, ".env")), false);
  for (const value of Object.values(secrets)) assert.ok(!wrong.stdout.includes(value) && !wrong.stderr.includes(value));
  const right = await runBinary(["migrate", "import", archive, "--no-service", "--force", "--json"], { env: { ...bob.env, OPENCLAW_MIGRATE_PASSPHRASE: "right horse battery" } });
  assert.equal(right.code, 0, show(right));
  assert.equal(readFileSync(path.join(bob.stateDir, ".env"), "utf8"), readFileSync(path.join(alice.stateDir, ".env"), "utf8"));
});

test("migrate verify fails (exit 3) on checklist warnings: a placeholder allowFrom and a plugin folder that is not its id, each listed", async (t) => {
  const { alice } = twoHomes(t);
  writeFile(path.join(alice.stateDir, "openclaw.json"), `${JSON.stringify({ gateway: { mode: "local" }, channels: { whatsapp: { dmPolicy: "allowlist", allowFrom: ["+1XXXXXXXXXX"] } } })}\n`);
  writeFile(path.join(alice.stateDir, "credentials/whatsapp/creds.json"), "{}\n");
  writeFile(path.join(alice.stateDir, "extensions/old-name/openclaw.plugin.json"), `${JSON.stringify({ id: "new-name" })}\n`);
  const v = await alice.run(["migrate", "verify", "--json"]);
  assert.equal(v.code, 3, show(v));
  const checks = json<{ ok: boolean; checks: Array<{ check: string; ok: boolean; detail: string }> }>(v).checks;
  for (const id of ["config.placeholder_allow_from", "state.extension_id_mismatch"]) {
    const row = checks.find((c) => c.check.trim() === id);
    assert.ok(row && !row.ok, `${id} is not listed as a failure: ${JSON.stringify(checks, null, 1)}`);
  }
  const human = await alice.run(["migrate", "verify"]);
  assert.equal(human.code, 3);
  assert.doesNotMatch(human.stdout, /migration verified/);
  assert.match(human.stdout, /FAIL\s+config\.placeholder_allow_from/);
});
