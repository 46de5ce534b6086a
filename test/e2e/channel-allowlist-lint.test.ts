/**
 * The channel allowlist lint through the built binary: `doctor --dry-run --json` (config step) and
 * `security audit --json` both report placeholder, non-E.164, empty and open-without-"*" allowlists,
 * each once, with the fix; a clean channel config reports none of them.
 */
import assert from "node:assert/strict";
import { chmodSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync } from "node:fs";
import path from "node:path";
import { test } from "node:test";
import { runBinary, tempHome } from "../helpers/cli.js";
import { writeFile } from "../helpers/inspect.js";

interface Finding {
  checkId: string;
  title: string;
  fix?: string;
  remediation?: string;
}

const LINT_IDS = ["config.placeholder_allow_from", "channels.allowlist_not_e164", "channels.allowlist_empty", "channels.dm_open_without_wildcard"];

function home(t: { after(fn: () => void): void }, channels: Record<string, unknown>) {
  const { home: dir, env } = tempHome();
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const stateDir = path.join(dir, ".openclaw");
  mkdirSync(stateDir, { mode: 0o700 });
  chmodSync(stateDir, 0o700);
  writeFile(path.join(stateDir, "openclaw.json"), JSON.stringify({ gateway: { mode: "local", auth: { mode: "token", token: "t".repeat(40) } }, channels }));
  return env;
}

const BAD = {
  whatsapp: { dmPolicy: "allowlist", allowFrom: ["+46XXXXXXXXX", "0701234567"] },
  telegram: { dmPolicy: "allowlist", accounts: { work: { dmPolicy: "open", allowFrom: ["123"] } } },
};

test("doctor and security audit report the allowlist lint with fixes, once each", async (t) => {
  const env = home(t, BAD);
  const doctor = await runBinary(["doctor", "--dry-run", "--json"], { env });
  const report = JSON.parse(doctor.stdout) as { findings: Finding[] };
  const doctorIds = report.findings.map((f) => f.checkId).filter((id) => LINT_IDS.includes(id));
  assert.deepEqual(doctorIds.sort(), [...LINT_IDS].sort(), doctor.stdout);
  for (const f of report.findings.filter((x) => LINT_IDS.includes(x.checkId))) assert.match(f.fix ?? "", /openclaw config set channels\./, JSON.stringify(f));
  assert.ok(report.findings.some((f) => f.checkId === "channels.allowlist_empty" && f.title.includes("channels.telegram")));

  const audit = await runBinary(["security", "audit", "--json"], { env });
  const a = JSON.parse(audit.stdout) as { findings: Finding[] };
  const auditIds = a.findings.map((f) => f.checkId).filter((id) => LINT_IDS.includes(id));
  assert.deepEqual(auditIds.sort(), [...LINT_IDS].sort(), audit.stdout);
  const open = a.findings.find((f) => f.checkId === "channels.dm_open_without_wildcard")!;
  assert.ok(open.title.includes("channels.telegram.accounts.work"), open.title);
  assert.match(open.remediation ?? "", /dmPolicy allowlist/);

  const human = await runBinary(["security", "audit"], { env });
  assert.ok(human.stdout.includes('fix: replace "+46XXXXXXXXX"'), human.stdout);
});

test("a clean channel config has no allowlist findings", async (t) => {
  const env = home(t, { whatsapp: { dmPolicy: "allowlist", allowFrom: ["+46701234567"] }, telegram: { dmPolicy: "open", allowFrom: ["*"] } });
  const audit = await runBinary(["security", "audit", "--json"], { env });
  const a = JSON.parse(audit.stdout) as { findings: Finding[] };
  assert.deepEqual(a.findings.filter((f) => LINT_IDS.includes(f.checkId)), []);
  assert.ok(a.findings.some((f) => f.checkId === "channels.dm_policy_open"), "open DMs stay a warning of their own");
});

test("doctor cuts an accidental /bot<TOKEN> from telegram apiRoot (backup first) and flags webhook mode without a secret", async (t) => {
  const token = "424242424:AAdoctorApiRootToken000000000000000";
  const env = home(t, { telegram: { botToken: token, apiRoot: `https://tg.example.test/bot${token}/`, accounts: { hook: { botToken: token, webhookUrl: "https://x.test/tg" } } } });
  const dry = await runBinary(["doctor", "--dry-run", "--json"], { env });
  const findings = (JSON.parse(dry.stdout) as { findings: Finding[] }).findings;
  const apiRoot = findings.find((f) => f.checkId === "channels.telegram.api_root_token");
  assert.ok(apiRoot, dry.stdout);
  assert.match(apiRoot.fix ?? "", /openclaw config set channels\.telegram\.apiRoot https:\/\/tg\.example\.test$/);
  assert.ok(findings.some((f) => f.checkId === "channels.telegram.webhook_secret_missing" && f.title.includes('"hook"')));
  assert.ok(!dry.stdout.includes(token.split(":")[1]!), "the token is not echoed");
  const fixed = await runBinary(["doctor", "--yes", "--json"], { env });
  const applied = (JSON.parse(fixed.stdout) as { applied: Array<string | { id: string }> }).applied.map((a) => (typeof a === "string" ? a : a.id));
  assert.ok(applied.includes("channels.telegram.api_root.channels.telegram"), fixed.stdout);
  const configPath = path.join(env.HOME!, ".openclaw", "openclaw.json");
  const config = JSON.parse(readFileSync(configPath, "utf8")) as { channels: { telegram: { apiRoot: string; botToken: string } } };
  assert.equal(config.channels.telegram.apiRoot, "https://tg.example.test");
  assert.equal(config.channels.telegram.botToken, token, "nothing else changed");
  const backupDir = (JSON.parse(fixed.stdout) as { backupDir?: string }).backupDir;
  assert.ok(backupDir && existsSync(backupDir), `a backup was taken first: ${fixed.stdout}`);
  assert.ok(readdirSync(backupDir, { recursive: true }).some((f) => String(f).endsWith("openclaw.json")), "the config is in the backup");
});
