/**
 * The diagnostics commands through the built binary: `doctor` (dry run, --yes, --non-interactive,
 * wrong user), `status` (--all redaction, a real gateway, --deep) and `security audit` (--fix,
 * --deep against a real gateway). Every test has its own HOME and port; gateways are spawned with
 * `openclaw gateway --port <p>` and killed after the test.
 */
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { chmodSync, existsSync, lchownSync, lstatSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, } from "node:fs";
import os from "node:os";
import path from "node:path";
import { before, describe, test } from "node:test";
import JSON5 from "json5";
import { gatewayLockFile } from "../../src/infra/lock.js";
import { formatRecord, type LogEntry } from "../../src/logging/record.js";
import { BIN, ROOT, runBinary, tempHome } from "../helpers/cli.js";
import { freePort, waitUntil } from "../helpers/gateway.js";
import { sha256, treeState, writeFile } from "../helpers/inspect.js";

type After = { after(fn: () => unknown): void };

interface Home {
  home: string;
  stateDir: string;
  configPath: string;
  env: Record<string, string | undefined>;
  /** Cleanups run last-in first-out in one `t.after` (processes die before their home is removed). */
  defer(fn: () => unknown): void;
}

/** A temp HOME with an empty `~/.openclaw` (0700). */
function newHome(t: After): Home {
  const stack: Array<() => unknown> = [];
  t.after(async () => {
    for (const fn of stack.reverse()) await fn();
  });
  const { home, env } = tempHome();
  stack.push(() => rmSync(home, { recursive: true, force: true }));
  const stateDir = path.join(home, ".openclaw");
  mkdirSync(stateDir, { mode: 0o700 });
  chmodSync(stateDir, 0o700);
  return { home, stateDir, configPath: path.join(stateDir, "openclaw.json"), env: { ...env, TMPDIR: os.tmpdir() }, defer: (fn) => stack.push(fn) };
}

const modeOf = (p: string) => statSync(p).mode & 0o777;
const fingerprint = (secret: string) => `sha256:${sha256(secret).slice(0, 8)}`;

function chownTree(p: string, uid: number, gid: number): void {
  lchownSync(p, uid, gid);
  if (lstatSync(p).isDirectory()) for (const e of readdirSync(p)) chownTree(path.join(p, e), uid, gid);
}

/** A pid that belonged to a process that has exited. */
async function deadPid(): Promise<number> {
  const child = spawn(process.execPath, ["-e", ""], { stdio: "ignore" });
  await new Promise((resolve) => child.on("exit", resolve));
  return child.pid!;
}

function parseJson<T = Record<string, unknown>>(stdout: string, what: string): T {
  try {
    return JSON.parse(stdout) as T;
  } catch (error) {
    throw new Error(`${what}: stdout is not one JSON value (${(error as Error).message}):\n${stdout}`);
  }
}

/** `openclaw gateway --port <port>` for this home, waited on until it listens; SIGKILLed after the test. */
async function startGateway(h: Home, port: number): Promise<void> {
  const child = spawn(process.execPath, [BIN, "gateway", "--port", String(port)], { env: h.env as NodeJS.ProcessEnv, cwd: ROOT, stdio: ["ignore", "pipe", "pipe"] });
  let stderr = "";
  child.stdout!.resume();
  child.stderr!.on("data", (d: Buffer) => (stderr += d.toString()));
  let exited = false;
  const exit = new Promise<void>((resolve) => {
    child.once("exit", () => {
      exited = true;
      resolve();
    });
    child.once("error", (error) => {
      stderr += String(error);
      exited = true;
      resolve();
    });
  });
  h.defer(async () => {
    if (child.exitCode === null && child.signalCode === null && !exited) {
      child.kill("SIGKILL");
      await exit;
    }
    rmSync(gatewayLockFile(h.configPath), { force: true });
  });
  await waitUntil(() => exited || stderr.includes("gateway listening"), 15_000, "gateway listening");
  assert.ok(!exited, `the gateway exited early:\n${stderr}`);
}

before(() => {
  assert.ok(existsSync(path.join(ROOT, "dist", "cli.js")), "build the CLI first: npm run build");
});

