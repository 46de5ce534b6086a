import assert from "node:assert/strict";
import { after, test } from "node:test";
import { type FakeSignalCli, startFakeSignalCli } from "../../../test/helpers/fake-signal-cli.js";
import { pollUntil } from "../../infra/index.js";
import { AppError } from "../../shared/index.js";
import type { ChannelLog } from "../contract.js";
import { SignalAccount } from "./account.js";
import { resolveSignalAccount } from "./config.js";
import type { SignalInbound } from "./inbound.js";

const BOT = "+15550001111";
const BOT_UUID = "aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee";

function captureLog(): ChannelLog & { lines: string[] } {
  const lines: string[] = [];
  const rec = (level: string) => (message: string, fields?: Record<string, unknown>) => void lines.push(`${level} ${message} ${JSON.stringify(fields ?? {})}`);
  return { lines, debug: rec("debug"), info: rec("info"), warn: rec("warn"), error: rec("error") };
}

const accounts: SignalAccount[] = [];
after(async () => {
  for (const a of accounts) await a.stop();
});

function external(fake: FakeSignalCli, extra: Record<string, unknown> = {}): SignalAccount {
  const a = new SignalAccount(resolveSignalAccount({ account: BOT, accountUuid: BOT_UUID, transport: { kind: "external-native", url: fake.baseUrl }, ...extra }, "default"), { backoff: { initialMs: 50, maxMs: 300 }, rpcTimeoutMs: 3000 });
  accounts.push(a);
  return a;
}

test("SSE receive: DMs (number and uuid-only), groups with native mentions of our number or ACI; own and non-text envelopes are skipped", async (t) => {
  const fake = await startFakeSignalCli({ accounts: [BOT, "+15550002222"] });
  t.after(() => fake.close());
  const inbound: SignalInbound[] = [];
  const a = external(fake);
  await a.start({ onInbound: (m) => void inbound.push(m as SignalInbound), log: captureLog() });
  assert.ok(await pollUntil(() => a.snapshot().connected === true && fake.streams() === 1, 5000, 10));
  fake.push({ from: "+15557654321", name: "Ada", text: "hello" });
  fake.push({ from: "9d2b2a4e-3c55-4f0e-9a55-6c1f3b1e2d77", text: "no number" });
  fake.push({ from: "+15557654321", text: "hey bot", groupId: "R3JvdXBJZA==", mentions: [{ number: BOT }] });
  fake.push({ from: "+15557654321", text: "hey you", groupId: "R3JvdXBJZA==", mentions: [{ uuid: BOT_UUID }] });
  fake.push({ from: "+15557654321", text: "chatter", groupId: "R3JvdXBJZA==", mentions: [{ number: "+15559999999" }] });
  fake.push({ from: BOT, text: "my own message" });
  fake.push({ from: "+15557654321", text: "for the other account" }, "+15550002222");
  fake.push({ from: "+15557654321", text: "last" });
  assert.ok(await pollUntil(() => inbound.at(-1)?.text === "last", 5000, 10), `got ${inbound.map((m) => m.text)}`);
  assert.deepEqual(
    inbound.map((m) => [m.chatType, m.senderId, m.groupId, m.mentioned, m.text]),
    [
      ["direct", "+15557654321", undefined, false, "hello"],
      ["direct", "uuid:9d2b2a4e-3c55-4f0e-9a55-6c1f3b1e2d77", undefined, false, "no number"],
      ["group", "+15557654321", "R3JvdXBJZA==", true, "hey bot"],
      ["group", "+15557654321", "R3JvdXBJZA==", true, "hey you"],
      ["group", "+15557654321", "R3JvdXBJZA==", false, "chatter"],
      ["direct", "+15557654321", undefined, false, "last"],
    ],
  );
  assert.equal(inbound[0]?.senderName, "Ada");
  assert.ok(inbound.every((m) => m.channel === "signal" && m.accountId === "default" && m.ts > 0 && m.messageId.includes(":")));
  assert.ok(await pollUntil(() => a.snapshot().linked === true, 5000, 10), "linked from listAccounts");
  assert.deepEqual([a.snapshot().linked, a.snapshot().mode, a.snapshot().baseUrl, a.snapshot().cliPath], [true, "external-native", fake.baseUrl, null]);
});

