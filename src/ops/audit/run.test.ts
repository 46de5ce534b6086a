import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { type TestContext, test } from "node:test";
import JSON5 from "json5";
import { type Env, resolvePaths } from "../../infra/index.js";
import { collectSnapshot } from "../snapshot.js";
import { runAuditRules } from "./rules.js";
import { runSecurityAudit } from "./run.js";

const modeOf = (file: string) => fs.statSync(file).mode & 0o777;

const CONFIG = `// OpenClaw config, edited by hand
{
  gateway: {
    mode: "local",
    bind: "lan", // reachable from the LAN on purpose
    auth: { mode: "none" },
  },
  channels: {
    telegram: {
      /* groups stay open while testing */
      groupPolicy: "open",
      dmPolicy: "pairing",
    },
  },
}
`;

function seed(t: TestContext) {
  const home = fs.mkdtempSync(path.join(os.tmpdir(), "openclaw-audit-run-"));
  t.after(() => fs.rmSync(home, { recursive: true, force: true }));
  const stateDir = path.join(home, ".openclaw");
  fs.mkdirSync(stateDir);
  fs.chmodSync(stateDir, 0o755);
  const configPath = path.join(stateDir, "openclaw.json");
  fs.writeFileSync(configPath, CONFIG);
  fs.chmodSync(configPath, 0o644);
  const env: Env = { HOME: home };
  const paths = resolvePaths(env);
  assert.equal(paths.configPath, configPath);
  return { home, env, paths, stateDir, configPath };
}

test("runSecurityAudit without fix reports and writes nothing", async (t) => {
  const s = seed(t);
  const result = await runSecurityAudit({ env: s.env, paths: s.paths, fix: false });
  assert.equal(result.fix, undefined);
  const checkIds = result.report.findings.map((f) => f.checkId);
  for (const id of ["fs.config.perms_world_readable", "fs.state_dir.perms_readable", "channels.group_policy_open", "gateway.bind_no_auth"]) assert.ok(checkIds.includes(id), `${id} in ${JSON.stringify(checkIds)}`);
  assert.equal(modeOf(s.configPath), 0o644);
  assert.equal(modeOf(s.stateDir), 0o755);
  assert.equal(fs.readFileSync(s.configPath, "utf8"), CONFIG);
  assert.ok(!fs.existsSync(path.join(s.stateDir, "backups")));
});

