import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, type TestContext, test } from "node:test";
import JSON5 from "json5";
import { type Env, resolvePaths } from "../../infra/index.js";
import { AppError } from "../../shared/index.js";
import { assertConfined } from "../repair.js";
import { type DoctorReport, runDoctor } from "./runner.js";

const modeOf = (file: string) => fs.statSync(file).mode & 0o777;

const CONFIG = `// doctor test config
{
  gateway: {
    port: 18789, // the default port
  },
  channels: {
    whatsapp: {
      /* replace before going live */
      allowFrom: ["+46XXXXXXXXX"],
    },
  },
}
`;

/** A pid that existed a moment ago and is now gone (reaped). */
function deadPid(): number {
  const child = spawnSync(process.execPath, ["-e", ""]);
  assert.ok(child.pid > 0);
  return child.pid;
}

/**
 * A state dir needing: gateway.mode (not safe), a stale lock (safe), a 0644 config (safe chmod) and
 * a placeholder allowFrom (human only).
 */
function seed(t: TestContext, config = CONFIG, backupAt = new Date()) {
  const home = fs.mkdtempSync(path.join(os.tmpdir(), "openclaw-doctor-runner-"));
  t.after(() => fs.rmSync(home, { recursive: true, force: true }));
  const stateDir = path.join(home, ".openclaw");
  fs.mkdirSync(stateDir);
  fs.chmodSync(stateDir, 0o700);
  const configPath = path.join(stateDir, "openclaw.json");
  fs.writeFileSync(configPath, config);
  fs.chmodSync(configPath, 0o644);
  fs.mkdirSync(path.join(stateDir, "credentials"), { mode: 0o700 });
  const sessions = path.join(stateDir, "agents", "main", "sessions");
  fs.mkdirSync(sessions, { recursive: true, mode: 0o700 });
  const lock = path.join(sessions, "x.jsonl.lock");
  fs.writeFileSync(lock, JSON.stringify({ pid: deadPid(), createdAt: new Date().toISOString() }));
  fs.chmodSync(lock, 0o600);
  // A recent backup is recorded, so the backup-age check stays quiet.
  fs.mkdirSync(path.join(stateDir, "backups"), { mode: 0o700 });
  fs.writeFileSync(path.join(stateDir, "backups", "last-backup.json"), JSON.stringify({ createdAt: backupAt.toISOString() }));
  const env: Env = { HOME: home, PATH: path.join(home, "no-bin") };
  const paths = resolvePaths(env);
  assert.equal(paths.configPath, configPath);
  return { home, stateDir, configPath, lock, env, paths };
}

/** Every entry under `dir`: type, mode and content hash. */
function tree(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (d: string) => {
    const st = fs.lstatSync(d);
    const rel = path.relative(dir, d) || ".";
    if (st.isDirectory()) {
      out[rel] = `dir ${(st.mode & 0o7777).toString(8)} uid=${st.uid}`;
      for (const e of fs.readdirSync(d).sort()) walk(path.join(d, e));
    } else if (st.isSymbolicLink()) out[rel] = `link ${fs.readlinkSync(d)}`;
    else out[rel] = `file ${(st.mode & 0o7777).toString(8)} uid=${st.uid} ${createHash("sha256").update(fs.readFileSync(d)).digest("hex")}`;
  };
  walk(dir);
  return out;
}

const repairIds = (r: DoctorReport) => r.findings.flatMap((f) => (f.repair ? [f.repair.id] : []));
const chmodConfigId = (configPath: string) => `security.fs.config.perms_world_readable.${configPath}`;