test("send: E.164, uuid: and group: targets through JSON-RPC send, chunked at the 4000 limit with nothing lost; bad targets are usage errors", async (t) => {
  const fake = await startFakeSignalCli({ accounts: [BOT] });
  t.after(() => fake.close());
  const a = external(fake);
  const long = `${"word ".repeat(900)}\n\n${"more ".repeat(300)}`;
  const r = await a.send("signal:+15557654321", long);
  assert.equal(r.messageIds.length, 2);
  await a.send("uuid:9d2b2a4e-3c55-4f0e-9a55-6c1f3b1e2d77", "to a uuid");
  await a.send("group:R3JvdXBJZA==", "to the group");
  const sent = fake.sent();
  assert.deepEqual(
    sent.map((s) => [s.account, s.recipient, s.groupId]),
    [
      [BOT, ["+15557654321"], undefined],
      [BOT, ["+15557654321"], undefined],
      [BOT, ["9d2b2a4e-3c55-4f0e-9a55-6c1f3b1e2d77"], undefined],
      [BOT, undefined, "R3JvdXBJZA=="],
    ],
  );
  assert.ok(sent.every((s) => s.message.length <= 4000));
  assert.equal(`${sent[0]?.message} ${sent[1]?.message}`.replace(/\s+/g, " ").trim(), long.replace(/\s+/g, " ").trim(), "no text lost");
  await assert.rejects(a.send("@someone", "x"), (e: unknown) => e instanceof AppError && e.code === "USAGE" && /uuid:<id> or group:<id>/.test(e.message));
  // The daemon refuses (unknown account): the JSON-RPC error is named, with a hint.
  const stranger = new SignalAccount(resolveSignalAccount({ account: "+15553334444", transport: { kind: "external-native", url: fake.baseUrl } }, "default"));
  await assert.rejects(stranger.send("+15557654321", "x"), (e: unknown) => e instanceof AppError && e.code === "UNAVAILABLE" && /Specified account does not exist/.test(e.message) && /listAccounts/.test(e.hint ?? ""));
});

test("outage: the daemon going away → connected:false with lastError and lastDisconnectAt; reconnects and receives when it returns", async (t) => {
  const fake = await startFakeSignalCli({ accounts: [BOT] });
  t.after(() => fake.close());
  const log = captureLog();
  const inbound: SignalInbound[] = [];
  const a = external(fake);
  await a.start({ onInbound: (m) => void inbound.push(m as SignalInbound), log });
  assert.ok(await pollUntil(() => a.snapshot().connected === true, 5000, 10));
  fake.push({ from: "+15557654321", text: "before" });
  assert.ok(await pollUntil(() => inbound.length === 1, 5000, 10));
  await fake.stop();
  const seen: boolean[] = [];
  const retried = () => {
    seen.push(a.snapshot().connected === true);
    return (a.snapshot().reconnectAttempts as number) >= 3;
  };
  assert.ok(await pollUntil(retried, 10_000, 5), "retries while the daemon is gone");
  assert.ok(!seen.slice(1).includes(true), "never connected while the daemon is down");
  const gap = a.snapshot();
  assert.deepEqual([gap.connected, gap.running], [false, true]);
  assert.match(String(gap.lastError), /events at http:\/\/127\.0\.0\.1:\d+: .*(ECONNREFUSED|closed|terminated|ECONNRESET)/);
  assert.ok(typeof gap.lastDisconnectAt === "number" && gap.lastDisconnectAt >= (gap.lastConnectedAt as number), "the gap is visible");
  await fake.restart();
  fake.push({ from: "+15557654321", text: "after" });
  assert.ok(await pollUntil(() => a.snapshot().connected === true && inbound.length === 2, 10_000, 10), "reconnects and receives (the event is replayed after Last-Event-ID)");
  assert.equal(inbound[1]?.text, "after");
  assert.equal(a.snapshot().lastError, null);
  assert.ok(log.lines.some((l) => l.startsWith("info signal reconnected")));
  await a.stop();
  assert.deepEqual([a.snapshot().running, a.snapshot().connected, typeof a.snapshot().lastStopAt], [false, false, "number"]);
});

test("a replayed event (unknown Last-Event-ID after a daemon restart) reaches the router once", async (t) => {
  const fake = await startFakeSignalCli({ accounts: [BOT] });
  t.after(() => fake.close());
  const inbound: SignalInbound[] = [];
  const a = external(fake, {});
  await a.start({ onInbound: (m) => void inbound.push(m as SignalInbound), log: captureLog() });
  assert.ok(await pollUntil(() => fake.streams() === 1, 5000, 10));
  fake.push({ from: "+15557654321", text: "once", timestamp: 1_700_000_123_000 });
  assert.ok(await pollUntil(() => inbound.length === 1, 5000, 10));
  // Same message kept under a new event id: a reconnect sends all kept events again.
  fake.push({ from: "+15557654321", text: "once", timestamp: 1_700_000_123_000 });
  fake.push({ from: "+15557654321", text: "next" });
  assert.ok(await pollUntil(() => inbound.some((m) => m.text === "next"), 5000, 10));
  assert.deepEqual(inbound.map((m) => m.text), ["once", "next"]);
  assert.equal(a.snapshot().duplicatesDropped, 1);
});