test("runSecurityAudit --fix tightens modes, closes groups, keeps comments, backs up and reports undo", async (t) => {
  const s = seed(t);
  const now = new Date(Date.UTC(2026, 1, 3, 4, 5, 6, 7));
  const result = await runSecurityAudit({ env: s.env, paths: s.paths, fix: true, now });
  const fix = result.fix;
  assert.ok(fix);
  assert.deepEqual(fix.failed, []);
  assert.equal(fix.ok, true);

  // Modes.
  assert.equal(modeOf(s.configPath), 0o600);
  assert.equal(modeOf(s.stateDir), 0o700);

  // The config edit: value changed, comments and the rest untouched.
  const text = fs.readFileSync(s.configPath, "utf8");
  const parsed = JSON5.parse(text) as { gateway: Record<string, unknown>; channels: { telegram: Record<string, unknown> } };
  assert.equal(parsed.channels.telegram.groupPolicy, "allowlist");
  assert.equal(parsed.channels.telegram.dmPolicy, "pairing");
  for (const comment of ["// OpenClaw config, edited by hand", "// reachable from the LAN on purpose", "/* groups stay open while testing */"]) {
    assert.ok(text.includes(comment), `comment ${comment} lost:\n${text}`);
  }
  // Bind and auth are never touched.
  assert.equal(parsed.gateway.bind, "lan");
  assert.deepEqual(parsed.gateway.auth, { mode: "none" });

  // The backup holds the previous config.
  assert.ok(fix.backupDir);
  assert.equal(path.dirname(fix.backupDir), path.join(s.stateDir, "backups"));
  assert.match(path.basename(fix.backupDir), /^audit-fix-/);
  assert.equal(path.basename(fix.backupDir), "audit-fix-2026-02-03T04-05-06-007Z");
  assert.equal(fs.readFileSync(path.join(fix.backupDir, "openclaw.json"), "utf8"), CONFIG);

  // Every change is listed with an undo.
  const byId = new Map(fix.applied.map((a) => [a.id, a]));
  assert.deepEqual([...byId.keys()].sort(), ["channels.group_policy_open", "fs.config.perms_world_readable", "fs.state_dir.perms_readable"]);
  for (const a of fix.applied) {
    assert.ok(a.changes.length > 0, `${a.id} lists its changes`);
    assert.ok(a.undo.length > 0, `${a.id} has an undo`);
  }
  assert.deepEqual(byId.get("fs.state_dir.perms_readable")!.undo, [`chmod 0755 ${s.stateDir}`]);
  assert.deepEqual(byId.get("fs.config.perms_world_readable")!.undo, [`chmod 0644 ${s.configPath}`]);
  assert.deepEqual(byId.get("channels.group_policy_open")!.undo, [`cp ${path.join(fix.backupDir, "openclaw.json")} ${s.configPath}`]);
  assert.deepEqual(byId.get("channels.group_policy_open")!.changes, ['config set channels.telegram.groupPolicy "allowlist"']);

  // The report is the state after fixing: bind_no_auth stays (never fixed), the fixed ones are gone.
  const after = result.report.findings.map((f) => f.checkId);
  assert.ok(after.includes("gateway.bind_no_auth"), JSON.stringify(after));
  for (const id of ["fs.config.perms_world_readable", "fs.state_dir.perms_readable", "channels.group_policy_open"]) assert.ok(!after.includes(id), `${id} still reported`);

  // A second audit has nothing fixable left.
  const again = runAuditRules(collectSnapshot({ env: s.env, paths: s.paths }));
  assert.deepEqual(
    again.filter((f) => f.fix).map((f) => f.checkId),
    [],
  );
  assert.ok(again.some((f) => f.checkId === "gateway.bind_no_auth"));
  const second = await runSecurityAudit({ env: s.env, paths: s.paths, fix: true, now: new Date(now.getTime() + 1000) });
  assert.deepEqual(second.fix?.applied, []);
  assert.equal(second.fix?.backupDir, null);
  assert.equal(fs.readFileSync(s.configPath, "utf8"), text, "a second fix changes nothing");
  assert.deepEqual(fs.readdirSync(path.join(s.stateDir, "backups")), [path.basename(fix.backupDir)]);
});

test("runSecurityAudit --fix with several config edits keeps the original config in the backup", async (t) => {
  const s = seed(t);
  const original = `// two channels and logging
{
  gateway: { mode: "local" },
  channels: {
    telegram: { groupPolicy: "open" },
    discord: { groupPolicy: "open" },
  },
  logging: { redactSensitive: "off" }, // debugging
}
`;
  fs.writeFileSync(s.configPath, original);
  fs.chmodSync(s.configPath, 0o600);
  const result = await runSecurityAudit({ env: s.env, paths: s.paths, fix: true, now: new Date(Date.UTC(2026, 1, 3)) });
  assert.ok(result.fix?.ok);
  const configEdits = result.fix.applied.filter((a) => a.changes.some((c) => c.startsWith("config set")));
  assert.equal(configEdits.length, 3, JSON.stringify(result.fix.applied));
  const text = fs.readFileSync(s.configPath, "utf8");
  const parsed = JSON5.parse(text) as { channels: Record<string, { groupPolicy: string }>; logging: { redactSensitive: string } };
  assert.equal(parsed.channels.telegram!.groupPolicy, "allowlist");
  assert.equal(parsed.channels.discord!.groupPolicy, "allowlist");
  assert.equal(parsed.logging.redactSensitive, "tools");
  assert.ok(text.includes("// debugging") && text.includes("// two channels and logging"), text);
  assert.ok(result.fix.backupDir);
  const backupFile = path.join(result.fix.backupDir, "openclaw.json");
  assert.equal(fs.readFileSync(backupFile, "utf8"), original, "the backup holds the config as it was before --fix");
  // Undoing in reverse order ends at the original file.
  for (const a of [...configEdits].reverse()) for (const u of a.undo) assert.ok(u.startsWith(`cp ${backupFile} `), u);
});

