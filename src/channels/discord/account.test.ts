import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import path from "node:path";
import { after, test } from "node:test";
import { type FakeDiscord, startFakeDiscord } from "../../../test/helpers/fake-discord.js";
import { pollUntil } from "../../infra/index.js";
import { AppError } from "../../shared/index.js";
import type { ChannelLog, InboundMessage } from "../contract.js";
import { DiscordAccount, type DiscordAccountOptions } from "./account.js";
import { resolveDiscordAccount } from "./config.js";

const PLANTED = "MTEwMDAw.PLANTED-discord-token.do-not-leak-0123456789";
const GUILD = "2200000000000000001";
const GENERAL = "2200000000000000011";

function captureLog(): ChannelLog & { lines: string[] } {
  const lines: string[] = [];
  const rec = (level: string) => (message: string, fields?: Record<string, unknown>) => void lines.push(`${level} ${message} ${JSON.stringify(fields ?? {})}`);
  return { lines, debug: rec("debug"), info: rec("info"), warn: rec("warn"), error: rec("error") };
}

const accounts: DiscordAccount[] = [];
after(async () => {
  for (const a of accounts) await a.stop();
});

function account(server: FakeDiscord, section: Record<string, unknown>, options: DiscordAccountOptions = {}): DiscordAccount {
  const a = new DiscordAccount(resolveDiscordAccount(section, "default", { DISCORD_API_URL: server.apiUrl }), { backoff: { initialMs: 50, maxMs: 400 }, ...options });
  accounts.push(a);
  return a;
}

test("discord.js against the loopback gateway: identify with the four intents, READY → connected, DMs and guild messages arrive; own messages are ignored", async (t) => {
  const server = await startFakeDiscord({ token: PLANTED, guilds: [{ id: GUILD, name: "Ops Room", channels: [{ id: GENERAL, name: "general" }] }] });
  t.after(() => server.close());
  const log = captureLog();
  const inbound: InboundMessage[] = [];
  const a = account(server, { token: PLANTED, guilds: { [GUILD]: { channels: { general: { requireMention: true } } } } });
  const abort = new AbortController();
  await a.start({ onInbound: (m) => void inbound.push(m), log, signal: abort.signal });
  assert.ok(await pollUntil(() => a.snapshot().connected, 15_000, 20), `connected (${a.snapshot().lastError})`);
  // Guilds (1) | GuildMessages (512) | DirectMessages (4096) | MessageContent (32768).
  assert.deepEqual(server.identifies(), [{ intents: 1 | 512 | 4096 | 32768, tokenOk: true }]);
  assert.deepEqual(a.snapshot().bot, server.bot);

  server.dispatch({ channelId: "3300000000000000001", authorId: "4400000000000000001", authorName: "Ada", content: "hello there" });
  server.dispatch({ channelId: GENERAL, guildId: GUILD, authorId: "4400000000000000002", content: `<@${server.bot.id}> status?`, mentions: [server.bot.id] });
  server.dispatch({ channelId: GENERAL, guildId: GUILD, authorId: "4400000000000000002", content: "just chatting" });
  server.dispatch({ channelId: GENERAL, guildId: GUILD, authorId: "4400000000000000002", content: "about that", replyToBot: true });
  server.dispatch({ channelId: GENERAL, guildId: GUILD, authorId: server.bot.id, content: "my own words" });
  server.dispatch({ channelId: GENERAL, guildId: GUILD, authorId: "5500000000000000001", bot: true, content: "another bot" });
  assert.ok(await pollUntil(() => inbound.length === 4 && a.snapshot().ignored === 2, 10_000, 20), `4 inbound, 2 ignored (got ${inbound.length}, ${a.snapshot().ignored})`);
  const [dm, mention, plain, reply] = inbound as [InboundMessage, InboundMessage, InboundMessage, InboundMessage];
  assert.equal(dm.chatType, "direct");
  assert.equal(dm.senderId, "4400000000000000001");
  assert.equal(dm.senderName, "Ada");
  assert.equal(dm.groupAccess, undefined);
  assert.deepEqual({ chatType: mention.chatType, groupId: mention.groupId, mentioned: mention.mentioned, text: mention.text, groupAccess: mention.groupAccess }, { chatType: "group", groupId: GENERAL, mentioned: true, text: "status?", groupAccess: { requireMention: true } });
  assert.equal(plain.mentioned, false);
  assert.equal(reply.mentioned, true, "a reply to the bot counts as a mention");
  assert.ok(a.snapshot().lastInboundAt);

  await a.stop();
  assert.equal(a.snapshot().connected, false);
  assert.equal(a.snapshot().running, false);
  const text = JSON.stringify(a.snapshot()) + log.lines.join("\n");
  assert.ok(!text.includes(PLANTED), "the token is in no snapshot or log line");
});

