/**
 * Logs per state dir (issue 11, item 9) and human status output (item 10): the gateway's default
 * file log lives in `<stateDir>/logs/`, `status`/`logs` read only their own state dir's log (two
 * profiles side by side never see each other's errors), `logging.file` still overrides, and the
 * human `status --all` tail and `status --deep` are rendered lines, while `--json` keeps the data.
 */
import assert from "node:assert/strict";
import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { describe, test } from "node:test";
import { pollUntil } from "../../src/infra/index.js";
import { formatRecord } from "../../src/logging/index.js";
import { runInProcess, tempHome } from "../helpers/cli.js";
import { freePort, startTestGateway } from "../helpers/gateway.js";

type After = { after(fn: () => unknown): void };

const record = (level: "info" | "warn" | "error", subsystem: string, message: string, time = "2026-11-21T10:00:00.000Z") => formatRecord({ time, level, subsystem, message });

/** A home with the default profile and `work`, each with a config (distinct unused ports) and a log holding its own error. */
async function twoProfiles(t: After) {
  const { home, env } = tempHome(t);
  const profiles = {
    default: { stateDir: path.join(home, ".openclaw"), flags: [] as string[] },
    work: { stateDir: path.join(home, ".openclaw-work"), flags: ["--profile", "work"] },
  };
  for (const [name, p] of Object.entries(profiles)) {
    mkdirSync(path.join(p.stateDir, "logs"), { recursive: true });
    writeFileSync(path.join(p.stateDir, "openclaw.json"), JSON.stringify({ gateway: { mode: "local", port: await freePort(), auth: { token: `token-of-${name}-0123456789abcdef` } } }));
    writeFileSync(path.join(p.stateDir, "logs", "openclaw.log"), `${record("info", "gateway", `started ${name}`)}\n${record("error", "gateway/reload", `boom in ${name}`)}\n`);
  }
  return { home, env, profiles };
}

describe("file logs live in the state dir", () => {
  test("a gateway without logging.file writes <stateDir>/logs/openclaw.log and logs.tail reads it", async (t) => {
    const gw = await startTestGateway(t, { config: { logging: { file: undefined } } });
    const expected = path.join(gw.stateDir, "logs", "openclaw.log");
    assert.equal(gw.rt.logFile, expected);
    const client = await gw.connect();
    t.after(() => client.close());
    let tail: { file: string; lines: string[] } = { file: "", lines: [] };
    const seen = await pollUntil(async () => {
      tail = (await client.call("logs.tail", { limit: 50 })) as typeof tail;
      return tail.lines.some((l) => l.includes("listening on"));
    }, 5000, 20);
    assert.equal(tail.file, expected);
    assert.ok(seen, `the gateway's own startup line is in ${expected}: ${tail.lines.join("\n")}`);
  });

  test("status and logs of each profile show only that profile's log", async (t) => {
    const { env, profiles } = await twoProfiles(t);
    for (const [name, p] of Object.entries(profiles)) {
      const other = name === "default" ? "work" : "default";
      const ownLog = path.join(p.stateDir, "logs", "openclaw.log");
      const st = await runInProcess([...p.flags, "status", "--all", "--json", "--timeout", "300"], { env });
      assert.equal(st.code, 0, st.stderr);
      const report = JSON.parse(st.stdout) as { logs: { file: string; lastErrors: Array<{ message: string }> }; logTail: string[] };
      assert.equal(report.logs.file, ownLog, `${name}: status reads its own state dir's log`);
      assert.deepEqual(report.logs.lastErrors.map((e) => e.message), [`boom in ${name}`]);
      assert.ok(!report.logTail.some((l) => l.includes(`in ${other}`)), `${name}: no line of ${other} in the tail`);

      const logs = await runInProcess([...p.flags, "logs", "--json", "--timeout", "300"], { env });
      assert.equal(logs.code, 0, logs.stderr);
      const rows = logs.stdout.trim().split("\n").map((l) => JSON.parse(l) as { type: string; file?: string; message?: string });
      assert.equal(rows[0]!.file, ownLog);
      assert.deepEqual(rows.filter((r) => r.type === "log").map((r) => r.message), [`started ${name}`, `boom in ${name}`]);
    }
  });

  test("logging.file still overrides the state dir's log", async (t) => {
    const { home, env, profiles } = await twoProfiles(t);
    const custom = path.join(home, "elsewhere", "gw.log");
    mkdirSync(path.dirname(custom), { recursive: true });
    writeFileSync(custom, `${record("error", "gateway", "custom file error")}\n`);
    const configPath = path.join(profiles.default.stateDir, "openclaw.json");
    writeFileSync(configPath, JSON.stringify({ gateway: { mode: "local", port: await freePort() }, logging: { file: "~/elsewhere/gw.log" } }));
    const st = await runInProcess(["status", "--json", "--timeout", "300"], { env });
    const report = JSON.parse(st.stdout) as { logs: { file: string; lastErrors: Array<{ message: string }> } };
    assert.equal(report.logs.file, custom);
    assert.deepEqual(report.logs.lastErrors.map((e) => e.message), ["custom file error"]);
  });
});

