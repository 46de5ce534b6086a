/**
 * The Discord inbound path end to end, without the gateway wiring: a loopback Discord (REST +
 * gateway WebSocket) delivers MESSAGE_CREATE through the real discord.js adapter to the channel
 * router, which applies the access policy (the guild/channel allowlist resolved by the adapter,
 * mention gating, the DM allowlist; drops counted by reason) and runs allowed messages as agent
 * turns (real AgentRuns, loopback Anthropic server) whose replies go back through Discord's REST API.
 */
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { test } from "node:test";
import { AgentRuns } from "../../src/agent/index.js";
import { ChannelRouter, type DiscordAccount, DropCounters, DuplicateFilter, discordPlugin, PairingStore, resolveDiscordAccount } from "../../src/channels/index.js";
import { createStateLayout, pollUntil } from "../../src/infra/index.js";
import { createLogger } from "../../src/logging/index.js";
import { startFakeDiscord } from "../helpers/fake-discord.js";
import { startFakeLlm } from "../helpers/fake-llm.js";

const TOKEN = "MTEwMDAwMDAwMDAwMDAwMDAx.Gplant.discord-route-token-0123456789";
const GUILD = "2200000000000000001";
const ALLOWED = "2200000000000000011";
const OTHER = "2200000000000000012";
const ADA = "4400000000000000001";
const STRANGER = "4400000000000000009";

