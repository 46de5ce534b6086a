import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, type TestContext, test } from "node:test";
import { type Env, resolvePaths } from "../../infra/index.js";
import { collectSnapshot } from "../snapshot.js";
import { DOCTOR_CHECKS, type DoctorCheck, type DoctorFinding, type DoctorInputs, isPlaceholder, registerDoctorCheck, runDoctorChecks } from "./checks.js";

const DAY = 24 * 60 * 60 * 1000;

interface Seeded {
  home: string;
  stateDir: string;
  configPath: string;
  env: Env;
  /** Writes a file under the state dir (parents created). */
  write(rel: string, content: string): string;
  /** Runs every doctor check on a fresh snapshot. */
  run(extraEnv?: Env): DoctorFinding[];
}

function seed(t: TestContext, config: string | Record<string, unknown> | null = { gateway: { mode: "local" } }, env: Env = {}): Seeded {
  const home = fs.mkdtempSync(path.join(os.tmpdir(), "openclaw-doctor-checks-"));
  t.after(() => fs.rmSync(home, { recursive: true, force: true }));
  const stateDir = path.join(home, ".openclaw");
  fs.mkdirSync(stateDir, { mode: 0o700 });
  fs.chmodSync(stateDir, 0o700);
  const configPath = path.join(stateDir, "openclaw.json");
  if (config !== null) {
    fs.writeFileSync(configPath, typeof config === "string" ? config : `${JSON.stringify(config, null, 2)}\n`);
    fs.chmodSync(configPath, 0o600);
  }
  const baseEnv: Env = { HOME: home, PATH: path.join(home, "no-bin"), ...env };
  const write = (rel: string, content: string) => {
    const file = path.join(stateDir, rel);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, content);
    return file;
  };
  const run = (extraEnv: Env = {}) => {
    const e = { ...baseEnv, ...extraEnv };
    const paths = resolvePaths(e);
    assert.equal(paths.stateDir, stateDir);
    const inputs: DoctorInputs = { snap: collectSnapshot({ env: e, paths }), env: e, schemaIssues: [], deep: false, serviceRepairExternal: false };
    return runDoctorChecks(inputs);
  };
  return { home, stateDir, configPath, env: baseEnv, write, run };
}

const ids = (findings: DoctorFinding[]) => findings.map((f) => f.checkId);

function find(findings: DoctorFinding[], checkId: string): DoctorFinding {
  const hit = findings.find((f) => f.checkId === checkId);
  assert.ok(hit, `no ${checkId}; got ${JSON.stringify(ids(findings))}`);
  return hit;
}

function all(findings: DoctorFinding[], checkId: string): DoctorFinding[] {
  return findings.filter((f) => f.checkId === checkId);
}

function absent(findings: DoctorFinding[], checkId: string): void {
  assert.deepEqual(all(findings, checkId), [], `unexpected ${checkId}`);
}

/** A pid that existed a moment ago and is now gone (reaped). */
function deadPid(): number {
  const child = spawnSync(process.execPath, ["-e", ""]);
  assert.ok(child.pid > 0);
  return child.pid;
}