// ---------------------------------------------------------------------------------------------
// doctor: the scenario
// ---------------------------------------------------------------------------------------------

const SEED_TOKEN = "a1b2c3d4e5f6a7b8c9d0e1f2a3b4c5d6"; // 32 characters
const PLACEHOLDER = "+46XXXXXXXXX";

interface Seeded extends Home {
  lockFile: string;
  original: Buffer;
}

/** The state: a 0644 JSON5 config with a comment and no gateway.mode, a placeholder allowFrom, an empty ${BRAVE_API_KEY}, and a stale session lock. */
async function seedDoctorScenario(t: After): Promise<Seeded> {
  const h = newHome(t);
  const port = await freePort();
  const config = [
    "// my openclaw config (hand-written; keep this comment)",
    "{",
    `  gateway: { port: ${port}, auth: { mode: "token", token: "${SEED_TOKEN}" } },`,
    `  channels: { whatsapp: { dmPolicy: "allowlist", allowFrom: ["${PLACEHOLDER}"] } },`,
    '  tools: { web: { search: { apiKey: "${BRAVE_API_KEY}" } } },',
    "}",
    "",
  ].join("\n");
  writeFile(h.configPath, config, 0o644);
  const lockFile = path.join(h.stateDir, "agents", "main", "sessions", "s1.jsonl.lock");
  writeFile(lockFile, JSON.stringify({ pid: await deadPid(), createdAt: new Date(Date.now() - 2 * 60 * 60 * 1000).toISOString() }), 0o600);
  return { ...h, env: { ...h.env, BRAVE_API_KEY: "" }, lockFile, original: readFileSync(h.configPath) };
}

interface Finding {
  checkId: string;
  severity: string;
  title: string;
  fix?: string;
  repair?: { id: string; summary: string; safe: boolean; actions: string[]; diff?: string };
}

interface DoctorJson {
  ok: boolean;
  mode: string;
  findings: Finding[];
  applied: Array<{ id: string; summary: string; changes: string[]; undo: string[] }>;
  skipped: Array<{ id: string; reason: string }>;
  failed: Array<{ id: string; error: string }>;
  backupDir: string | null;
  remaining: Finding[];
}

// The seed has no credential for the default model (anthropic/claude-opus-4-6): only a human can add one.
const NEEDS_HUMAN = ["config.env_var_empty", "config.placeholder_allow_from", "model.auth_missing"];