describe("human status output is rendered, --json keeps the data", () => {
  test("status --all renders the log tail as time, level, subsystem and message", async (t) => {
    const { env } = await twoProfiles(t);
    const human = await runInProcess(["status", "--all", "--timeout", "300"], { env });
    assert.equal(human.code, 0, human.stderr);
    const tail = human.stdout.slice(human.stdout.indexOf("Log tail:"));
    assert.match(tail, /^ {2}2026-11-21T10:00:00\.000Z ERROR \[reload\] boom in default$/m);
    assert.match(tail, /^ {2}2026-11-21T10:00:00\.000Z INFO {2}\[gateway\] started default$/m);
    assert.doesNotMatch(tail, /_meta|logLevelName|"0":/, "no raw tslog JSON in the human tail");
    const json = await runInProcess(["status", "--all", "--json", "--timeout", "300"], { env });
    const report = JSON.parse(json.stdout) as { logTail: string[] };
    assert.ok(report.logTail.some((l) => JSON.parse(l)._meta?.logLevelName === "ERROR"), "--json keeps the raw records");
  });

  test("status --deep renders health, agents, channels and models instead of dumping JSON", async (t) => {
    const gw = await startTestGateway(t, { config: { channels: { telegram: { enabled: true, botToken: "123456:ABCDEFGHIJKLMNOPQRSTUVWXYZabcdef" } } } });
    const target = ["--url", gw.url, "--token", gw.token, "--timeout", "3000"];
    const human = await runInProcess(["status", "--deep", ...target], { env: gw.env });
    assert.equal(human.code, 0, human.stderr);
    const deep = human.stdout.slice(human.stdout.indexOf("Deep"));
    assert.match(deep, /^Deep \(live from the gateway\):$/m);
    assert.match(deep, /^ {2}Health: ok/m);
    assert.match(deep, /^ {2}Agent main \(default\): 0 sessions · heartbeat 30m$/m);
    assert.match(deep, /^ {2}Channel Telegram: default /m);
    assert.match(deep, /^ {2}Models: anthropic\/claude-opus-4-6$/m);
    assert.doesNotMatch(deep, /^\s*[{}]\s*$|"channelOrder"/m, "no JSON dump in human output");
    const json = await runInProcess(["status", "--deep", "--json", ...target], { env: gw.env });
    const report = JSON.parse(json.stdout) as { deep: { health: { ok: boolean }; channels: { channelOrder: string[] } } };
    assert.equal(report.deep.health.ok, true);
    assert.deepEqual(report.deep.channels.channelOrder, ["telegram", "webchat"], "configured channels and the gateway's own WebChat");
  });
});