describe("doctor checks: config", () => {
  test("gateway.mode unset proposes a config-set repair that needs confirmation", (t) => {
    const s = seed(t, { gateway: { port: 18789 } });
    const f = find(s.run(), "config.gateway_mode_unset");
    assert.equal(f.step, "config");
    assert.equal(f.severity, "warn");
    assert.ok(f.repair);
    assert.equal(f.repair.safe, false);
    assert.deepEqual(f.repair.actions, [{ kind: "config-set", path: ["gateway", "mode"], value: "local" }]);
  });

  test("gateway.mode set: no finding", (t) => {
    absent(seed(t).run(), "config.gateway_mode_unset");
  });

  test("a referenced env var that is empty in the shell; the state dir .env provides it", (t) => {
    const s = seed(t, '{\n  gateway: { mode: "local" },\n  tools: { web: { search: { apiKey: "${BRAVE_API_KEY}" } } },\n}\n', { BRAVE_API_KEY: "" });
    const f = find(s.run(), "config.env_var_empty");
    assert.ok(f.title.includes("BRAVE_API_KEY"), f.title);
    assert.ok(f.title.includes("tools.web.search.apiKey"), f.title);
    absent(s.run(), "config.env_var_missing");

    const missing = s.run({ BRAVE_API_KEY: undefined });
    find(missing, "config.env_var_missing");

    s.write(".env", "BRAVE_API_KEY=brv-test-value-123\n");
    const provided = s.run();
    absent(provided, "config.env_var_empty");
    absent(provided, "config.env_var_missing");
  });

  test("placeholder allowFrom entries need a human (no repair), for channels and accounts", (t) => {
    const s = seed(t, {
      gateway: { mode: "local" },
      channels: {
        whatsapp: {
          accounts: { work: { allowFrom: ["+46XXXXXXXXX"] } },
        },
        telegram: { allowFrom: ["<your number>", "123456789"] },
      },
    });
    const found = all(s.run(), "config.placeholder_allow_from");
    const tg = found.find((f) => f.title.startsWith("channels.telegram.allowFrom"));
    assert.ok(tg, JSON.stringify(found.map((f) => f.title)));
    assert.ok(tg.title.includes('"<your number>"'));
    assert.ok(!tg.title.includes("123456789"), "real entries are not flagged");
    const wa = found.find((f) => f.title.startsWith("channels.whatsapp.accounts.work.allowFrom"));
    assert.ok(wa, JSON.stringify(found.map((f) => f.title)));
    assert.ok(wa.title.includes('"+46XXXXXXXXX"'));
    for (const f of found) {
      assert.equal(f.repair, undefined, "placeholders are never rewritten automatically");
      assert.ok(f.fix?.includes("openclaw config set"), f.fix);
    }
  });

  test("isPlaceholder", () => {
    for (const p of ["+46XXXXXXXXX", "<your number>", "your_phone", "+1XXXX1234"]) assert.equal(isPlaceholder(p), true, p);
    for (const p of ["+46701234567", "123456789", "@alice", "*", 42]) assert.equal(isPlaceholder(p), false, String(p));
  });

  test("legacy routing.allowFrom moves to channels.whatsapp.allowFrom as a safe repair", (t) => {
    const s = seed(t, { gateway: { mode: "local" }, routing: { allowFrom: ["+46701234567"] } });
    const f = find(s.run(), "config.legacy_key");
    assert.ok(f.title.includes("routing.allowFrom"), f.title);
    assert.ok(f.repair);
    assert.equal(f.repair.safe, true);
    assert.deepEqual(f.repair.actions, [
      { kind: "config-set", path: ["channels", "whatsapp", "allowFrom"], value: ["+46701234567"] },
      { kind: "config-unset", path: ["routing", "allowFrom"] },
    ]);
  });

  test("a legacy key move keeps ${VAR} references instead of writing the resolved value", (t) => {
    const s = seed(t, '{\n  gateway: { mode: "local" },\n  routing: { allowFrom: ["${OWNER_NUMBER}"] },\n}\n', { OWNER_NUMBER: "+46701234567" });
    const f = find(s.run(), "config.legacy_key");
    const set = f.repair?.actions.find((a) => a.kind === "config-set");
    assert.ok(set && set.kind === "config-set");
    assert.deepEqual(set.value, ["${OWNER_NUMBER}"]);
  });

  test("legacy key whose target is already set: no repair, a manual merge", (t) => {
    const s = seed(t, { gateway: { mode: "local" }, routing: { allowFrom: ["+46701234567"] }, channels: { whatsapp: { allowFrom: ["+46700000000"] } } });
    const f = find(s.run(), "config.legacy_key");
    assert.equal(f.repair, undefined);
    assert.match(f.fix ?? "", /merge/);
  });
});

