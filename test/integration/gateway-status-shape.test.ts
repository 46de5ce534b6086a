/**
 * The result shapes OpenClaw's own CLI reads (issue 11, "OpenClaw's own CLI against our gateway"),
 * checked without that CLI: `status` is the whole StatusSummary of spec §5.1, `health` carries a
 * real event-loop block, and `diagnostics.stability` answers from the gateway's recorder.
 */
import assert from "node:assert/strict";
import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { test } from "node:test";
import { GatewayClient } from "../../src/client/index.js";
import { startTestGateway } from "../helpers/gateway.js";

interface SessionStatus {
  key: string;
  kind: string;
  updatedAt: number | null;
  age: number | null;
  model: string | null;
  totalTokens: number | null;
  flags: string[];
}
interface StatusSummary {
  heartbeat: { defaultAgentId: string; agents: Array<{ agentId: string; enabled: boolean; every: string; everyMs: number | null }> };
  channelSummary: string[];
  queuedSystemEvents: string[];
  tasks: { total: number; byStatus: Record<string, number> };
  sessions: {
    paths: string[];
    count: number;
    defaults: { model: string | null; contextTokens: number | null };
    recent: SessionStatus[];
    byAgent: Array<{ agentId: string; path: string; count: number; recent: SessionStatus[] }>;
  };
}

function writeSessions(stateDir: string, agentId: string, entries: Record<string, unknown>): string {
  const dir = path.join(stateDir, "agents", agentId, "sessions");
  mkdirSync(dir, { recursive: true });
  const file = path.join(dir, "sessions.json");
  writeFileSync(file, JSON.stringify(entries));
  return file;
}

test("status is the whole StatusSummary: byAgent entries carry agentId, path, count and recent[]", async (t) => {
  const gw = await startTestGateway(t, {
    config: {
      agents: { defaults: { model: "openai/gpt-5" }, list: [{ id: "main", default: true }, { id: "work" }] },
      channels: { telegram: { enabled: true, botToken: "123456:ABCDEFGHIJKLMNOPQRSTUVWXYZabcdef" } },
    },
  });
  const now = Date.now();
  const mainFile = writeSessions(gw.stateDir, "main", {
    "agent:main:main": { sessionId: "a", updatedAt: now - 60_000, model: "openai/gpt-5", inputTokens: 100, outputTokens: 20, contextTokens: 1000 },
    "agent:main:telegram:group:42": { sessionId: "b", updatedAt: now - 3_600_000 * 30 },
    global: { updatedAt: now },
  });
  const workFile = writeSessions(gw.stateDir, "work", {});
  const client = await gw.connect();
  t.after(() => client.close());
  const s = (await client.call("status", { includeChannelSummary: false, includeCliProjection: true })) as StatusSummary;

  assert.deepEqual(s.heartbeat, { defaultAgentId: "main", agents: [{ agentId: "main", enabled: true, every: "30m", everyMs: 1_800_000 }, { agentId: "work", enabled: true, every: "30m", everyMs: 1_800_000 }] });
  assert.ok(s.channelSummary.every((l) => typeof l === "string"));
  assert.match(s.channelSummary[0]!, /^Telegram: 1 account/);
  assert.equal(s.tasks.total, 0);
  assert.equal(s.sessions.count, 3);
  assert.deepEqual(s.sessions.paths, [mainFile, workFile]);
  assert.equal(s.sessions.defaults.model, "openai/gpt-5");
  assert.deepEqual(
    s.sessions.byAgent.map((a) => ({ agentId: a.agentId, path: a.path, count: a.count, keys: a.recent.map((r) => r.key) })),
    [
      { agentId: "main", path: mainFile, count: 3, keys: ["agent:main:main", "agent:main:telegram:group:42"] },
      { agentId: "work", path: workFile, count: 0, keys: [] },
    ],
  );
  const first = s.sessions.byAgent[0]!.recent[0]!;
  assert.equal(first.kind, "direct");
  assert.equal(first.model, "openai/gpt-5");
  assert.equal(first.totalTokens, 120);
  assert.ok(first.age !== null && first.age >= 60_000 && first.age < 3_600_000, `age ${first.age}`);
  assert.equal(s.sessions.byAgent[0]!.recent[1]!.kind, "group");
  assert.deepEqual(s.sessions.recent.map((r) => r.key), ["agent:main:main", "agent:main:telegram:group:42"]);
});

test("without admin scope (auth.mode none, read declared) status hides session paths", async (t) => {
  const gw = await startTestGateway(t, { config: { gateway: { auth: { mode: "none" } } } });
  const client = await GatewayClient.connect({ url: gw.url, timeoutMs: 3000, clientId: "test", clientMode: "test", scopes: ["operator.read"] });
  t.after(() => client.close());
  const s = (await client.call("status", {})) as StatusSummary & { gateway: Record<string, unknown> };
  assert.deepEqual(s.sessions.paths, []);
  assert.equal(s.sessions.byAgent[0]!.path, "[redacted]");
  assert.deepEqual(s.sessions.byAgent[0]!.recent, []);
  assert.equal(s.gateway.configPath, undefined);
});

test("health carries the event loop block OpenClaw's CLI prints", async (t) => {
  const gw = await startTestGateway(t);
  const client = await gw.connect();
  t.after(() => client.close());
  const h = (await client.call("health", { probe: true })) as { eventLoop: Record<string, unknown>; modelRuntime: { degraded: boolean } };
  for (const k of ["intervalMs", "delayP99Ms", "delayMaxMs", "utilization", "cpuCoreRatio"]) assert.equal(typeof h.eventLoop[k], "number", k);
  // The first sample covers start-up (busy on a loaded machine): degraded must agree with its reasons.
  assert.equal(typeof h.eventLoop.degraded, "boolean");
  assert.equal(h.eventLoop.degraded, (h.eventLoop.reasons as string[]).length > 0);
  assert.equal(h.modelRuntime.degraded, false);
});

test("diagnostics.stability returns recorded events, newest last, filtered by type and limit", async (t) => {
  const gw = await startTestGateway(t);
  const client = await gw.connect();
  t.after(() => client.close());
  gw.rt.log.warn("first warning");
  gw.rt.log.error("then an error");
  type Stability = { capacity: number; count: number; dropped: number; firstSeq: number; lastSeq: number; events: Array<{ seq: number; type: string; message?: string }>; summary: { byType: Record<string, number> } };
  const all = (await client.call("diagnostics.stability", { limit: 1000 })) as Stability;
  assert.equal(all.capacity, 1000);
  assert.equal(all.dropped, 0);
  assert.equal(all.events[0]!.type, "gateway.lifecycle");
  assert.deepEqual(all.events.slice(-2).map((e) => [e.type, e.message]), [["log.warn", "first warning"], ["log.error", "then an error"]]);
  assert.equal(all.count, all.events.length);
  assert.equal(all.lastSeq, all.events.at(-1)!.seq);
  assert.equal(all.summary.byType["log.error"], 1);
  const errors = (await client.call("diagnostics.stability", { limit: 1000, type: "log.error" })) as Stability;
  assert.deepEqual(errors.events.map((e) => e.message), ["then an error"]);
  const none = (await client.call("diagnostics.stability", { limit: 1000, type: "telemetry.exporter" })) as Stability;
  assert.equal(none.count, 0);
  assert.equal(none.firstSeq, null);
  const one = (await client.call("diagnostics.stability", { limit: 1 })) as Stability;
  assert.equal(one.events.length, 1);
  assert.equal(one.events[0]!.message, "then an error");
});