test('runSecurityAudit --fix closes dmPolicy "open" (critical) to pairing, drops the "*" sender, backs up first', async (t) => {
  const s = seed(t);
  const original = `// open DMs with elevated tools: critical
{
  gateway: { mode: "local" },
  tools: { elevated: { enabled: true } },
  channels: {
    whatsapp: { dmPolicy: "open", allowFrom: ["*"] }, // anyone may write
    telegram: {
      dmPolicy: "pairing",
      accounts: {
        work: { dmPolicy: "open", allowFrom: ["*", "12345"] },
        home: {},
      },
    },
  },
}
`;
  fs.writeFileSync(s.configPath, original);
  fs.chmodSync(s.configPath, 0o600);
  const before = await runSecurityAudit({ env: s.env, paths: s.paths, fix: false });
  const open = before.report.findings.filter((f) => f.checkId === "channels.dm_policy_open");
  assert.equal(open.length, 2, JSON.stringify(open));
  assert.ok(open.every((f) => f.severity === "critical"), "open DMs with elevated tools are critical");

  const result = await runSecurityAudit({ env: s.env, paths: s.paths, fix: true, now: new Date(Date.UTC(2026, 1, 3)) });
  assert.ok(result.fix?.ok, JSON.stringify(result.fix));
  const text = fs.readFileSync(s.configPath, "utf8");
  const parsed = JSON5.parse(text) as { channels: { whatsapp: Record<string, unknown>; telegram: { dmPolicy: string; accounts: Record<string, Record<string, unknown>> } } };
  assert.equal(parsed.channels.whatsapp.dmPolicy, "pairing");
  assert.equal(parsed.channels.whatsapp.allowFrom, undefined, 'a list that only held "*" is removed (pairing approves senders)');
  assert.equal(parsed.channels.telegram.accounts.work!.dmPolicy, "pairing");
  assert.deepEqual(parsed.channels.telegram.accounts.work!.allowFrom, ["12345"], "named senders stay allowed");
  assert.deepEqual(parsed.channels.telegram.accounts.home, {}, "an account that inherits a closed policy is untouched");
  assert.ok(text.includes("// anyone may write") && text.includes("// open DMs with elevated tools: critical"), text);

  // Backup first, with an undo per change.
  assert.ok(result.fix.backupDir);
  const backupFile = path.join(result.fix.backupDir, "openclaw.json");
  assert.equal(fs.readFileSync(backupFile, "utf8"), original);
  const dm = result.fix.applied.filter((a) => a.id === "channels.dm_policy_open");
  assert.equal(dm.length, 2, JSON.stringify(result.fix.applied));
  for (const a of dm) assert.deepEqual(a.undo, [`cp ${backupFile} ${s.configPath}`]);
  assert.ok(dm.some((a) => a.changes.includes('config set channels.whatsapp.dmPolicy "pairing"')), JSON.stringify(dm));

  // Nothing open is left; the report says so.
  assert.ok(!result.report.findings.some((f) => f.checkId === "channels.dm_policy_open" || f.checkId === "security.exposure.open_groups_with_elevated"), JSON.stringify(result.report.findings.map((f) => f.checkId)));
});

test('an account that inherits dmPolicy "open" is fixed where the policy is written, once', async (t) => {
  const s = seed(t);
  fs.writeFileSync(s.configPath, '{ gateway: { mode: "local" }, channels: { telegram: { dmPolicy: "open", allowFrom: ["*"], accounts: { a: {}, b: { allowFrom: ["*"] } } } } }\n');
  fs.chmodSync(s.configPath, 0o600);
  const result = await runSecurityAudit({ env: s.env, paths: s.paths, fix: true, now: new Date(Date.UTC(2026, 1, 3)) });
  assert.ok(result.fix?.ok, JSON.stringify(result.fix));
  const parsed = JSON5.parse(fs.readFileSync(s.configPath, "utf8")) as { channels: { telegram: { dmPolicy: string; allowFrom?: unknown; accounts: Record<string, Record<string, unknown>> } } };
  assert.equal(parsed.channels.telegram.dmPolicy, "pairing");
  assert.equal(parsed.channels.telegram.allowFrom, undefined);
  assert.deepEqual(parsed.channels.telegram.accounts.a, {}, "inherits the fixed channel policy");
  assert.deepEqual(parsed.channels.telegram.accounts.b, {}, 'its own "*" is dropped too');
  assert.ok(!result.report.findings.some((f) => f.checkId === "channels.dm_policy_open"));
});