describe("doctor checks: state", () => {
  const sessions = path.join("agents", "main", "sessions");

  test("a session lock of a dead pid is stale, with a safe remove repair", (t) => {
    const s = seed(t);
    const pid = deadPid();
    const lock = s.write(path.join(sessions, "x.jsonl.lock"), JSON.stringify({ pid, createdAt: new Date().toISOString() }));
    const f = find(s.run(), "state.stale_session_lock");
    assert.ok(f.title.includes(lock), f.title);
    assert.ok(f.title.includes(`owner pid ${pid} is dead`), f.title);
    assert.ok(f.repair);
    assert.equal(f.repair.safe, true);
    assert.deepEqual(f.repair.actions, [{ kind: "remove", path: lock }]);
  });

  test("a fresh lock held by a live pid is not stale", (t) => {
    const s = seed(t);
    s.write(path.join(sessions, "x.jsonl.lock"), JSON.stringify({ pid: process.pid, createdAt: new Date().toISOString() }));
    absent(s.run(), "state.stale_session_lock");
  });

  test("a lock held by a live pid for 2 hours is stale", (t) => {
    const s = seed(t);
    s.write(path.join(sessions, "x.jsonl.lock"), JSON.stringify({ pid: process.pid, createdAt: new Date(Date.now() - 2 * 60 * 60 * 1000).toISOString() }));
    const f = find(s.run(), "state.stale_session_lock");
    assert.match(f.title, /older than 30 min \(12\d min\)/);
    assert.equal(f.repair?.safe, true);
  });

  test("an extension folder whose manifest names another id", (t) => {
    const s = seed(t);
    s.write(path.join("extensions", "foo", "openclaw.plugin.json"), JSON.stringify({ id: "bar" }));
    s.write(path.join("extensions", "ok", "openclaw.plugin.json"), JSON.stringify({ id: "ok" }));
    const found = all(s.run(), "state.extension_id_mismatch");
    assert.equal(found.length, 1, JSON.stringify(found));
    const f = found[0]!;
    assert.ok(f.title.includes("foo") && f.title.includes('"bar"'), f.title);
    assert.ok(f.repair);
    assert.equal(f.repair.safe, false);
    assert.deepEqual(f.repair.actions, [{ kind: "rename", from: path.join(s.stateDir, "extensions", "foo"), to: path.join(s.stateDir, "extensions", "bar") }]);
  });

  test("a transcript with a broken line names the line number", (t) => {
    const s = seed(t);
    const file = s.write(path.join(sessions, "abc.jsonl"), `${JSON.stringify({ type: "session" })}\n${JSON.stringify({ type: "message" })}\n{"type":"message","trunc\n${JSON.stringify({ type: "message" })}\n`);
    const found = all(s.run(), "state.jsonl_unparseable");
    assert.equal(found.length, 1);
    assert.ok(found[0]!.title.startsWith(`${file}: 1 unparseable line(s) (3)`), found[0]!.title);
  });

  test("a clean transcript is not reported", (t) => {
    const s = seed(t);
    s.write(path.join(sessions, "abc.jsonl"), `${JSON.stringify({ type: "session" })}\n\n${JSON.stringify({ type: "message" })}\n`);
    absent(s.run(), "state.jsonl_unparseable");
  });

  test("a poisoned transcript gets a quarantine repair (a move, never a delete); a torn tail is reported, not a bad line", (t) => {
    const s = seed(t);
    const err = `${JSON.stringify({ type: "message", message: { role: "toolResult", isError: true, content: [{ type: "text", text: "boom" }] } })}\n`;
    const poisoned = s.write(path.join(sessions, "p.jsonl"), `${JSON.stringify({ type: "session" })}\n${err}${err}${err}`);
    const torn = s.write(path.join(sessions, "t.jsonl"), `${JSON.stringify({ type: "session" })}\n{"type":"mess`);
    const findings = s.run();
    const p = find(findings, "state.transcript_poisoned");
    assert.ok(p.title.startsWith(`${poisoned}: poisoned (the same tool error 3 times in a row)`), p.title);
    assert.equal(p.repair?.safe, false);
    assert.deepEqual(p.repair?.actions.at(-1), { kind: "rename", from: poisoned, to: path.join(path.dirname(poisoned), "quarantine", "p.jsonl") });
    assert.match(p.fix!, /openclaw sessions check --fix/);
    const tf = find(findings, "state.transcript_torn");
    assert.ok(tf.title.startsWith(`${torn}: torn last line 2 (13 bytes`), tf.title);
    assert.equal(tf.repair, undefined);
    absent(findings, "state.jsonl_unparseable");
  });

  test("~/.clawdbot next to ~/.openclaw is a split brain", (t) => {
    const s = seed(t);
    fs.mkdirSync(path.join(s.home, ".clawdbot"));
    const f = find(s.run(), "legacy.split_brain");
    assert.ok(f.title.includes(path.join(s.home, ".clawdbot")), f.title);
    assert.equal(f.repair, undefined);
    absent(s.run(), "legacy.state_dir");
  });

  test("Signal configured without signal-cli on PATH", (t) => {
    const s = seed(t, { gateway: { mode: "local" }, channels: { signal: { account: "+46701234567" } } });
    find(s.run(), "channels.signal.cli_missing");
    const bin = path.join(s.home, "bin");
    fs.mkdirSync(bin);
    fs.writeFileSync(path.join(bin, "signal-cli"), "#!/bin/sh\n", { mode: 0o755 });
    absent(s.run({ PATH: bin }), "channels.signal.cli_missing");
  });

  test("memory search enabled without an index", (t) => {
    const s = seed(t, { gateway: { mode: "local" }, agents: { defaults: { memorySearch: { enabled: true } } } });
    const f = find(s.run(), "state.memory_index_missing");
    assert.ok(f.title.includes(path.join(s.stateDir, "memory", "main.sqlite")), f.title);
    s.write(path.join("memory", "main.sqlite"), "");
    absent(s.run(), "state.memory_index_missing");
  });
});