test("send: user:<id> opens the DM channel once; channel ids post directly; 4500 characters go out as three chunks of at most 2000", async (t) => {
  const server = await startFakeDiscord({ token: PLANTED });
  t.after(() => server.close());
  const a = account(server, { token: PLANTED });
  const first = await a.send("user:4400000000000000001", "hi");
  await a.send("user:4400000000000000001", "again");
  assert.equal(server.requests().filter((r) => r === "POST /users/@me/channels").length, 1, "the DM channel is opened once");
  assert.equal(first.messageIds.length, 1);
  const long = Array.from({ length: 90 }, (_, i) => `line ${String(i).padStart(2, "0")} ${"x".repeat(42)}`).join("\n");
  assert.ok(long.length > 4000);
  const sent = await a.send(`channel:${GENERAL}`, long);
  const chunks = server.posts().filter((p) => p.channelId === GENERAL);
  assert.equal(sent.messageIds.length, 3);
  assert.equal(chunks.length, 3);
  for (const c of chunks) assert.ok(c.content.length <= 2000, `chunk of ${c.content.length}`);
  assert.equal(chunks.map((c) => c.content).join("\n"), long, "nothing lost between chunks");
  assert.deepEqual(chunks[0]?.body.allowed_mentions, { parse: ["users", "roles"] }, "@everyone is never pinged");
  await a.typing(`channel:${GENERAL}`);
  assert.ok(server.requests().includes(`POST /channels/${GENERAL}/typing`), "typing indicator sent");
  await a.send(GENERAL, "bare id");
  assert.equal(server.posts().at(-1)?.channelId, GENERAL);
  await assert.rejects(a.send("#general", "x"), (e: unknown) => e instanceof AppError && e.code === "USAGE" && /user:<id>/.test(e.hint ?? ""));
  assert.ok(a.snapshot().lastOutboundAt);
});

test("probe: users/@me answers with the bot; a hanging REST answers within the deadline; a wrong token is an error without the token", async (t) => {
  const server = await startFakeDiscord({ token: PLANTED });
  t.after(() => server.close());
  const ok = await account(server, { token: PLANTED }).probe(3000);
  assert.equal(ok.ok, true);
  assert.deepEqual(ok.bot, server.bot);

  const hanging = await startFakeDiscord({ token: PLANTED, hang: new Set(["GET /users/@me"]) });
  t.after(() => hanging.close());
  const started = Date.now();
  const slow = await account(hanging, { token: PLANTED }).probe(300);
  const elapsed = Date.now() - started;
  assert.equal(slow.ok, false);
  assert.match(slow.error ?? "", /timed out after 300 ms/);
  assert.ok(elapsed < 5000, `answered within its deadline (took ${elapsed} ms)`);

  const wrong = account(server, { token: "MTEwMDAw.WRONG-token.value-0000000000" });
  const refused = await wrong.probe(3000);
  assert.equal(refused.ok, false);
  assert.match(refused.error ?? "", /401/);
  assert.ok(!JSON.stringify(refused).includes("WRONG-token"));
});

test("a rejected token at login is a clear lastError and no retry loop", async (t) => {
  const server = await startFakeDiscord({ token: PLANTED });
  t.after(() => server.close());
  const log = captureLog();
  const a = account(server, { token: "MTEwMDAw.WRONG-token.value-0000000000" });
  await a.start({ onInbound: () => undefined, log, signal: new AbortController().signal });
  assert.ok(await pollUntil(() => /rejected the bot token/.test(a.snapshot().lastError ?? ""), 10_000, 20), `lastError: ${a.snapshot().lastError}`);
  const calls = server.requests().length;
  assert.equal(a.snapshot().connected, false);
  assert.equal(a.snapshot().reconnectAttempts, 0);
  assert.ok(!log.lines.join("\n").includes("WRONG-token"));
  assert.equal(server.requests().length, calls, "no further login attempts");
});