describe("doctor", () => {
  test("--dry-run --json reports every problem of the issue's state with a repair or fix, and writes nothing", async (t) => {
    const h = await seedDoctorScenario(t);
    const before = treeState(h.home);
    const r = await runBinary(["doctor", "--dry-run", "--json"], { env: h.env });
    assert.equal(r.code, 3, `exit code\n${r.stdout}\n${r.stderr}`);
    const report = parseJson<DoctorJson>(r.stdout, "doctor --dry-run --json");
    assert.equal(report.ok, false);
    assert.equal(report.mode, "dry-run");
    const ids = new Set(report.findings.map((f) => f.checkId));
    const permsId = [...ids].find((id) => /^fs\.config\.perms_/.test(id));
    assert.ok(permsId, `an fs.config perms finding for the 0644 config, got ${[...ids].join(", ")}`);
    for (const id of ["config.placeholder_allow_from", permsId, "config.gateway_mode_unset", "config.env_var_empty", "state.stale_session_lock"]) {
      const f = report.findings.find((x) => x.checkId === id);
      assert.ok(f, `finding ${id} missing; got ${[...ids].join(", ")}`);
      assert.ok(f.repair || (typeof f.fix === "string" && f.fix.length > 0), `${id} has neither a repair nor a fix`);
    }
    // The ones a machine can do are proposed as repairs (shown, not applied).
    const byId = (id: string) => report.findings.find((f) => f.checkId === id)!;
    assert.ok(byId(permsId).repair?.actions.some((a) => a.includes("chmod 0600") && a.includes(h.configPath)));
    assert.ok(byId("config.gateway_mode_unset").repair?.actions.some((a) => a.includes("gateway.mode")));
    assert.match(byId("config.gateway_mode_unset").repair?.diff ?? "", /\+.*mode: "local"/);
    assert.ok(byId("state.stale_session_lock").repair?.actions.some((a) => a.includes(h.lockFile)));
    assert.match(byId("config.placeholder_allow_from").title, /\+46XXXXXXXXX/);
    assert.match(byId("config.env_var_empty").title, /BRAVE_API_KEY/);
    assert.deepEqual(report.applied, []);
    assert.equal(report.backupDir, null);
    assert.ok(report.skipped.length > 0 && report.skipped.every((s) => s.reason === "dry run"));
    assert.deepEqual(treeState(h.home), before, "doctor --dry-run changed files under HOME");
  });

  test("--dry-run plans (human and --json) do not print the gateway token", async (t) => {
    const h = await seedDoctorScenario(t);
    const json = await runBinary(["doctor", "--dry-run", "--json"], { env: h.env });
    const human = await runBinary(["doctor", "--dry-run"], { env: h.env });
    assert.equal(json.code, 3);
    assert.equal(human.code, 3);
    assert.match(human.stdout, /gateway\.mode/, "the plan is shown");
    assert.ok(!json.stdout.includes(SEED_TOKEN) && !human.stdout.includes(SEED_TOKEN), "the gateway token appears in the doctor --dry-run diff");
  });

  test("--yes repairs what it can (backup first, comments kept), and a second run leaves only what needs a human", async (t) => {
    const h = await seedDoctorScenario(t);
    // A fresh backup is recorded first so doctor's "no recent backup" warning (backup.stale) stays out
    // of the set of problems.
    const backup = await runBinary(["backup", "create"], { env: h.env });
    assert.equal(backup.code, 0, backup.stdout + backup.stderr);
    assert.ok(readFileSync(h.configPath).equals(h.original) && modeOf(h.configPath) === 0o644 && existsSync(h.lockFile), "backup create left the seed as it was");
    const r = await runBinary(["doctor", "--yes"], { env: h.env });
    assert.ok(r.code === 0 || r.code === 3, `exit ${r.code}\n${r.stdout}\n${r.stderr}`);
    assert.doesNotMatch(r.stdout, /✗/, "a repair failed");

    assert.equal(modeOf(h.configPath), 0o600, "config mode");
    const raw = readFileSync(h.configPath, "utf8");
    assert.ok(raw.includes("// my openclaw config (hand-written; keep this comment)"), `the comment was lost:\n${raw}`);
    const parsed = JSON5.parse(raw) as { gateway: { mode?: string; port: number; auth: { token: string } }; channels: { whatsapp: { allowFrom: string[] } }; tools: { web: { search: { apiKey: string } } } };
    assert.equal(parsed.gateway.mode, "local");
    assert.equal(parsed.gateway.auth.token, SEED_TOKEN, "the token is untouched");
    assert.deepEqual(parsed.channels.whatsapp.allowFrom, [PLACEHOLDER], "doctor must not guess the real number");
    assert.equal(parsed.tools.web.search.apiKey, "${BRAVE_API_KEY}", "the env reference is kept as written");
    assert.equal(existsSync(h.lockFile), false, "the stale lock is gone");

    const backups = path.join(h.stateDir, "backups");
    const doctorBackups = readdirSync(backups).filter((d) => d.startsWith("doctor-"));
    assert.equal(doctorBackups.length, 1, `one doctor backup dir, got ${doctorBackups.join(", ")}`);
    const saved = path.join(backups, doctorBackups[0]!, "openclaw.json");
    assert.ok(existsSync(saved), "the config was backed up");
    assert.ok(readFileSync(saved).equals(h.original), "the backup holds the exact original bytes");

    const again = await runBinary(["doctor", "--yes", "--json"], { env: h.env });
    const second = parseJson<DoctorJson>(again.stdout, "second doctor --yes --json");
    assert.equal(again.code, 3, `the placeholder and the empty env var still need a human:\n${again.stdout}`);
    assert.deepEqual(second.remaining.map((f) => f.checkId).sort(), NEEDS_HUMAN);
    assert.deepEqual(second.applied, [], "nothing left to repair on the second run");
    assert.deepEqual(second.failed, []);
  });

  test("--non-interactive applies the safe repairs (chmod, stale lock) and skips gateway.mode with a reason", async (t) => {
    const h = await seedDoctorScenario(t);
    const r = await runBinary(["doctor", "--non-interactive", "--json"], { env: h.env });
    assert.equal(r.code, 3, r.stdout + r.stderr);
    const report = parseJson<DoctorJson>(r.stdout, "doctor --non-interactive --json");
    assert.equal(report.mode, "non-interactive");
    assert.deepEqual(report.failed, []);

    assert.equal(modeOf(h.configPath), 0o600, "config mode");
    assert.equal(existsSync(h.lockFile), false, "the stale lock is gone");
    assert.ok(readFileSync(h.configPath).equals(h.original), "the config text is untouched (no gateway.mode)");
    assert.ok(report.applied.some((a) => a.changes.some((c) => c.includes("chmod 0600") && c.includes(h.configPath))), "the chmod is reported as applied");
    assert.ok(report.applied.some((a) => a.changes.some((c) => c.includes(h.lockFile))), "the lock removal is reported as applied");

    const skipped = report.skipped.find((s) => s.id === "config.gateway_mode_local");
    assert.ok(skipped, `gateway.mode is skipped; skipped = ${JSON.stringify(report.skipped)}`);
    assert.ok(skipped.reason.trim().length > 0, "the skip has a reason");
    assert.equal(
      report.applied.some((a) => a.id === "config.gateway_mode_local"),
      false,
    );
    const remaining = report.remaining.map((f) => f.checkId);
    assert.ok(remaining.includes("config.gateway_mode_unset"), `remaining: ${remaining.join(", ")}`);
    assert.ok(!remaining.some((id) => id.startsWith("fs.config.") || id === "state.stale_session_lock"), `remaining: ${remaining.join(", ")}`);
  });

  test(
    "refuses to repair a state dir owned by another user, names `sudo -u`, and changes nothing",
    { skip: process.getuid?.() !== 0 && "needs root to chown the state dir" },
    async (t) => {
      const h = await seedDoctorScenario(t);
      chownTree(h.stateDir, 12345, 12345);
      const before = treeState(h.home);
      const r = await runBinary(["doctor", "--yes"], { env: h.env });
      assert.notEqual(r.code, 0, r.stdout);
      assert.match(r.stderr, /sudo -u/);
      assert.deepEqual(treeState(h.home), before, "doctor changed files it does not own");
      assert.equal(modeOf(h.configPath), 0o644);
      assert.ok(existsSync(h.lockFile));
    },
  );
});