describe("runDoctor", () => {
  test("dry-run changes nothing (bytes and modes) and lists every repair as skipped", async (t) => {
    const s = seed(t);
    const before = tree(s.home);
    const report = await runDoctor({ env: s.env, paths: s.paths, mode: "dry-run", deep: false });
    assert.deepEqual(tree(s.home), before);
    assert.deepEqual(report.applied, []);
    assert.equal(report.backupDir, null);
    const ids = repairIds(report);
    for (const id of ["config.gateway_mode_local", "state.remove_lock.x.jsonl.lock", chmodConfigId(s.configPath)]) assert.ok(ids.includes(id), `${id} in ${JSON.stringify(ids)}`);
    assert.deepEqual(
      report.skipped.map((x) => x.id).sort(),
      [...ids].sort(),
    );
    for (const x of report.skipped) assert.equal(x.reason, "dry run");
    const gm = report.findings.find((f) => f.checkId === "config.gateway_mode_unset");
    assert.ok(gm?.repair?.diff?.includes("mode"), "a config repair carries its diff");
    assert.equal(report.ok, false);
  });

  test("non-interactive applies only the safe repairs", async (t) => {
    const s = seed(t);
    const report = await runDoctor({ env: s.env, paths: s.paths, mode: "non-interactive", deep: false });
    assert.deepEqual(report.failed, []);
    const applied = report.applied.map((a) => a.id).sort();
    assert.deepEqual(applied, [chmodConfigId(s.configPath), "state.remove_lock.x.jsonl.lock"].sort());
    assert.ok(!fs.existsSync(s.lock), "the stale lock is gone");
    assert.equal(modeOf(s.configPath), 0o600);
    assert.equal(fs.readFileSync(s.configPath, "utf8"), CONFIG, "gateway.mode is not set without confirmation");
    const skipped = report.skipped.find((x) => x.id === "config.gateway_mode_local");
    assert.ok(skipped, JSON.stringify(report.skipped));
    assert.match(skipped.reason, /not a safe/);
    assert.ok(report.remaining.some((f) => f.checkId === "config.gateway_mode_unset"));
    // The removed lock is in the backup.
    assert.ok(report.backupDir);
    assert.ok(fs.existsSync(path.join(report.backupDir, "agents", "main", "sessions", "x.jsonl.lock")));
  });

  test("yes applies everything with a backup and undo; only the human findings remain; a second run applies nothing", async (t) => {
    const now = new Date(Date.UTC(2026, 2, 4, 5, 6, 7, 8));
    const s = seed(t, CONFIG, now);
    const original = fs.readFileSync(s.configPath);
    const report = await runDoctor({ env: s.env, paths: s.paths, mode: "yes", deep: false, now });
    assert.deepEqual(report.failed, []);
    assert.deepEqual(report.skipped, []);
    assert.deepEqual(report.applied.map((a) => a.id).sort(), ["config.gateway_mode_local", chmodConfigId(s.configPath), "state.remove_lock.x.jsonl.lock"].sort());
    for (const a of report.applied) {
      assert.ok(a.undo.length > 0, `${a.id} has an undo`);
      assert.ok(a.changes.length > 0, `${a.id} lists its changes`);
    }

    const text = fs.readFileSync(s.configPath, "utf8");
    assert.equal((JSON5.parse(text) as { gateway: { mode: string } }).gateway.mode, "local");
    for (const c of ["// doctor test config", "// the default port", "/* replace before going live */"]) assert.ok(text.includes(c), `comment ${c} lost:\n${text}`);
    assert.equal(modeOf(s.configPath), 0o600);
    assert.ok(!fs.existsSync(s.lock));

    assert.ok(report.backupDir);
    assert.equal(report.backupDir, path.join(s.stateDir, "backups", "doctor-2026-03-04T05-06-07-008Z"));
    const saved = path.join(report.backupDir, "openclaw.json");
    assert.deepEqual(fs.readFileSync(saved), original, "the backup holds the previous config bytes");
    const gm = report.applied.find((a) => a.id === "config.gateway_mode_local")!;
    assert.deepEqual(gm.undo, [`cp ${saved} ${s.configPath}`]);
    assert.deepEqual(report.applied.find((a) => a.id === chmodConfigId(s.configPath))!.undo, [`chmod 0644 ${s.configPath}`]);

    assert.deepEqual(
      report.remaining.map((f) => f.checkId),
      ["config.placeholder_allow_from", "model.auth_missing"],
    );
    for (const f of report.remaining) assert.equal(f.repair, undefined);
    assert.equal(report.ok, false);
    assert.deepEqual(fs.readdirSync(path.join(s.stateDir, "backups")).sort(), ["doctor-2026-03-04T05-06-07-008Z", "last-backup.json"]);

    const before = tree(s.stateDir);
    const again = await runDoctor({ env: s.env, paths: s.paths, mode: "yes", deep: false, now: new Date(now.getTime() + 60_000) });
    assert.deepEqual(again.applied, []);
    assert.deepEqual(again.failed, []);
    assert.equal(again.backupDir, null);
    assert.deepEqual(tree(s.stateDir), before, "a second run writes nothing");
    assert.deepEqual(
      again.remaining.map((f) => f.checkId),
      ["config.placeholder_allow_from", "model.auth_missing"],
    );
  });

  test("yes with two config repairs keeps the original config in the backup", async (t) => {
    const config = `// two config repairs\n{\n  gateway: { port: 18789 },\n  routing: { allowFrom: ["+46701234567"] }, // legacy\n}\n`;
    const s = seed(t, config);
    const report = await runDoctor({ env: s.env, paths: s.paths, mode: "yes", deep: false });
    const ids = report.applied.map((a) => a.id);
    assert.ok(ids.includes("config.gateway_mode_local") && ids.includes("config.migrate.routing.allowFrom"), JSON.stringify(ids));
    const parsed = JSON5.parse(fs.readFileSync(s.configPath, "utf8")) as { gateway: { mode: string }; channels: { whatsapp: { allowFrom: string[] } }; routing?: unknown };
    assert.equal(parsed.gateway.mode, "local");
    assert.deepEqual(parsed.channels.whatsapp.allowFrom, ["+46701234567"]);
    assert.equal((parsed.routing as { allowFrom?: unknown } | undefined)?.allowFrom, undefined);
    assert.ok(report.backupDir);
    assert.equal(fs.readFileSync(path.join(report.backupDir, "openclaw.json"), "utf8"), config);
  });

  test("interactive with every prompt declined changes nothing", async (t) => {
    const s = seed(t);
    const before = tree(s.home);
    const questions: string[] = [];
    const report = await runDoctor({
      env: s.env,
      paths: s.paths,
      mode: "interactive",
      deep: false,
      confirm: async (q) => {
        questions.push(q);
        return false;
      },
    });
    assert.deepEqual(tree(s.home), before);
    assert.deepEqual(report.applied, []);
    assert.equal(report.backupDir, null);
    const ids = [...new Set(repairIds(report))];
    assert.equal(questions.length, ids.length);
    assert.deepEqual(report.skipped.map((x) => x.id).sort(), [...ids].sort());
    for (const x of report.skipped) assert.equal(x.reason, "declined");
  });

  test("a state dir owned by someone else: repairs are refused, dry-run still reports", async (t) => {
    if (typeof process.getuid !== "function" || process.getuid() !== 0) {
      t.skip("needs root to chown");
      return;
    }
    const s = seed(t);
    fs.chownSync(s.stateDir, 12345, 12345);
    const before = tree(s.home);
    await assert.rejects(runDoctor({ env: s.env, paths: s.paths, mode: "yes", deep: false }), (error: unknown) => {
      assert.ok(error instanceof AppError, String(error));
      assert.equal(error.code, "FORBIDDEN");
      assert.ok(error.hint?.includes("sudo -u"), error.hint);
      assert.ok(error.hint?.includes("--yes"), error.hint);
      return true;
    });
    assert.deepEqual(tree(s.home), before, "nothing changed");

    const dry = await runDoctor({ env: s.env, paths: s.paths, mode: "dry-run", deep: false });
    assert.deepEqual(dry.applied, []);
    assert.ok(dry.skipped.length > 0);
    assert.deepEqual(tree(s.home), before);
  });

  test("the owner hint for a uid without a passwd entry can be pasted into a shell", async (t) => {
    if (typeof process.getuid !== "function" || process.getuid() !== 0) {
      t.skip("needs root to chown");
      return;
    }
    const s = seed(t);
    fs.chownSync(s.stateDir, 12345, 12345);
    const error = await runDoctor({ env: s.env, paths: s.paths, mode: "yes", deep: false }).then(
      () => assert.fail("expected FORBIDDEN"),
      (e: unknown) => e,
    );
    assert.ok(error instanceof AppError && error.code === "FORBIDDEN");
    assert.ok(error.hint?.includes("12345"), error.hint);
    assert.doesNotMatch(error.hint ?? "", /sudo -u #/);
  });
});

describe("assertConfined", () => {
  test("refuses paths outside the state dir, allows the state dir, the config and includes", (t) => {
    const s = seed(t);
    const ctx = { stateDir: s.stateDir, configPath: s.configPath, allowed: [path.join(s.home, "shared.json5")] };
    for (const outside of ["/etc/passwd", path.join(s.home, "elsewhere"), path.join(s.stateDir, "..", "x"), `${s.stateDir}-evil/file`]) {
      assert.throws(
        () => assertConfined([{ kind: "chmod", path: outside, mode: 0o600 }], ctx),
        (error: unknown) => error instanceof AppError && error.code === "FORBIDDEN" && error.message.includes(outside),
        outside,
      );
    }
    assert.throws(() => assertConfined([{ kind: "rename", from: path.join(s.stateDir, "a"), to: "/tmp/b" }], ctx), AppError);
    assertConfined([{ kind: "chmod", path: s.stateDir, mode: 0o700 }], ctx);
    assertConfined([{ kind: "chmod", path: path.join(s.stateDir, "credentials"), mode: 0o700 }], ctx);
    assertConfined([{ kind: "chmod", path: path.join(s.home, "shared.json5"), mode: 0o600 }], ctx);
    assertConfined([{ kind: "config-set", path: ["gateway", "mode"], value: "local" }], ctx);
  });

  test("a config outside the state dir may be touched by name", () => {
    const ctx = { stateDir: "/srv/state", configPath: "/etc/openclaw/openclaw.json", allowed: [] };
    assertConfined([{ kind: "chmod", path: "/etc/openclaw/openclaw.json", mode: 0o600 }], ctx);
    assert.throws(() => assertConfined([{ kind: "chmod", path: "/etc/openclaw/other.json", mode: 0o600 }], ctx), AppError);
  });
});