describe("doctor checks: auth", () => {
  test("expired and expiring OAuth profiles", (t) => {
    const s = seed(t);
    const now = Date.now();
    s.write(
      path.join("agents", "main", "agent", "auth-profiles.json"),
      JSON.stringify({
        version: 1,
        profiles: {
          "anthropic:old": { type: "oauth", provider: "anthropic", access: "acc-old-000000", refresh: "ref-old-000000", expires: now - DAY },
          "openai-codex:soon": { type: "oauth", provider: "openai-codex", access: "acc-soon-00000", refresh: "ref-soon-00000", expires: now + 3 * DAY - 60_000 },
          "anthropic:fresh": { type: "oauth", provider: "anthropic", access: "acc-new-000000", refresh: "ref-new-000000", expires: now + 30 * DAY },
          "openai:default": { type: "api_key", provider: "openai", key: "sk-test-00000000" },
        },
      }),
    );
    const findings = s.run();
    const expired = all(findings, "auth.expired");
    assert.equal(expired.length, 1, JSON.stringify(expired));
    assert.ok(expired[0]!.title.includes("anthropic:old"));
    assert.match(expired[0]!.fix ?? "", /--provider anthropic/);
    const expiring = all(findings, "auth.expiring");
    assert.equal(expiring.length, 1, JSON.stringify(expiring));
    assert.ok(expiring[0]!.title.includes("openai-codex:soon"));
    assert.ok(expiring[0]!.title.includes("3 day"), expiring[0]!.title);
  });
});