// ---------------------------------------------------------------------------------------------
// status
// ---------------------------------------------------------------------------------------------

const CFG_TOKEN = "cfgtok-7f3a9b2c4d5e6f708192a3b4c5d6e7f8";
const ENV_TOKEN = "envtok-11223344556677889900aabbccddeeff";
const TG_TOKEN = "123456789:AAHfiqksKZ8WmR2zSjiQ7_v4TMAKdiHm9T0";
const SK_KEY = "sk-proj-Zq8Yx7Wv6Ut5Sr4Qp3On2Ml1Kk0Jj9Ii8Hh7Gg6";
const OAUTH_ACCESS = "oauthaccess-9f8e7d6c5b4a39281706f5e4d3c2b1a0";
const OAUTH_REFRESH = "oauthrefresh-0a1b2c3d4e5f60718293a4b5c6d7e8f9";
const MISTRAL_KEY = "Qm7tR2vX9kL4pW8sN3bZ6yH1cF5gJ0dA";
const PHONE = "+46701234567";

/** A home whose config, environment, auth profiles and log all hold known secrets. */
async function seedSecrets(t: After, extraLog: LogEntry[] = []): Promise<Home & { logFile: string; lines: number }> {
  const h = newHome(t);
  const port = await freePort();
  const logFile = path.join(h.home, "logs", "openclaw.log");
  const config = {
    gateway: { mode: "local", port, auth: { mode: "token", token: CFG_TOKEN } },
    channels: { telegram: { botToken: TG_TOKEN, dmPolicy: "pairing" } },
    logging: { file: logFile },
  };
  writeFile(h.configPath, `// status seed\n${JSON.stringify(config, null, 2)}\n`, 0o600);
  const profiles = {
    version: 1,
    profiles: {
      "openai:default": { type: "api_key", provider: "openai", key: SK_KEY },
      "mistral:default": { type: "api_key", provider: "mistral", key: MISTRAL_KEY },
      "openai-codex:default": { type: "oauth", provider: "openai-codex", access: OAUTH_ACCESS, refresh: OAUTH_REFRESH, expires: Date.now() + 30 * 24 * 60 * 60 * 1000 },
    },
  };
  writeFile(path.join(h.stateDir, "agents", "main", "agent", "auth-profiles.json"), `${JSON.stringify(profiles, null, 2)}\n`, 0o600);
  const time = new Date(Date.now() - 60_000).toISOString();
  const entries: LogEntry[] = [
    { time, level: "info", subsystem: "gateway", message: `client connected with token ${CFG_TOKEN}` },
    { time, level: "error", subsystem: "agent", message: `openai request failed (401) for key ${SK_KEY}` },
    { time, level: "warn", subsystem: "whatsapp", message: `message from ${PHONE} dropped by allowlist`, meta: { from: PHONE, token: CFG_TOKEN } },
    { time, level: "error", subsystem: "telegram", message: `GET https://api.telegram.org/bot${TG_TOKEN}/getUpdates failed` },
    { time, level: "info", subsystem: "gateway", message: `env override ${ENV_TOKEN} in use` },
    ...extraLog.map((e) => ({ ...e, time })),
  ];
  writeFile(logFile, `${entries.map(formatRecord).join("\n")}\n`, 0o600);
  return { ...h, env: { ...h.env, OPENCLAW_GATEWAY_TOKEN: ENV_TOKEN }, logFile, lines: entries.length };
}

