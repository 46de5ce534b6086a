/**
 * The Discord plugin under the real channel manager, against the loopback Discord: accounts start
 * and report through `snapshots()`, the manager's probe reaches `users/@me`, a guild policy edit
 * applies to the next message without a reconnect (live section), and a token edit restarts only
 * that account.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { startFakeDiscord } from "../../../test/helpers/fake-discord.js";
import { pollUntil } from "../../infra/index.js";
import type { ChannelLog, InboundMessage } from "../contract.js";
import { ChannelManager } from "../manager.js";
import { discordPlugin } from "./plugin.js";

const TOKEN = "MTEwMDAwMDAwMDAwMDAwMDAx.Gmanag.manager-test-token-0123456789";
const GUILD = "2200000000000000001";
const ROOM = "2200000000000000011";
const quiet: ChannelLog = { debug() {}, info() {}, warn() {}, error() {} };

test("under the channel manager: connected snapshot, bounded probe, a policy edit without reconnect, a token edit restarts", async (t) => {
  const server = await startFakeDiscord({ token: TOKEN, guilds: [{ id: GUILD, name: "Ops", channels: [{ id: ROOM, name: "room" }] }] });
  t.after(() => server.close());
  let config: Record<string, unknown> = { channels: { discord: { token: TOKEN, guilds: { [GUILD]: { requireMention: true } } } } };
  const discordSection = () => (config.channels as { discord: Record<string, unknown> }).discord;
  const inbound: InboundMessage[] = [];
  const m = new ChannelManager({
    plugins: [discordPlugin({ backoff: { initialMs: 20, maxMs: 100 }, section: discordSection })],
    config: () => config,
    environment: { env: { DISCORD_API_URL: server.apiUrl }, stateDir: "/nonexistent", credentialsDir: "/nonexistent" },
    onInbound: (msg) => void inbound.push(msg),
    log: () => quiet,
    monitor: { intervalMs: 0 },
  });
  t.after(() => m.stop());
  await m.start();
  const snap = () => m.snapshots().find((c) => c.channel === "discord")?.accounts[0];
  assert.ok(await pollUntil(() => snap()?.connected === true, 15_000, 20), `connected (${snap()?.lastError})`);
  assert.equal(snap()?.tokenSource, "config");
  assert.ok(!JSON.stringify(m.snapshots()).includes(TOKEN));
  const probes = await m.probe(3000);
  assert.equal([...probes.values()][0]?.ok, true);

  server.dispatch({ channelId: ROOM, guildId: GUILD, authorId: "4400000000000000001", content: "first" });
  assert.ok(await pollUntil(() => inbound.length === 1, 10_000, 20));
  assert.deepEqual(inbound[0]?.groupAccess, { requireMention: true });

  config = { channels: { discord: { token: TOKEN, guilds: { [GUILD]: { requireMention: false } } } } };
  assert.deepEqual(await m.reconcile(), { started: [], restarted: [], stopped: [] }, "a policy edit restarts nothing");
  server.dispatch({ channelId: ROOM, guildId: GUILD, authorId: "4400000000000000001", content: "second" });
  assert.ok(await pollUntil(() => inbound.length === 2, 10_000, 20));
  assert.deepEqual(inbound[1]?.groupAccess, { requireMention: false }, "the next message sees the edit");
  assert.equal(server.identifies().length, 1, "no reconnect");

  config = { channels: { discord: { token: `${TOKEN}x`, guilds: { [GUILD]: { requireMention: false } } } } };
  assert.deepEqual((await m.reconcile()).restarted, ["discord/default"], "a token edit restarts the account");
  await m.stop();
});
