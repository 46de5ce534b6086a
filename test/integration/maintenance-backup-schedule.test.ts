/**
 * `openclaw backup schedule` run by a real gateway: with `--every 1s --keep 2` it writes archives
 * that verify, keeps only the newest two (a foreign file and an archive-named file that does not
 * verify stay untouched), `status` and `doctor` show the last good backup; then an output dir that
 * cannot be created makes a failing run that is recorded, keeps the last good one, and doctor warns.
 * The schedule is changed while the gateway runs (no restart).
 */
import assert from "node:assert/strict";
import { existsSync, mkdirSync, readdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { test } from "node:test";
import { resolvePaths } from "../../src/infra/index.js";
import { isBackupArchiveName, loadBackupRun, restoreTargetFor, verifyBackup } from "../../src/ops/index.js";
import { runInProcess } from "../helpers/cli.js";
import { startTestGateway, waitUntil } from "../helpers/gateway.js";
import { show, stdoutJson } from "../helpers/inspect.js";

test("scheduled backups: made and verified by the gateway, pruned to --keep, shown by status and doctor; a failing run is recorded and doctor warns", async (t) => {
  const gw = await startTestGateway(t);
  const env = { ...gw.env, OPENCLAW_GATEWAY_TOKEN: gw.token, OPENCLAW_GATEWAY_URL: gw.url };
  const out = path.join(gw.home, "backups-out");
  mkdirSync(out);
  const foreign = path.join(out, "notes.txt");
  const fakeArchive = path.join(out, "openclaw-2020-01-01T00-00-00-000Z.tar.gz");
  writeFileSync(foreign, "not a backup\n");
  writeFileSync(fakeArchive, "not a tar\n");

  const set = await runInProcess(["backup", "schedule", "--every", "1s", "--keep", "2", "--output-dir", out, "--json"], { env });
  assert.equal(set.code, 0, show(set));
  const setData = stdoutJson<{ schedule: { everyMs: number; keep: number; outputDir: string }; changed: string }>(set);
  assert.deepEqual([setData.schedule.everyMs, setData.schedule.keep, setData.schedule.outputDir, setData.changed], [1000, 2, out, "set"]);

  // Three or more runs: the third prunes the oldest verified archive.
  await waitUntil(() => (loadBackupRun(gw.stateDir)?.pruned?.length ?? 0) > 0, 60_000, "a scheduled run that prunes");
  const off = await runInProcess(["backup", "schedule", "--off", "--json"], { env });
  assert.equal(off.code, 0, show(off));
  // A run in flight when --off landed may still finish; wait for the gateway to go quiet (no temp files, a settled record).
  const archives = () => readdirSync(out).filter(isBackupArchiveName).filter((n) => n !== path.basename(fakeArchive));
  await waitUntil(() => readdirSync(out).every((n) => n === "notes.txt" || isBackupArchiveName(n)) && archives().length === 2, 20_000, "two archives kept");
  assert.ok(existsSync(foreign), "a foreign file in the output dir was removed");
  assert.ok(existsSync(fakeArchive), "an archive-named file that does not verify was removed");
  const paths = resolvePaths(gw.env);
  for (const a of archives()) {
    const v = await verifyBackup(path.join(out, a), restoreTargetFor(paths));
    assert.equal(v.ok, true, `${a}: ${v.problems.join("; ")}`);
  }
  const record = loadBackupRun(gw.stateDir)!;
  assert.equal(record.status, "ok");
  assert.ok(record.lastGood && archives().includes(path.basename(record.lastGood.archive)), JSON.stringify(record));
  assert.ok(typeof record.durationMs === "number" && typeof record.bytes === "number" && record.bytes > 0);

  // The schedule is back on for status/doctor (they warn on staleness only against a schedule).
  const on = await runInProcess(["backup", "schedule", "--every", "1h", "--keep", "2", "--output-dir", out], { env });
  assert.equal(on.code, 0, show(on));
  const status = await runInProcess(["status"], { env });
  assert.match(status.stdout, /Backups: every 1h, keep 2 .*last good backup: \S+ \(\d+s ago\) .*openclaw-.*\.tar\.gz/, show(status));
  const statusJson = stdoutJson<{ backup: { lastRun: { lastGood: { archive: string } } } }>(await runInProcess(["status", "--json"], { env }));
  assert.equal(statusJson.backup.lastRun.lastGood.archive, record.lastGood!.archive);
  const doctor = stdoutJson<{ findings: Array<{ checkId: string; severity: string; title: string }> }>(await runInProcess(["doctor", "--json"], { env }));
  const good = doctor.findings.find((f) => f.checkId === "backup.last_good");
  assert.ok(good?.title.includes(record.lastGood!.archive), JSON.stringify(doctor.findings));
  assert.ok(!doctor.findings.some((f) => f.checkId.startsWith("backup.schedule_")), JSON.stringify(doctor.findings));

  // An output dir that cannot be created (a file is in the way): the run fails, is recorded, and doctor warns.
  const blocked = path.join(gw.home, "a-file");
  writeFileSync(blocked, "x");
  const bad = await runInProcess(["backup", "schedule", "--every", "1s", "--keep", "2", "--output-dir", path.join(blocked, "sub")], { env });
  assert.equal(bad.code, 0, show(bad));
  await waitUntil(() => loadBackupRun(gw.stateDir)?.status === "error", 20_000, "a failed run recorded");
  await runInProcess(["backup", "schedule", "--off"], { env });
  const failed = loadBackupRun(gw.stateDir)!;
  assert.match(failed.error ?? "", /a-file|ENOTDIR|not a directory/i, JSON.stringify(failed));
  assert.equal(failed.lastGood?.archive, record.lastGood!.archive, "the last good backup is kept across a failed run");
  // Re-enable so doctor judges against a schedule (long interval: no new run before doctor reads it).
  await runInProcess(["backup", "schedule", "--every", "1h", "--output-dir", path.join(blocked, "sub")], { env });
  const doctor2 = await runInProcess(["doctor", "--json"], { env });
  const findings = stdoutJson<{ findings: Array<{ checkId: string; severity: string; title: string }> }>(doctor2).findings;
  const warn = findings.find((f) => f.checkId === "backup.schedule_failed");
  assert.equal(warn?.severity, "warn", JSON.stringify(findings));
  assert.notEqual(doctor2.code, 0, "doctor exits non-zero on the warning");
  const status2 = await runInProcess(["status"], { env });
  assert.match(status2.stdout, /last run FAILED/, show(status2));
});

test("backup schedule: bad flags are one-line usage errors", async (t) => {
  const gw = await startTestGateway(t);
  for (const argv of [
    ["backup", "schedule", "--every", "soon"],
    ["backup", "schedule", "--every", "24h", "--keep", "0"],
    ["backup", "schedule", "--every", "24h", "--off"],
    ["backup", "schedule", "--every", "24h", "--output-dir", path.join(gw.stateDir, "inside")],
  ]) {
    const r = await runInProcess(argv, { env: gw.env });
    assert.equal(r.code, 2, `${argv.join(" ")}\n${show(r)}`);
    assert.equal(r.stderr.trim().split("\n")[0]!.length > 0, true);
  }
  const show0 = await runInProcess(["backup", "schedule"], { env: gw.env });
  assert.match(show0.stdout, /no backup schedule/);
});
