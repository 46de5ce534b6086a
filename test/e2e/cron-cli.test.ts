/**
 * `openclaw cron` against a real gateway: 50 jobs added through the CLI survive an in-process
 * `gateway restart` and a full stop/start on the same state dir (count equal in `list --json`);
 * the spawned binary adds, lists and removes a job, and bad flags exit 2 with one line naming the flag.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { GatewayClient } from "../../src/client/index.js";
import { GatewayRuntime } from "../../src/gateway/index.js";
import { pollUntil, resolvePaths } from "../../src/infra/index.js";
import { runBinary, runInProcess } from "../helpers/cli.js";
import { startTestGateway } from "../helpers/gateway.js";

type Listed = { jobs: Array<{ id: string; name: string; enabled: boolean }>; total: number };

test("50 jobs added through the CLI survive gateway restart and a full stop/start", async (t) => {
  const gw = await startTestGateway(t);
  const cli = (argv: string[], url = gw.url) => runInProcess([...argv, "--url", url, "--token", gw.token], { env: gw.env });
  for (let i = 0; i < 50; i++) {
    const r = await cli(["cron", "add", "--name", `job-${i}`, "--every", `${i + 1}h`, "--system-event", `event ${i}`, "--json"]);
    assert.equal(r.code, 0, r.stderr);
  }
  const count = async (url = gw.url) => {
    const r = await cli(["cron", "list", "--all", "--json"], url);
    assert.equal(r.code, 0, r.stderr);
    return (JSON.parse(r.stdout) as Listed).jobs.length;
  };
  assert.equal(await count(), 50);
  await gw.rt.restart("test");
  assert.equal(await count(), 50, "after an in-process restart");

  // A new gateway process on the same state dir.
  await gw.stop();
  const rt = await GatewayRuntime.start({ paths: resolvePaths(gw.env), env: gw.env, version: "0.0.0-test", overrides: { port: 0 }, tickIntervalMs: 60_000, handshakeTimeoutMs: 2000, restartDelayMs: 50 });
  const url = `ws://127.0.0.1:${rt.port}`;
  assert.equal(await count(url), 50, "after a full stop and start");
  const client = await GatewayClient.connect({ url, token: gw.token, timeoutMs: 3000, clientId: "test", clientMode: "test" });
  try {
    const status = (await client.call("cron.status", {})) as { jobs: number; nextWakeAtMs: number };
    assert.equal(status.jobs, 50);
    assert.ok(status.nextWakeAtMs > Date.now(), "scheduled again after start");
  } finally {
    client.close();
    // Stopped here, before the temp home is removed.
    await rt.stop("test done");
  }
});

test("spawned CLI: cron add / list --json / edit / disable / run / runs / rm, and bad flags exit 2", async (t) => {
  const gw = await startTestGateway(t);
  const bin = (argv: string[]) => runBinary([...argv, "--url", gw.url, "--token", gw.token], { env: gw.env, timeoutMs: 60_000 });
  const add = await bin(["cron", "add", "--name", "inbox", "--every", "30m", "--system-event", "check the inbox", "--json"]);
  assert.equal(add.code, 0, add.stderr);
  const job = JSON.parse(add.stdout) as { id: string; schedule: { everyMs: number }; sessionTarget: string };
  assert.equal(job.schedule.everyMs, 1_800_000);
  assert.equal(job.sessionTarget, "main");

  const list = await bin(["cron", "list", "--json"]);
  assert.equal(list.code, 0, list.stderr);
  assert.deepEqual((JSON.parse(list.stdout) as Listed).jobs.map((j) => j.id), [job.id]);
  const human = await bin(["cron", "list"]);
  assert.match(human.stdout, /inbox\s+every 30m/);

  const edit = await bin(["cron", "edit", job.id, "--cron", "0 7 * * *", "--tz", "Europe/Berlin", "--json"]);
  assert.equal(edit.code, 0, edit.stderr);
  assert.deepEqual((JSON.parse(edit.stdout) as { schedule: unknown }).schedule, { kind: "cron", expr: "0 7 * * *", tz: "Europe/Berlin" });

  const ran = await bin(["cron", "run", job.id, "--json"]);
  assert.equal(ran.code, 0, ran.stderr);
  assert.equal((JSON.parse(ran.stdout) as { ran: boolean }).ran, true);
  let runs: { entries: Array<{ status: string }> } = { entries: [] };
  const logged = await pollUntil(
    async () => {
      const r = await bin(["cron", "runs", "--id", job.id, "--limit", "5", "--json"]);
      assert.equal(r.code, 0, r.stderr);
      runs = JSON.parse(r.stdout) as typeof runs;
      return runs.entries.length > 0;
    },
    30_000,
    50,
  );
  assert.ok(logged, "the run is in the log");
  assert.equal(runs.entries[0]?.status, "ok");

  const disable = await bin(["cron", "disable", job.id]);
  assert.equal(disable.code, 0, disable.stderr);
  assert.equal((JSON.parse((await bin(["cron", "list", "--json"])).stdout) as Listed).jobs.length, 0, "disabled jobs are hidden");
  assert.equal((JSON.parse((await bin(["cron", "list", "--all", "--json"])).stdout) as Listed).jobs.length, 1);

  const rm = await bin(["cron", "rm", job.id, "--json"]);
  assert.equal(rm.code, 0, rm.stderr);
  assert.equal((JSON.parse(rm.stdout) as { removed: boolean }).removed, true);
  const again = await bin(["cron", "rm", job.id]);
  assert.equal(again.code, 1, "an unknown id fails");
  assert.match(again.stderr, /not found/);

  for (const [argv, flag] of [
    [["cron", "add", "--name", "x", "--every", "soon", "--system-event", "x"], "--every"],
    [["cron", "add", "--name", "x", "--cron", "99 * * * *", "--system-event", "x"], "--cron"],
    [["cron", "add", "--name", "x", "--at", "next tuesday", "--system-event", "x"], "--at"],
    [["cron", "add", "--name", "x", "--every", "1h"], "--system-event"],
    [["cron", "add", "--every", "1h", "--system-event", "x"], "--name"],
    [["cron", "add", "--name", "x", "--every", "1h", "--message", "hi", "--announce"], "--to"],
    [["cron", "add", "--name", "x", "--every", "1h", "--system-event", "x", "--session", "elsewhere"], "--session"],
  ] as const) {
    const r = await bin([...argv]);
    assert.equal(r.code, 2, `${argv.join(" ")}: ${r.stderr}`);
    assert.ok(r.stderr.includes(flag), `${argv.join(" ")} names ${flag}: ${r.stderr}`);
    assert.ok(r.stderr.trim().split("\n").length <= 2, `one line (plus hint): ${r.stderr}`);
  }
});