test("a mention in an allowed guild channel is answered; unmentioned and unlisted-channel messages are counted; an allowlisted DM is answered; a long reply goes out in 2000-character chunks", async (t) => {
  const home = mkdtempSync(path.join(os.tmpdir(), "openclaw-discord-route-"));
  t.after(() => rmSync(home, { recursive: true, force: true }));
  const long = Array.from({ length: 120 }, (_, i) => `Paragraph ${i}: ${"lorem ipsum ".repeat(4)}end.`).join("\n\n");
  const llm = await startFakeLlm((req) => {
    const ping = [...JSON.stringify(req.body.messages).matchAll(/ping-[\w-]+/g)].at(-1)?.[0] ?? "?";
    return { text: ping === "ping-long" ? long : `echo: ${ping}` };
  });
  t.after(() => llm.close());
  const discord = await startFakeDiscord({ token: TOKEN, guilds: [{ id: GUILD, name: "Ops", channels: [{ id: ALLOWED, name: "bot-room" }, { id: OTHER, name: "random" }] }] });
  t.after(() => discord.close());
  const config: Record<string, unknown> = {
    agents: { defaults: { model: { primary: "anthropic/claude-sonnet-4-6" } } },
    models: { providers: { anthropic: { baseUrl: llm.anthropicUrl, apiKey: "sk-ant-api03-discordKEY000000000000000000000" } } },
    channels: { discord: { token: TOKEN, dmPolicy: "allowlist", allowFrom: [`discord:${ADA}`], groupPolicy: "allowlist", guilds: { [GUILD]: { requireMention: true, channels: { "bot-room": { enabled: true } } } } } },
  };
  const env = { HOME: home, DISCORD_API_URL: discord.apiUrl };
  const layout = createStateLayout(path.join(home, ".openclaw"), { env });
  const runs = new AgentRuns({ config: () => config as never, layout, env, tools: () => [], requestApproval: async () => "deny", emit: () => {} });
  const lines: string[] = [];
  const drops = new DropCounters();
  const plugin = discordPlugin({ backoff: { initialMs: 50, maxMs: 400 } });
  const section = (config.channels as { discord: Record<string, unknown> }).discord;
  const resolved = resolveDiscordAccount(section, "default", env);
  const account = plugin.create(resolved, { env, stateDir: layout.stateDir, credentialsDir: layout.credentialsDir }) as DiscordAccount;
  t.after(() => account.stop());
  const router = new ChannelRouter({
    config: () => config,
    runs,
    pairing: new PairingStore({ credentialsDir: layout.credentialsDir }),
    drops,
    duplicates: new DuplicateFilter(),
    send: (msg, text, options) => account.send(plugin.replyTarget(msg), text, options),
    replyTarget: (msg) => plugin.replyTarget(msg),
    log: { info: (m) => lines.push(m), warn: (m) => lines.push(m) },
  });
  await account.start({ onInbound: (m) => void router.handle(m), log: createLogger("discord"), signal: new AbortController().signal });
  assert.ok(await pollUntil(() => account.snapshot().connected, 15_000, 20), `connected (${account.snapshot().lastError})`);
  const count = (reason: string) => drops.snapshot().find((d) => d.reason === reason)?.count ?? 0;

  discord.dispatch({ channelId: ALLOWED, guildId: GUILD, authorId: STRANGER, content: `<@${discord.bot.id}> ping-guild`, mentions: [discord.bot.id] });
  assert.ok(await pollUntil(() => discord.posts().length === 1, 15_000, 20), "the mention was answered");
  assert.deepEqual({ channelId: discord.posts()[0]?.channelId, content: discord.posts()[0]?.content }, { channelId: ALLOWED, content: "echo: ping-guild" });

  discord.dispatch({ channelId: ALLOWED, guildId: GUILD, authorId: STRANGER, content: "ping-unmentioned" });
  assert.ok(await pollUntil(() => count("mention-required") === 1, 10_000, 20), "unmentioned message counted as mention-required");
  discord.dispatch({ channelId: OTHER, guildId: GUILD, authorId: STRANGER, content: `<@${discord.bot.id}> ping-other`, mentions: [discord.bot.id] });
  assert.ok(await pollUntil(() => count("group-not-allowed") === 1, 10_000, 20), "a channel outside the guild's channel map is counted as group-not-allowed");
  discord.dispatch({ channelId: ALLOWED, guildId: "2200000000000000999", authorId: STRANGER, content: `<@${discord.bot.id}> ping-guild2`, mentions: [discord.bot.id] });
  assert.ok(await pollUntil(() => count("group-not-allowed") === 2, 10_000, 20), "an unlisted guild is counted as group-not-allowed");

  discord.dispatch({ channelId: "3300000000000000001", authorId: ADA, authorName: "Ada", content: "ping-dm" });
  assert.ok(await pollUntil(() => discord.posts().some((p) => p.content === "echo: ping-dm"), 15_000, 20), "the allowlisted DM was answered");
  assert.equal(discord.requests().filter((r) => r === "POST /users/@me/channels").length, 1, "the reply went to Ada's DM channel");
  discord.dispatch({ channelId: "3300000000000000002", authorId: STRANGER, content: "ping-dm-stranger" });
  assert.ok(await pollUntil(() => count("not-allowlisted") === 1, 10_000, 20), "a DM from another user is counted, not answered");

  const before = discord.posts().length;
  discord.dispatch({ channelId: ALLOWED, guildId: GUILD, authorId: STRANGER, content: `<@${discord.bot.id}> ping-long`, mentions: [discord.bot.id] });
  assert.ok(await pollUntil(() => discord.posts().slice(before).map((p) => p.content).join("\n\n").length >= long.length, 20_000, 20), "the long reply arrived");
  const chunks = discord.posts().slice(before);
  assert.ok(chunks.length >= 3, `chunked (${chunks.length} posts for ${long.length} characters)`);
  for (const c of chunks) assert.ok(c.content.length <= 2000, `a chunk of ${c.content.length} characters`);
  assert.equal(chunks.map((c) => c.content).join("\n\n"), long, "nothing lost or reordered");

  assert.equal(discord.posts().filter((p) => /ping-(unmentioned|other|guild2|dm-stranger)/.test(p.content)).length, 0, "nothing sent for dropped messages");
  assert.ok(lines.some((l) => /mention-required/.test(l)));
  for (const l of lines) assert.ok(!l.includes(TOKEN), "the bot token is never logged");
  assert.ok(!JSON.stringify(account.snapshot()).includes(TOKEN));
  await account.stop();
});
