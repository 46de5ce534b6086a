/**
 * Interop with OpenClaw's own CLI (npm `openclaw@2026.9.6`), run only where it is installed (see
 * real-openclaw.ts; skipped with a visible reason otherwise, and CI does not have it):
 * - its read commands against our gateway: health, status (plain, --json, --deep, --all), logs,
 *   gateway probe, gateway call on every method we serve, system presence, channels status;
 * - our CLI against its gateway with --url: health, status, logs, gateway call.
 */
import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, test } from "node:test";
import { GatewayClient } from "../../src/client/index.js";
import type { AgentsSubsystem } from "../../src/gateway/subsystems/agents/index.js";
import { METHOD_NAMES, type MethodName } from "../../src/protocol/index.js";
import { runInProcess, tempHome } from "../helpers/cli.js";
import { freePort, startTestGateway } from "../helpers/gateway.js";
import { REAL_CLI, type RealRun, runRealAll, startRealGateway } from "./real-openclaw.js";

if (REAL_CLI.skip) console.log(`# skipping OpenClaw CLI interop: ${REAL_CLI.skip}`);


function show(r: RealRun): string {
  return `openclaw ${r.argv.join(" ")} exited ${r.code}\n--- stdout\n${r.stdout.slice(-2000)}\n--- stderr\n${r.stderr.slice(-2000)}`;
}

function parseJson(r: RealRun): unknown {
  try {
    return JSON.parse(r.stdout);
  } catch {
    assert.fail(`stdout is not one JSON value: ${show(r)}`);
  }
}