test("no token: start throws CONFIG_INVALID naming the key; the snapshot says unconfigured", async () => {
  const a = new DiscordAccount(resolveDiscordAccount({}, "default", {}));
  await assert.rejects(a.start({ onInbound: () => undefined, log: captureLog(), signal: new AbortController().signal }), (e: unknown) => e instanceof AppError && e.code === "CONFIG_INVALID" && /channels\.discord\.token/.test(e.message) && /DISCORD_BOT_TOKEN/.test(e.message));
  assert.equal(a.snapshot().configured, false);
  assert.equal(a.snapshot().tokenSource, "none");
});

test("an outage shows in the snapshot (connected false, lastDisconnectAt, reconnectAttempts) and discord.js reconnects when the gateway returns", async (t) => {
  const server = await startFakeDiscord({ token: PLANTED, heartbeatIntervalMs: 500 });
  t.after(() => server.close());
  const inbound: InboundMessage[] = [];
  const a = account(server, { token: PLANTED, dmPolicy: "open" });
  await a.start({ onInbound: (m) => void inbound.push(m), log: captureLog(), signal: new AbortController().signal });
  assert.ok(await pollUntil(() => a.snapshot().connected, 15_000, 20));
  const firstConnect = a.snapshot().lastConnectedAt as number;
  await server.stop();
  assert.ok(await pollUntil(() => !a.snapshot().connected, 15_000, 20), "the lost connection shows");
  const gap = a.snapshot();
  assert.ok((gap.lastDisconnectAt ?? 0) >= firstConnect);
  assert.ok(gap.reconnectAttempts >= 1, `reconnectAttempts ${gap.reconnectAttempts}`);
  assert.equal(gap.running, true);
  await server.restart();
  assert.ok(await pollUntil(() => a.snapshot().connected, 30_000, 20), `reconnected (${a.snapshot().lastError})`);
  assert.ok((a.snapshot().lastConnectedAt ?? 0) > firstConnect);
  assert.equal(server.identifies().length, 2, "the forgotten session was re-identified");
  server.dispatch({ channelId: "3300000000000000001", authorId: "4400000000000000001", content: "back again" });
  assert.ok(await pollUntil(() => inbound.some((m) => m.text === "back again"), 10_000, 20), "messages flow after the reconnect");
  await a.stop();
});

test("a dropped gateway socket is resumed (no new IDENTIFY) and counted; aborting the start signal closes the connection", async (t) => {
  const server = await startFakeDiscord({ token: PLANTED, heartbeatIntervalMs: 500 });
  t.after(() => server.close());
  const inbound: InboundMessage[] = [];
  const a = account(server, { token: PLANTED });
  const abort = new AbortController();
  await a.start({ onInbound: (m) => void inbound.push(m), log: captureLog(), signal: abort.signal });
  assert.ok(await pollUntil(() => a.snapshot().connected, 15_000, 20));
  server.dropConnections();
  assert.ok(await pollUntil(() => server.resumes() === 1 && a.snapshot().connected, 30_000, 20), `resumed (${a.snapshot().lastError})`);
  assert.ok(a.snapshot().reconnectAttempts >= 1);
  assert.ok(a.snapshot().lastDisconnectAt !== null);
  assert.equal(server.identifies().length, 1, "resumed, not re-identified");
  server.dispatch({ channelId: "3300000000000000001", authorId: "4400000000000000001", content: "after resume" });
  assert.ok(await pollUntil(() => inbound.some((m) => m.text === "after resume"), 10_000, 20));

  abort.abort();
  assert.ok(await pollUntil(() => !a.snapshot().running && server.openSockets() === 0, 10_000, 20), "the abort closed the gateway socket");
  assert.equal(a.snapshot().connected, false);
});

test("an account stopped while discord.js retries a lost gateway leaves no reconnect loop behind (the process exits)", () => {
  const root = path.resolve(import.meta.dirname, "../../..");
  const run = spawnSync(process.execPath, ["--import", "tsx", "test/fixtures/discord-stop-in-outage.ts"], { cwd: root, encoding: "utf8", timeout: 45_000 });
  assert.equal(run.signal, null, `the process was still running when killed: ${run.stdout}${run.stderr}`);
  assert.equal(run.status, 0, run.stderr);
  assert.match(run.stdout, /stopped after \d+ reconnect attempts/);
});
