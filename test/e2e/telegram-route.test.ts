/**
 * The inbound path end to end, without the gateway wiring: a loopback Telegram Bot API delivers a DM
 * through the real grammy adapter to the channel router, which applies the access policy (drops
 * counted by reason), sends a pairing code once to an unknown sender, and runs allowed messages
 * as agent turns (real AgentRuns, loopback Anthropic server) whose replies go back through the Bot API.
 */
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { test } from "node:test";
import { AgentRuns } from "../../src/agent/index.js";
import { ChannelRouter, DropCounters, DuplicateFilter, PairingStore, resolveTelegramAccount, TelegramAccount } from "../../src/channels/index.js";
import { createStateLayout, pollUntil } from "../../src/infra/index.js";
import { createLogger } from "../../src/logging/index.js";
import { startFakeLlm } from "../helpers/fake-llm.js";
import { startFakeTelegram } from "../helpers/fake-telegram.js";

const TOKEN = "123456789:AAplantedTelegramTokenValue0123456789";

test("DM from an allowlisted id is answered by the agent; another id is dropped and counted; pairing sends one code and approve lets the next message in", async (t) => {
  const home = mkdtempSync(path.join(os.tmpdir(), "openclaw-tg-route-"));
  t.after(() => rmSync(home, { recursive: true, force: true }));
  // Echoes the newest ping (DMs share the agent's main session under the default dmScope, so older ones are in the history).
  const llm = await startFakeLlm((req) => ({ text: `echo: ${[...JSON.stringify(req.body.messages).matchAll(/ping-[\w-]+/g)].at(-1)?.[0] ?? "?"}` }));
  t.after(() => llm.close());
  const bot = await startFakeTelegram({ tokens: [TOKEN], botUsername: "ops_bot" });
  t.after(() => bot.close());
  let config: Record<string, unknown> = {
    agents: { defaults: { model: { primary: "anthropic/claude-sonnet-4-6" } } },
    models: { providers: { anthropic: { baseUrl: llm.anthropicUrl, apiKey: "sk-ant-api03-routeKEY00000000000000000000000" } } },
    channels: { telegram: { botToken: TOKEN, apiRoot: bot.apiRoot, dmPolicy: "allowlist", allowFrom: ["tg:1001"] } },
  };
  const env = { HOME: home };
  const layout = createStateLayout(path.join(home, ".openclaw"), { env });
  const runs = new AgentRuns({ config: () => config as never, layout, env, tools: () => [], requestApproval: async () => "deny", emit: () => {} });
  const lines: string[] = [];
  const log = createLogger("telegram");
  const drops = new DropCounters();
  const pairing = new PairingStore({ credentialsDir: layout.credentialsDir });
  const account = new TelegramAccount(resolveTelegramAccount((config.channels as { telegram: Record<string, unknown> }).telegram, "default", env), { pollTimeoutSec: 1 });
  t.after(() => account.stop());
  const router = new ChannelRouter({
    config: () => config,
    runs,
    pairing,
    drops,
    duplicates: new DuplicateFilter(),
    send: (msg, text) => account.send(msg.groupId ?? msg.senderId, text),
    log: { info: (m) => lines.push(m), warn: (m) => lines.push(m) },
  });
  const outcomes: unknown[] = [];
  await account.start({ onInbound: (m) => void router.handle(m).then((o) => outcomes.push(o)), log });

  bot.enqueue({ chatId: 1001, fromId: 1001, fromName: "Ada", text: "ping-one" });
  assert.ok(await pollUntil(() => bot.sent().length === 1, 15_000, 20), "the agent's reply was sent");
  assert.deepEqual(bot.sent()[0], { chatId: "1001", text: "echo: ping-one" });

  bot.enqueue({ chatId: 2002, fromId: 2002, text: "ping-stranger" });
  assert.ok(await pollUntil(() => drops.snapshot().length === 1, 10_000, 20));
  assert.deepEqual(drops.snapshot(), [{ channel: "telegram", accountId: "default", reason: "not-allowlisted", count: 1 }]);
  assert.ok(lines.some((l) => /not-allowlisted/.test(l) && !l.includes("2002")), "logged with the sender masked");
  assert.equal(bot.sent().length, 1, "nothing sent to the stranger");

  config = { ...config, channels: { telegram: { botToken: TOKEN, apiRoot: bot.apiRoot, dmPolicy: "pairing", allowFrom: [] } } };
  bot.enqueue({ chatId: 3003, fromId: 3003, text: "ping-pair-1" });
  bot.enqueue({ chatId: 3003, fromId: 3003, text: "ping-pair-2" });
  assert.ok(await pollUntil(() => drops.snapshot().some((d) => d.reason === "pairing-pending" && d.count === 2), 10_000, 20));
  const codes = bot.sent().filter((s) => s.chatId === "3003");
  assert.equal(codes.length, 1, "the code is sent once");
  const code = /Pairing code: (\w{8})/.exec(codes[0]!.text)![1]!;
  assert.ok(await pairing.approvePairing("telegram", code));
  bot.enqueue({ chatId: 3003, fromId: 3003, text: "ping-after" });
  assert.ok(await pollUntil(() => bot.sent().some((s) => s.chatId === "3003" && s.text === "echo: ping-after"), 15_000, 20), "approved sender answered");
  for (const l of lines) assert.ok(!l.includes(TOKEN), "the bot token is never logged");
});