interface StatusJson {
  gateway: { url: string; reachable: boolean; error?: string };
  tokens: Array<{ source: string; fingerprint: string }>;
  logs: { file: string; lastErrors: Array<{ time: string; message: string }> };
  logTail?: string[];
  next: string;
  deep?: { health?: unknown; error?: string };
}

describe("status", () => {
  test("--all (human and --json) prints no secret and no full phone number, but shows token fingerprints", async (t) => {
    const h = await seedSecrets(t);
    const human = await runBinary(["status", "--all"], { env: h.env });
    const json = await runBinary(["status", "--all", "--json"], { env: h.env });
    assert.equal(human.code, 0, human.stderr);
    assert.equal(json.code, 0, json.stderr);

    // Not vacuous: the log tail and the last errors are in the report (masked).
    assert.match(human.stdout, /Log tail:/);
    assert.match(human.stdout, /dropped by allowlist/);
    const report = parseJson<StatusJson>(json.stdout, "status --all --json");
    assert.equal(report.logs.file, h.logFile);
    assert.equal(report.logTail?.length, h.lines);
    assert.equal(report.logs.lastErrors.length, 2);

    for (const [name, out] of [
      ["status --all", human.stdout + human.stderr],
      ["status --all --json", json.stdout + json.stderr],
    ] as const) {
      for (const [what, secret] of [
        ["config gateway token", CFG_TOKEN],
        ["OPENCLAW_GATEWAY_TOKEN", ENV_TOKEN],
        ["telegram botToken", TG_TOKEN],
        ["sk- API key", SK_KEY],
        ["OAuth access token", OAUTH_ACCESS],
        ["OAuth refresh token", OAUTH_REFRESH],
      ] as const) {
        assert.ok(!out.includes(secret), `${name} prints the ${what}`);
      }
      assert.ok(!out.includes(PHONE), `${name} prints the full phone number`);
      assert.ok(!out.includes("46701234567"), `${name} prints the phone digits`);
      assert.ok(out.includes(fingerprint(CFG_TOKEN)), `${name} shows the config token fingerprint`);
      assert.ok(out.includes(fingerprint(ENV_TOKEN)), `${name} shows the env token fingerprint`);
    }
    assert.deepEqual(
      report.tokens.map((x) => x.source).sort(),
      ["config", "env"],
    );
    assert.ok(report.tokens.every((x) => /^sha256:[0-9a-f]{8}$/.test(x.fingerprint)));
  });

  test("--all masks auth-profile secrets (API key without a known prefix, OAuth tokens) when they show up in the log", async (t) => {
    const h = await seedSecrets(t, [
      { time: "", level: "info", subsystem: "agent", message: `oauth refresh for openai-codex:default returned ${OAUTH_ACCESS}, next ${OAUTH_REFRESH}` },
      { time: "", level: "error", subsystem: "agent", message: `mistral rejected credential ${MISTRAL_KEY}` },
    ]);
    for (const args of [["status", "--all"], ["status", "--all", "--json"]]) {
      const r = await runBinary(args, { env: h.env });
      assert.equal(r.code, 0, r.stderr);
      assert.match(r.stdout, /oauth refresh for openai-codex/, "the line is in the tail");
      const leaked = [OAUTH_ACCESS, OAUTH_REFRESH, MISTRAL_KEY].filter((s) => r.stdout.includes(s));
      assert.deepEqual(leaked, [], `${args.join(" ")} prints auth-profile secrets from the log`);
    }
  });

  test("with a running gateway: reachable, exit 0; --deep adds the gateway's health", async (t) => {
    const h = newHome(t);
    const port = await freePort();
    const token = "gwtok-0123456789abcdef0123456789abcdef";
    writeFile(h.configPath, `${JSON.stringify({ gateway: { mode: "local", port, auth: { mode: "token", token } }, logging: { file: path.join(h.home, "logs", "openclaw.log") } }, null, 2)}\n`, 0o600);
    await startGateway(h, port);

    const r = await runBinary(["status", "--json"], { env: h.env });
    assert.equal(r.code, 0, r.stdout + r.stderr);
    const report = parseJson<StatusJson>(r.stdout, "status --json");
    assert.equal(report.gateway.reachable, true, `gateway: ${JSON.stringify(report.gateway)}`);
    assert.equal(report.gateway.url, `ws://127.0.0.1:${port}`);
    assert.equal(report.deep, undefined, "no deep section without --deep");

    const human = await runBinary(["status"], { env: h.env });
    assert.equal(human.code, 0);
    assert.match(human.stdout, new RegExp(`Gateway: reachable ws://127\\.0\\.0\\.1:${port}`));

    const deep = await runBinary(["status", "--deep", "--json"], { env: h.env });
    assert.equal(deep.code, 0, deep.stdout + deep.stderr);
    const deepReport = parseJson<StatusJson>(deep.stdout, "status --deep --json");
    assert.equal(deepReport.gateway.reachable, true);
    assert.ok(deepReport.deep, "deep section present");
    assert.equal(deepReport.deep.error, undefined, `deep error: ${deepReport.deep.error}`);
    const health = deepReport.deep.health as Record<string, unknown> | undefined;
    assert.ok(health && typeof health === "object" && !("error" in health), `deep.health: ${JSON.stringify(health)}`);
    assert.equal(health.ok, true);
    assert.ok(!deep.stdout.includes(token), "status --deep prints the gateway token");
  });

  test("without a gateway: still exit 0, unreachable, and next points at the gateway", async (t) => {
    const h = newHome(t);
    const port = await freePort();
    writeFile(h.configPath, `${JSON.stringify({ gateway: { mode: "local", port, auth: { mode: "token", token: "gwtok-0123456789abcdef0123456789abcdef" } } }, null, 2)}\n`, 0o600);
    const json = await runBinary(["status", "--json"], { env: h.env });
    assert.equal(json.code, 0, json.stdout + json.stderr);
    const report = parseJson<StatusJson>(json.stdout, "status --json");
    assert.equal(report.gateway.reachable, false);
    assert.match(report.next, /gateway/);
    const human = await runBinary(["status"], { env: h.env });
    assert.equal(human.code, 0, human.stderr);
    assert.match(human.stdout, /^Next: .*gateway/m);
  });
});