describe("OpenClaw's CLI against our gateway", () => {
  test("every read command and gateway call on every method we serve exit 0 with sane output", { timeout: 600_000, skip: REAL_CLI.skip }, async (t) => {
    const gw = await startTestGateway(t, { config: { channels: { telegram: { enabled: true, botToken: "123456:ABCDEFGHIJKLMNOPQRSTUVWXYZabcdef" } } }, gateway: { restartDelayMs: 50 } });
    const now = Date.now();
    const sessions = path.join(gw.stateDir, "agents", "main", "sessions");
    mkdirSync(sessions, { recursive: true });
    writeFileSync(path.join(sessions, "sessions.json"), JSON.stringify({ "agent:main:main": { sessionId: "s-1", updatedAt: now - 60_000, model: "openai/gpt-5" } }));
    gw.rt.log.error("interop marker error");
    // The real CLI's home names our gateway's port and token.
    const home = mkdtempSync(path.join(os.tmpdir(), "openclaw-real-home-"));
    t.after(() => rmSync(home, { recursive: true, force: true }));
    mkdirSync(path.join(home, ".openclaw"), { recursive: true });
    writeFileSync(path.join(home, ".openclaw", "openclaw.json"), JSON.stringify({ gateway: { mode: "local", port: gw.rt.port, auth: { mode: "token", token: gw.token } } }));
    const target = ["--url", gw.url, "--token", gw.token];

    const client = await gw.connect();
    const config = (await client.call("config.get", {})) as { hash: string; raw: string };
    client.close();
    // An open exec approval that the real CLI's `gateway call exec.approval.resolve` answers.
    const broker = (gw.rt.subsystems().find((s) => s.name === "agents") as AgentsSubsystem).approvals;
    const approval = broker.request({ command: "echo interop", cwd: gw.home, agentId: "main", sessionKey: "agent:main:main", reason: "interop", timeoutMs: 600_000 });
    const approvalId = broker.list()[0]!.id;
    const paramsFor: Partial<Record<MethodName, Record<string, unknown>>> = {
      "exec.approval.resolve": { id: approvalId, decision: "deny" },
      "logs.tail": { limit: 5 },
      "system-event": { text: "interop event" },
      wake: { mode: "next-heartbeat", text: "interop wake" },
      "set-heartbeats": { enabled: true },
      "diagnostics.stability": { limit: 1000 },
      "config.patch": { raw: "{}", baseHash: config.hash },
      // The redacted snapshot round-trips: redacted secrets are kept from the file.
      "config.set": { raw: config.raw, baseHash: config.hash },
      "agents.files.list": { agentId: "main" },
      "agents.files.get": { agentId: "main", name: "AGENTS.md" },
      "agents.files.set": { agentId: "main", name: "MEMORY.md", content: "interop\n" },
      "sessions.preview": { keys: ["agent:main:main"] },
      "sessions.patch": { key: "agent:main:main", label: "interop" },
      "sessions.reset": { key: "agent:main:main" },
      "sessions.delete": { key: "agent:main:absent" },
      "chat.history": { sessionKey: "main" },
      "memory.search": { query: "interop" },
      "cron.add": { name: "interop", schedule: { kind: "every", everyMs: 3_600_000 }, sessionTarget: "main", wakeMode: "now", payload: { kind: "systemEvent", text: "interop" } },
    };
    // Agent edits change the config file (one after another, then a fresh hash); config.set changes
    // the hash and config.apply restarts the gateway: all run last, on their own.
    const agentEdits: Array<[MethodName, Record<string, unknown>]> = [
      ["agents.create", { name: "interop" }],
      ["agents.update", { agentId: "interop", name: "Interop" }],
      ["agents.delete", { agentId: "interop" }],
    ];
    // Methods that start or steer agent runs need a model; agent-interop.test.ts drives them.
    // approval.get/resolve need a live id: openclaw-approvals.test.ts drives them.
    const runs_: MethodName[] = ["agent", "agent.wait", "chat.send", "chat.abort", "chat.inject", "sessions.compact", "approval.get", "approval.resolve"];
    // Channel controls and sends need a running channel account (channels-interop.test.ts drives them); pairing approvals need a pending request (channels-pairing-rpc.test.ts).
    const channelControls: MethodName[] = ["channels.start", "channels.stop", "channels.logout", "send", "web.login.start", "web.login.wait", "channels.pairing.approve", "channels.pairing.dismiss"];
    // Cron methods on one job need its id (test/e2e/cron-*.test.ts drive them).
    const cronJob: MethodName[] = ["cron.get", "cron.update", "cron.remove", "cron.run"];
    const late: MethodName[] = ["config.set", "config.apply", ...agentEdits.map(([m]) => m), ...runs_, ...channelControls, ...cronJob];
    const calls = METHOD_NAMES.filter((m) => !late.includes(m)).map((m) => ["gateway", "call", m, "--params", JSON.stringify(paramsFor[m] ?? {}), ...target, "--json"]);
    const commands = [
      ["health", "--json"],
      ["health"],
      ["status", "--json"],
      ["status"],
      ["status", "--deep"],
      ["status", "--all"],
      ["logs", "--limit", "5", "--json"],
      ["logs", "--limit", "5"],
      ["gateway", "probe", "--json"],
      ["system", "presence", "--json"],
      ["channels", "status", "--json"],
      ["channels", "status"],
    ];
    const runs = await runRealAll([...commands, ...calls], { home, concurrency: 3 });
    for (const r of runs) assert.equal(r.code, 0, show(r));
    const byArgv = (...argv: string[]) => runs.find((r) => r.argv.join(" ") === argv.join(" "))!;
    assert.equal(await approval, "deny", "the real CLI answered our exec approval");

    const health = parseJson(byArgv("health", "--json")) as { ok: boolean; defaultAgentId: string };
    assert.equal(health.ok, true);
    assert.equal(health.defaultAgentId, "main");
    assert.match(byArgv("health").stdout, /Gateway event loop: ok/);
    assert.match(byArgv("health").stdout, /Session store \(main\).*\(1 entr/);

    const status = parseJson(byArgv("status", "--json")) as { sessions: { count: number; byAgent: Array<{ agentId: string; count: number; recent: Array<{ key: string }> }> } };
    assert.equal(status.sessions.count, 1);
    assert.equal(status.sessions.byAgent[0]!.agentId, "main");
    assert.equal(status.sessions.byAgent[0]!.recent[0]!.key, "agent:main:main");
    for (const argv of [["status"], ["status", "--deep"], ["status", "--all"]]) {
      const r = byArgv(...argv);
      assert.match(r.stdout, /OpenClaw status/, show(r));
      assert.doesNotMatch(`${r.stdout}${r.stderr}`, /CLI command failed|Cannot read properties/, show(r));
    }
    assert.match(byArgv("status", "--all").stdout, /reachable/);

    const logLines = byArgv("logs", "--limit", "5", "--json").stdout.trim().split("\n").map((l) => JSON.parse(l) as { type: string; file?: string; message?: string });
    assert.equal(logLines[0]!.type, "meta");
    assert.equal(logLines[0]!.file, gw.rt.logFile);
    const messages = logLines.filter((l) => l.type === "log").map((l) => l.message ?? "");
    assert.ok(messages.length > 0, "some log lines");
    assert.ok(!messages.some((m) => m.startsWith('{"subsystem"')), `messages without the bindings JSON: ${messages.join(" | ")}`);
    assert.match(byArgv("logs", "--limit", "5").stdout, /interop marker error|ws |listening/);

    const probe = parseJson(byArgv("gateway", "probe", "--json")) as { ok: boolean; targets: Array<{ connect: { ok: boolean; rpcOk: boolean } }> };
    assert.equal(probe.ok, true);
    assert.equal(probe.targets[0]!.connect.rpcOk, true, JSON.stringify(probe.targets[0]));

    const presence = parseJson(byArgv("system", "presence", "--json")) as Array<{ mode?: string }>;
    assert.ok(presence.some((p) => p.mode === "gateway"));
    const channels = parseJson(byArgv("channels", "status", "--json")) as { channelOrder: string[] };
    assert.deepEqual(channels.channelOrder, ["telegram", "webchat"], "the configured channel and the gateway's own WebChat");
    assert.match(byArgv("channels", "status").stdout, /Gateway reachable/);

    for (const m of METHOD_NAMES.filter((x) => !late.includes(x))) {
      const r = runs.find((x) => x.argv[2] === m && x.argv[0] === "gateway" && x.argv[1] === "call")!;
      const value = parseJson(r);
      if (m !== "last-heartbeat") assert.ok(value !== null && typeof value === "object", `${m}: ${show(r)}`);
    }
    const stability = parseJson(runs.find((x) => x.argv[2] === "diagnostics.stability")!) as { events: Array<{ type: string }> };
    assert.ok(stability.events.some((e) => e.type === "gateway.lifecycle"), "the recorder saw the gateway start");
    assert.ok(stability.events.some((e) => e.type === "log.error"), "the recorder saw the marker error");

    for (const [m, params] of agentEdits) {
      const [r] = await runRealAll([["gateway", "call", m, "--params", JSON.stringify(params), ...target, "--json"]], { home });
      assert.equal(r!.code, 0, show(r!));
      assert.equal((parseJson(r!) as { agentId: string }).agentId, "interop");
    }
    const fresh = await gw.connect();
    const after = (await fresh.call("config.get", {})) as { hash: string; raw: string };
    fresh.close();
    paramsFor["config.set"] = { raw: after.raw, baseHash: after.hash };
    const [set] = await runRealAll([["gateway", "call", "config.set", "--params", JSON.stringify(paramsFor["config.set"]), ...target, "--json"]], { home });
    assert.equal(set!.code, 0, show(set!));
    const { hash } = parseJson(set!) as { hash: string };
    const [apply] = await runRealAll([["gateway", "call", "config.apply", "--params", JSON.stringify({ raw: paramsFor["config.set"]!.raw, baseHash: hash }), ...target, "--json"]], { home });
    assert.equal(apply!.code, 0, show(apply!));
  });
});

describe("our CLI against OpenClaw's gateway (--url)", () => {
  test("health, status, logs and gateway call work", { timeout: 300_000, skip: REAL_CLI.skip }, async (t) => {
    const home = mkdtempSync(path.join(os.tmpdir(), "openclaw-real-gw-"));
    let real: Awaited<ReturnType<typeof startRealGateway>> | undefined;
    // Stop the gateway before removing its home (it writes there until it exits).
    t.after(async () => {
      await real?.stop();
      rmSync(home, { recursive: true, force: true, maxRetries: 3 });
    });
    const port = await freePort();
    const token = `real-token-${Date.now()}-0123456789`;
    mkdirSync(path.join(home, ".openclaw"), { recursive: true });
    writeFileSync(path.join(home, ".openclaw", "openclaw.json"), JSON.stringify({ gateway: { mode: "local", port, bind: "loopback", auth: { mode: "token", token } } }));
    const url = `ws://127.0.0.1:${port}`;
    real = await startRealGateway({
      home,
      port,
      ready: async () => {
        try {
          const c = await GatewayClient.connect({ url, token, timeoutMs: 2000, clientId: "cli", clientMode: "cli" });
          c.close();
          return true;
        } catch {
          return false;
        }
      },
    });
    const { env } = tempHome(t);
    const target = ["--url", url, "--token", token];
    const ours = async (...argv: string[]) => {
      const r = await runInProcess([...argv, ...target, "--timeout", "20000"], { env });
      assert.equal(r.code, 0, `openclaw ${argv.join(" ")} exited ${r.code}\n${r.stdout.slice(-1500)}\n${r.stderr.slice(-1500)}`);
      return r;
    };
    const health = JSON.parse((await ours("health", "--json")).stdout) as { ok: boolean };
    assert.equal(health.ok, true);
    assert.match((await ours("health")).stdout, /healthy/i);
    const status = JSON.parse((await ours("status", "--json")).stdout) as { gateway: { reachable: boolean } };
    assert.equal(status.gateway.reachable, true);
    const deep = await ours("status", "--deep");
    assert.match(deep.stdout, /^ {2}Health: ok/m);
    assert.doesNotMatch(deep.stdout, /unavailable/, "every deep view answered");
    const logs = (await ours("logs", "--limit", "5", "--json")).stdout.trim().split("\n").map((l) => JSON.parse(l) as { type: string });
    assert.equal(logs[0]!.type, "meta");
    assert.ok(logs.some((l) => l.type === "log"), "the real gateway's log lines parse as log records");
    for (const m of ["health", "status", "logs.tail", "system-presence", "channels.status", "config.get"]) {
      const r = await ours("gateway", "call", m, "--json");
      assert.equal(typeof JSON.parse(r.stdout), "object", m);
    }
    const probe = JSON.parse((await ours("gateway", "probe", "--json")).stdout) as { ok: boolean; status: { ok: boolean }; config: { ok: boolean } };
    assert.equal(probe.ok, true);
    assert.equal(probe.config.ok, true);
  });
});
