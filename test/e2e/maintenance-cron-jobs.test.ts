/**
 * Jobs are never lost (openclaw/openclaw#97422): 50 cron jobs in `<state>/cron/jobs.json` (with
 * their run logs) survive `backup create` → `backup restore` into a fresh state dir (also from a
 * `--minimal` archive) and `migrate export` → `migrate import` into another home; `migrate verify`
 * compares the count with the source's and fails when a job is missing. In-process CLI, real files.
 */
import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { test } from "node:test";
import { countCronJobs } from "../../src/ops/index.js";
import { runInProcess } from "../helpers/cli.js";
import { show, stdoutJson } from "../helpers/inspect.js";

const JOBS = 50;

function seed(stateDir: string): void {
  mkdirSync(path.join(stateDir, "cron", "runs"), { recursive: true, mode: 0o700 });
  writeFileSync(path.join(stateDir, "openclaw.json"), `${JSON.stringify({ gateway: { mode: "local" } }, null, 2)}\n`, { mode: 0o600 });
  const now = Date.now();
  const jobs = Array.from({ length: JOBS }, (_, i) => ({
    id: `job-${String(i).padStart(2, "0")}`,
    name: `job ${i}`,
    enabled: true,
    createdAtMs: now,
    updatedAtMs: now,
    schedule: { kind: "every", everyMs: 60_000 * (i + 1) },
    sessionTarget: "main",
    wakeMode: "now",
    payload: { kind: "systemEvent", text: `tick ${i}` },
    state: { nextRunAtMs: now + 60_000 },
  }));
  writeFileSync(path.join(stateDir, "cron", "jobs.json"), `${JSON.stringify({ version: 1, jobs }, null, 2)}\n`, { mode: 0o600 });
  writeFileSync(path.join(stateDir, "cron", "runs", "job-00.jsonl"), `${JSON.stringify({ ts: now, jobId: "job-00", status: "ok" })}\n`, { mode: 0o600 });
}

function homes(t: { after(fn: () => void): void }) {
  const root = mkdtempSync(path.join(os.tmpdir(), "openclaw-cronjobs-"));
  t.after(() => rmSync(root, { recursive: true, force: true }));
  const make = (name: string) => {
    const home = path.join(root, name);
    mkdirSync(home, { mode: 0o700 });
    return { home, stateDir: path.join(home, ".openclaw"), env: { HOME: home, PATH: process.env.PATH, NO_COLOR: "1", TMPDIR: os.tmpdir() } as Record<string, string | undefined> };
  };
  return { root, alice: make("alice"), bob: make("bob") };
}

test("50 cron jobs survive backup create → restore into a fresh state dir (full and --minimal)", async (t) => {
  const { root, alice } = homes(t);
  seed(alice.stateDir);
  for (const mode of ["full", "minimal"]) {
    const archive = path.join(root, `${mode}.tar.gz`);
    const made = await runInProcess(["backup", "create", "--output", archive, ...(mode === "minimal" ? ["--minimal"] : []), "--json"], { env: alice.env });
    assert.equal(made.code, 0, show(made));
    const fresh = path.join(root, `fresh-${mode}`, ".openclaw");
    const restored = await runInProcess(["backup", "restore", archive, "--state-dir", fresh, "--force", "--json"], { env: alice.env });
    assert.equal(restored.code === 0 || restored.code === 3, true, show(restored));
    assert.equal(countCronJobs(path.join(fresh, "cron", "jobs.json")), JOBS, `${mode}: ${show(restored)}`);
    assert.deepEqual(JSON.parse(readFileSync(path.join(fresh, "cron", "jobs.json"), "utf8")), JSON.parse(readFileSync(path.join(alice.stateDir, "cron", "jobs.json"), "utf8")));
    if (mode === "full") assert.match(readFileSync(path.join(fresh, "cron", "runs", "job-00.jsonl"), "utf8"), /"jobId":"job-00"/);
  }
});

test("50 cron jobs survive migrate export → import; migrate verify compares the count and fails on a missing job", async (t) => {
  const { root, alice, bob } = homes(t);
  seed(alice.stateDir);
  const archive = path.join(root, "move.tar.gz");
  const exp = await runInProcess(["migrate", "export", "--output", archive, "--no-stop", "--json"], { env: alice.env });
  assert.equal(exp.code, 0, show(exp));
  const exported = stdoutJson<{ cronJobs: { count: number; store: string } }>(exp);
  assert.equal(exported.cronJobs.count, JOBS);
  const human = await runInProcess(["migrate", "export", "--output", path.join(root, "move2.tar.gz"), "--no-stop"], { env: alice.env });
  assert.match(human.stdout, /cron jobs: 50 in .*jobs\.json/, show(human));

  const imp = await runInProcess(["migrate", "import", archive, "--no-service", "--json"], { env: bob.env });
  assert.equal(imp.code, 0, show(imp));
  const bobJobs = path.join(bob.stateDir, "cron", "jobs.json");
  assert.equal(countCronJobs(bobJobs), JOBS);

  type Verify = { checks: Array<{ check: string; ok: boolean; detail: string }> };
  const cronRow = async () => {
    const v = await runInProcess(["migrate", "verify", "--json"], { env: bob.env });
    const row = stdoutJson<Verify>(v).checks.find((c) => c.check.startsWith("cron jobs carried"));
    assert.ok(row, show(v));
    return { row: row!, code: v.code };
  };
  const good = await cronRow();
  assert.equal(good.row.ok, true, good.row.detail);
  assert.match(good.row.detail, /50 of 50 job/);

  // A job goes missing on the target (as in #97422): verify fails and says how many.
  const doc = JSON.parse(readFileSync(bobJobs, "utf8")) as { jobs: unknown[] };
  doc.jobs.pop();
  writeFileSync(bobJobs, JSON.stringify(doc));
  const bad = await cronRow();
  assert.equal(bad.row.ok, false);
  assert.match(bad.row.detail, /49 job\(s\) in .*the source had 50/);
  assert.equal(bad.code, 3);
});

test("backup create says so when cron.store points outside the state dir (those jobs are not in the archive)", async (t) => {
  const { root, alice } = homes(t);
  seed(alice.stateDir);
  const store = path.join(alice.home, "elsewhere", "jobs.json");
  writeFileSync(path.join(alice.stateDir, "openclaw.json"), `${JSON.stringify({ gateway: { mode: "local" }, cron: { store } })}\n`, { mode: 0o600 });
  const made = await runInProcess(["backup", "create", "--output", path.join(root, "b.tar.gz"), "--json"], { env: alice.env });
  assert.equal(made.code, 0, show(made));
  const notes = stdoutJson<{ notes: string[] }>(made).notes;
  assert.ok(notes.some((n) => n.includes(`cron.store ${store} is outside the state dir`)), JSON.stringify(notes));
});