// ---------------------------------------------------------------------------------------------
// security audit
// ---------------------------------------------------------------------------------------------

interface AuditJson {
  ts: string;
  summary: { critical: number; warn: number; info: number };
  findings: Array<{ checkId: string; severity: string; title: string; detail: string; remediation?: string }>;
  deep?: { gateway: { attempted: boolean; url: string; ok: boolean; error?: string; openWithoutAuth?: boolean } };
}

function assertAuditShape(report: AuditJson): void {
  assert.equal(typeof report.ts, "string");
  assert.ok(Number.isFinite(Date.parse(report.ts)), `ts is a date: ${report.ts}`);
  assert.deepEqual(Object.keys(report.summary).sort(), ["critical", "info", "warn"]);
  const counts = { critical: 0, warn: 0, info: 0 };
  for (const f of report.findings) {
    assert.equal(typeof f.checkId, "string");
    assert.ok(["info", "warn", "critical"].includes(f.severity), `severity ${f.severity}`);
    assert.equal(typeof f.title, "string");
    assert.equal(typeof f.detail, "string");
    counts[f.severity as keyof typeof counts]++;
  }
  assert.deepEqual(report.summary, counts, "summary counts match the findings");
}

function gatewayHome(t: After, port: number, mode: number): Home {
  const h = newHome(t);
  const config = { gateway: { mode: "local", port, auth: { mode: "token", token: "audit-token-0123456789abcdef0123456789" } }, logging: { file: path.join(h.home, "logs", "openclaw.log") } };
  writeFile(h.configPath, `${JSON.stringify(config, null, 2)}\n`, mode);
  return h;
}