test("probe: check + version within the deadline; a hung daemon answers within the timeout; a dead one names the reason", async (t) => {
  const fake = await startFakeSignalCli({ accounts: [BOT], version: "0.13.99" });
  t.after(() => fake.close());
  const a = external(fake);
  const ok = await a.probe(3000);
  assert.deepEqual([ok.ok, ok.version], [true, "0.13.99"]);
  fake.hang.add("version");
  const started = Date.now();
  const hung = await a.probe(300);
  assert.equal(hung.ok, false);
  assert.match(hung.error ?? "", /version timed out after 300 ms/);
  assert.ok(Date.now() - started < 3000, "bounded by the probe timeout");
  await fake.stop();
  const down = await a.probe(1000);
  assert.equal(down.ok, false);
  assert.match(down.error ?? "", /check at http:\/\/127\.0\.0\.1:\d+ failed: .*(ECONNREFUSED|UND_ERR_SOCKET)/);
  assert.deepEqual([(a.snapshot().probe as { ok: boolean }).ok, typeof a.snapshot().lastProbeAt], [false, "number"]);
});

test("config errors refuse to start with the key and the fix; probe says the same without a network call", async () => {
  const none = new SignalAccount(resolveSignalAccount({ transport: { kind: "external-native", url: "http://127.0.0.1:9" } }, "default"));
  await assert.rejects(none.start({ onInbound: () => {}, log: captureLog() }), (e: unknown) => e instanceof AppError && e.code === "CONFIG_INVALID" && /channels\.signal\.account is not set/.test(e.message));
  assert.match((await none.probe(100)).error ?? "", /account is not set/);
  assert.deepEqual([none.snapshot().configured, none.snapshot().running], [false, false]);
  const container = new SignalAccount(resolveSignalAccount({ account: BOT, transport: { kind: "container", url: "http://signal:8080" } }, "default"));
  await assert.rejects(container.start({ onInbound: () => {}, log: captureLog() }), /"container".*not supported.*external-native/);
});

test("a silent stream (no keep-alive within idleTimeoutMs) is treated as dead and reconnected; keep-alives keep it up", async (t) => {
  const silent = await startFakeSignalCli({ accounts: [BOT], keepAliveMs: 60_000 });
  t.after(() => silent.close());
  const a = new SignalAccount(resolveSignalAccount({ account: BOT, transport: { kind: "external-native", url: silent.baseUrl } }, "default"), { backoff: { initialMs: 20, maxMs: 50 }, idleTimeoutMs: 200 });
  accounts.push(a);
  await a.start({ onInbound: () => {}, log: captureLog() });
  assert.ok(await pollUntil(() => (a.snapshot().reconnectAttempts as number) >= 2, 5000, 10), "reconnects a half-open stream");
  assert.match(String(a.snapshot().lastError ?? ""), /no data for 200 ms/);
  await a.stop();

  const chatty = await startFakeSignalCli({ accounts: [BOT], keepAliveMs: 40 });
  t.after(() => chatty.close());
  const b = new SignalAccount(resolveSignalAccount({ account: BOT, transport: { kind: "external-native", url: chatty.baseUrl } }, "default"), { backoff: { initialMs: 20, maxMs: 50 }, idleTimeoutMs: 400 });
  accounts.push(b);
  await b.start({ onInbound: () => {}, log: captureLog() });
  assert.ok(await pollUntil(() => b.snapshot().connected === true, 5000, 10));
  // 30 keep-alives at 40 ms span three idle windows of 400 ms: no reconnect on keep-alives alone.
  const base = chatty.keepAlives();
  assert.ok(await pollUntil(() => chatty.keepAlives() - base >= 30, 10_000, 20));
  assert.equal(b.snapshot().connected, true);
  assert.equal(b.snapshot().reconnectAttempts, 0);
});

test("typing goes out as JSON-RPC sendTyping to the same target forms", async (t) => {
  const fake = await startFakeSignalCli({ accounts: [BOT] });
  t.after(() => fake.close());
  const a = external(fake);
  await a.typing("+15557654321");
  await a.typing("group:R3JvdXBJZA==");
  assert.deepEqual(
    fake.calls.filter((c) => c.method === "sendTyping").map((c) => c.params),
    [
      { account: BOT, recipient: ["+15557654321"] },
      { account: BOT, groupId: "R3JvdXBJZA==" },
    ],
  );
});
