/**
 * Signal's inbound path end to end, without the gateway wiring: a loopback signal-cli daemon
 * (JSON-RPC + SSE as signal-cli speaks them) delivers DMs through the real Signal adapter to the
 * channel router, which applies the access policy (drops counted by reason) and runs allowed messages
 * as agent turns (real AgentRuns, loopback Anthropic server) whose replies go out through JSON-RPC
 * `send`. Then the daemon goes away and comes back: the outage shows, the account reconnects.
 */
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { test } from "node:test";
import { AgentRuns } from "../../src/agent/index.js";
import { ChannelRouter, DropCounters, DuplicateFilter, PairingStore, resolveSignalAccount, SignalAccount, signalPlugin } from "../../src/channels/index.js";
import { createStateLayout, pollUntil } from "../../src/infra/index.js";
import { createLogger } from "../../src/logging/index.js";
import { startFakeLlm } from "../helpers/fake-llm.js";
import { startFakeSignalCli } from "../helpers/fake-signal-cli.js";

const BOT = "+15550001111";
const ADA = "+15557654321";
const STRANGER = "+15559990000";
const UUID_ONLY = "9d2b2a4e-3c55-4f0e-9a55-6c1f3b1e2d77";

test("Signal DM from an allowlisted number is answered through JSON-RPC send; another number is counted not-allowlisted and not answered; an outage shows and the account reconnects", async (t) => {
  const home = mkdtempSync(path.join(os.tmpdir(), "openclaw-signal-route-"));
  t.after(() => rmSync(home, { recursive: true, force: true }));
  const llm = await startFakeLlm((req) => ({ text: `echo: ${[...JSON.stringify(req.body.messages).matchAll(/ping-[\w-]+/g)].at(-1)?.[0] ?? "?"}` }));
  t.after(() => llm.close());
  const daemon = await startFakeSignalCli({ accounts: [BOT] });
  t.after(() => daemon.close());
  const config: Record<string, unknown> = {
    agents: { defaults: { model: { primary: "anthropic/claude-sonnet-4-6" } } },
    models: { providers: { anthropic: { baseUrl: llm.anthropicUrl, apiKey: "sk-ant-api03-signalKEY0000000000000000000000" } } },
    channels: { signal: { account: BOT, transport: { kind: "external-native", url: daemon.baseUrl }, dmPolicy: "allowlist", allowFrom: [ADA, `uuid:${UUID_ONLY.toUpperCase()}`] } },
  };
  const env = { HOME: home };
  const layout = createStateLayout(path.join(home, ".openclaw"), { env });
  const runs = new AgentRuns({ config: () => config as never, layout, env, tools: () => [], requestApproval: async () => "deny", emit: () => {} });
  const lines: string[] = [];
  const drops = new DropCounters();
  const plugin = signalPlugin({ backoff: { initialMs: 50, maxMs: 300 } });
  const account = new SignalAccount(resolveSignalAccount((config.channels as { signal: Record<string, unknown> }).signal, "default"), { backoff: { initialMs: 50, maxMs: 300 } });
  t.after(() => account.stop());
  const router = new ChannelRouter({
    config: () => config,
    runs,
    pairing: new PairingStore({ credentialsDir: layout.credentialsDir }),
    drops,
    duplicates: new DuplicateFilter(),
    send: (msg, text) => account.send(plugin.replyTarget(msg), text),
    replyTarget: (msg) => plugin.replyTarget(msg),
    log: { info: (m) => lines.push(m), warn: (m) => lines.push(m) },
  });
  await account.start({ onInbound: (m) => void router.handle(m), log: createLogger("signal") });
  assert.ok(await pollUntil(() => daemon.streams() === 1, 10_000, 20));

  daemon.push({ from: ADA, name: "Ada", text: "ping-one" });
  assert.ok(await pollUntil(() => daemon.sent().length === 1, 15_000, 20), "the agent's reply was sent");
  assert.deepEqual(daemon.sent()[0], { account: BOT, recipient: [ADA], message: "echo: ping-one" });

  daemon.push({ from: STRANGER, text: "ping-stranger" });
  assert.ok(await pollUntil(() => drops.snapshot().length === 1, 10_000, 20));
  assert.deepEqual(drops.snapshot(), [{ channel: "signal", accountId: "default", reason: "not-allowlisted", count: 1 }]);
  assert.ok(lines.some((l) => /not-allowlisted/.test(l) && !l.includes(STRANGER)), "logged with the sender masked");

  // A sender signal-cli knows only by ACI is allowlisted as uuid:<id> (case-insensitive).
  daemon.push({ from: UUID_ONLY, text: "ping-uuid" });
  assert.ok(await pollUntil(() => daemon.sent().some((s) => s.message === "echo: ping-uuid"), 15_000, 20), "uuid: sender answered");
  assert.deepEqual(daemon.sent().at(-1)?.recipient, [UUID_ONLY]);
  assert.equal(daemon.sent().filter((s) => s.recipient?.includes(STRANGER)).length, 0, "nothing sent to the stranger");

  // The daemon goes away: status shows it; when it returns the account reconnects and answers again.
  await daemon.stop();
  assert.ok(await pollUntil(() => account.snapshot().connected === false && typeof account.snapshot().lastError === "string", 10_000, 20));
  assert.match(String(account.snapshot().lastError), /events at http:\/\/127\.0\.0\.1/);
  await daemon.restart();
  assert.ok(await pollUntil(() => account.snapshot().connected === true, 15_000, 20), "reconnected");
  daemon.push({ from: ADA, text: "ping-back" });
  assert.ok(await pollUntil(() => daemon.sent().some((s) => s.message === "echo: ping-back"), 15_000, 20), "answered after the outage");
});