describe("security audit", () => {
  test("a 0644 config is critical (exit 3); --fix makes it 0600 and says so; the next audit is clean", async (t) => {
    const h = gatewayHome(t, await freePort(), 0o644);
    const first = await runBinary(["security", "audit", "--json"], { env: h.env });
    const report = parseJson<AuditJson>(first.stdout, "security audit --json");
    assertAuditShape(report);
    const perms = report.findings.find((f) => f.checkId === "fs.config.perms_world_readable");
    assert.ok(perms, `findings: ${report.findings.map((f) => f.checkId).join(", ")}`);
    assert.equal(perms.severity, "critical");
    assert.ok(perms.title.includes(h.configPath) || perms.detail.includes(h.configPath));
    assert.equal(first.code, 3);

    const fix = await runBinary(["security", "audit", "--fix"], { env: h.env });
    assert.equal(modeOf(h.configPath), 0o600, "--fix tightened the config");
    assert.ok(
      fix.stdout.split("\n").some((l) => l.includes("chmod 0600") && l.includes(h.configPath) && !l.includes("undo")),
      `--fix lists the change:\n${fix.stdout}`,
    );

    const after = await runBinary(["security", "audit", "--json"], { env: h.env });
    const clean = parseJson<AuditJson>(after.stdout, "security audit --json after --fix");
    assertAuditShape(clean);
    assert.deepEqual(
      clean.findings.filter((f) => f.checkId.startsWith("fs.config")).map((f) => f.checkId),
      [],
    );
    assert.equal(after.code, clean.summary.critical > 0 ? 3 : 0);
    assert.equal(clean.summary.critical, 0, `criticals left: ${JSON.stringify(clean.findings)}`);
    assert.equal(after.code, 0);
  });

  test("--deep against a running token-auth gateway: probe ok, no unauthenticated access", async (t) => {
    const port = await freePort();
    const h = gatewayHome(t, port, 0o600);
    await startGateway(h, port);
    const r = await runBinary(["security", "audit", "--deep", "--json"], { env: h.env });
    const report = parseJson<AuditJson>(r.stdout, "security audit --deep --json");
    assertAuditShape(report);
    assert.ok(report.deep?.gateway, `deep section: ${r.stdout}`);
    assert.equal(report.deep.gateway.ok, true, `deep probe: ${JSON.stringify(report.deep.gateway)}`);
    assert.equal(report.deep.gateway.url, `ws://127.0.0.1:${port}`);
    assert.equal(report.deep.gateway.openWithoutAuth, false);
    const ids = report.findings.map((f) => f.checkId);
    assert.ok(!ids.includes("gateway.probe_no_auth_required"), `findings: ${ids.join(", ")}`);
    assert.ok(!ids.includes("gateway.probe_failed"), `findings: ${ids.join(", ")}`);
    assert.equal(r.code, 0, r.stdout + r.stderr);
  });
});