describe("doctor checks: backups", () => {
  test("no recorded backup, an old one and a recent one", (t) => {
    const s = seed(t);
    const e = { ...s.env };
    const paths = resolvePaths(e);
    const snap = collectSnapshot({ env: e, paths });
    const run = (latestBackupAt?: number) => runDoctorChecks({ snap, env: e, schemaIssues: [], deep: false, serviceRepairExternal: false, ...(latestBackupAt !== undefined ? { latestBackupAt } : {}) });
    const none = find(run(), "backup.stale");
    assert.equal(none.repair, undefined);
    assert.match(none.title, /no backup/);
    assert.match(find(run(snap.now - 10 * DAY), "backup.stale").title, /10 days old/);
    absent(run(snap.now - DAY), "backup.stale");
  });

  test("no backup yet: info for the first 7 days of a state dir, a warning after", (t) => {
    const s = seed(t);
    const paths = resolvePaths(s.env);
    const snap = collectSnapshot({ env: s.env, paths });
    const run = (stateDirSince?: number) => find(runDoctorChecks({ snap, env: s.env, schemaIssues: [], deep: false, serviceRepairExternal: false, ...(stateDirSince !== undefined ? { stateDirSince } : {}) }), "backup.stale");
    assert.equal(run(snap.now - 2 * DAY).severity, "info");
    assert.match(run(snap.now - 2 * DAY).title, /2 days old/);
    assert.equal(run(snap.now - 7 * DAY + 60_000).severity, "info");
    assert.equal(run(snap.now - 7 * DAY).severity, "warn");
    assert.equal(run(snap.now - 40 * DAY).severity, "warn");
    assert.match(run(snap.now - 40 * DAY).title, /40 days old/);
    assert.equal(run().severity, "info", "no state dir yet: nothing to back up");
  });
});

describe("doctor checks: model credentials", () => {
  test("a configured model whose provider has no credentials is a warning; one with a key is not", (t) => {
    const s = seed(t);
    const paths = resolvePaths(s.env);
    const snap = collectSnapshot({ env: s.env, paths });
    snap.input.agents = { defaults: { model: { primary: "openai/gpt-4", fallbacks: ["acme/x", "anthropic/claude-opus-4-6"] } } };
    const modelAuth = { profileProviders: new Set(["anthropic"]), envKeys: new Set<string>(), customProviders: new Map(), aliases: new Map(), envFile: "/s/.env" };
    const findings = runDoctorChecks({ snap, env: s.env, schemaIssues: [], deep: false, serviceRepairExternal: false, modelAuth });
    assert.match(find(findings, "model.no_credentials").title, /agents\.defaults\.model: model "openai\/gpt-4": no credentials/);
    assert.equal(find(findings, "model.no_credentials").severity, "warn");
    assert.match(find(findings, "model.unknown_provider").title, /"acme"/);
    assert.equal(findings.filter((f) => f.checkId.startsWith("model.")).length, 2);
  });
});

describe("registerDoctorCheck", () => {
  test("a registered check runs; registering the same step+title twice is a no-op", (t) => {
    const before = DOCTOR_CHECKS.length;
    const added: DoctorCheck[] = [];
    t.after(() => {
      for (const c of added) {
        const i = DOCTOR_CHECKS.indexOf(c);
        if (i >= 0) DOCTOR_CHECKS.splice(i, 1);
      }
      assert.equal(DOCTOR_CHECKS.length, before);
    });
    let calls = 0;
    const check: DoctorCheck = {
      step: "test-step",
      title: "A test check",
      run: () => {
        calls++;
        return [{ checkId: "test.registered", step: "test-step", severity: "info", title: "hello from a registered check" }];
      },
    };
    added.push(check);
    registerDoctorCheck(check, { before: "security" });
    assert.equal(DOCTOR_CHECKS.length, before + 1);
    const at = DOCTOR_CHECKS.indexOf(check);
    assert.equal(DOCTOR_CHECKS[at + 1]?.step, "security", "inserted before the security step");

    const twin: DoctorCheck = { ...check, run: () => [{ checkId: "test.twin", step: "test-step", severity: "info", title: "should never run" }] };
    added.push(twin);
    registerDoctorCheck(twin);
    assert.equal(DOCTOR_CHECKS.length, before + 1);
    assert.ok(!DOCTOR_CHECKS.includes(twin));

    const s = seed(t);
    const findings = s.run();
    assert.equal(calls, 1);
    find(findings, "test.registered");
    absent(findings, "test.twin");
  });
});
