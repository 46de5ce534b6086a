/**
 * OpenClaw's own `openclaw cron` commands against our gateway (run only where OpenClaw's CLI is
 * installed; see real-openclaw.ts): it adds a job with its flags, lists it, reads status and runs,
 * and removes it — our `cron.*` answers are what its CLI expects.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { startTestGateway } from "../helpers/gateway.js";
import { REAL_CLI, type RealRun, runReal } from "./real-openclaw.js";

if (REAL_CLI.skip) console.log(`# skipping OpenClaw cron interop: ${REAL_CLI.skip}`);

const show = (r: RealRun) => `openclaw ${r.argv.join(" ")} exited ${r.code}\n--- stdout\n${r.stdout.slice(-2000)}\n--- stderr\n${r.stderr.slice(-2000)}`;

test("OpenClaw's cron add/list/status/runs/rm work against our gateway", { timeout: 300_000, skip: REAL_CLI.skip }, async (t) => {
  const gw = await startTestGateway(t);
  const target = ["--url", gw.url, "--token", gw.token];
  const real = (argv: string[]) => runReal([...argv, ...target], { home: gw.home, timeoutMs: 120_000 });
  const add = await real(["cron", "add", "--name", "interop", "--every", "1h", "--session", "main", "--system-event", "interop tick", "--json"]);
  assert.equal(add.code, 0, show(add));
  const client = await gw.connect();
  t.after(() => client.close());
  const listed = (await client.call("cron.list", {})) as { jobs: Array<{ id: string; name: string; schedule: { everyMs?: number }; payload: { kind: string } }> };
  assert.equal(listed.jobs.length, 1, "the job OpenClaw's CLI added is in our store");
  const job = listed.jobs[0]!;
  assert.equal(job.name, "interop");
  assert.equal(job.schedule.everyMs, 3_600_000);
  assert.equal(job.payload.kind, "systemEvent");
  for (const argv of [["cron", "list", "--json"], ["cron", "list"], ["cron", "status", "--json"], ["cron", "runs", "--id", job.id, "--json"]]) {
    const r = await real(argv);
    assert.equal(r.code, 0, show(r));
    if (argv[1] === "list") assert.ok(r.stdout.includes(job.id) || r.stdout.includes("interop"), show(r));
  }
  const rm = await real(["cron", "rm", job.id, "--json"]);
  assert.equal(rm.code, 0, show(rm));
  assert.equal(((await client.call("cron.list", { includeDisabled: true })) as { jobs: unknown[] }).jobs.length, 0);
});
