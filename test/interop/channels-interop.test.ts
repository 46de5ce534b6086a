/**
 * OpenClaw's own CLI (npm `openclaw@2026.9.6`) on our channels and pairing state (run only where it
 * is installed; see real-openclaw.ts):
 * - `channels status [--json] [--probe] [--channel] [--timeout]` is the `channels.status` RPC on our
 *   gateway; `--json` prints the result as it came, the plain form reads each account's
 *   accountId/name/enabled/configured/linked/running/connected/lastError/mode/dmPolicy/allowFrom/
 *   tokenSource/baseUrl/probe and the top-level channelLabels/statusIssues/eventLoop;
 * - `pairing list|approve` never asks the gateway: OpenClaw 2026.9 keeps DM pairing in its SQLite
 *   state (`state/openclaw.sqlite`, tables channel_pairing_requests and channel_pairing_allow_entries)
 *   and reads `credentials/<channel>-pairing.json` / `-allowFrom.json` only through its doctor, which
 *   imports them and deletes the files. Our PairingStore writes both and reads their union.
 */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { test } from "node:test";
import { PairingStore } from "../../src/channels/index.js";
import { pollUntil } from "../../src/infra/index.js";
import { runInProcess } from "../helpers/cli.js";
import { startTestGateway } from "../helpers/gateway.js";
import { REAL_CLI, type RealRun, runReal, runRealAll } from "./real-openclaw.js";

if (REAL_CLI.skip) console.log(`# skipping OpenClaw channels/pairing interop: ${REAL_CLI.skip}`);

const TOKEN_OFF = "123456:ABCDEFGHIJKLMNOPQRSTUVWXYZoffACCOUNT";
const TOKEN_LIVE = "654321:ABCDEFGHIJKLMNOPQRSTUVWXYZliveACCOUNT";
const show = (r: RealRun) => `openclaw ${r.argv.join(" ")} exited ${r.code}\n--- stdout\n${r.stdout.slice(-3000)}\n--- stderr\n${r.stderr.slice(-3000)}`;

interface AccountRow {
  accountId: string;
  enabled?: boolean;
  configured?: boolean;
  running?: boolean;
  connected?: boolean;
  lastError?: string | null;
}

function parseJson<T>(r: RealRun): T {
  try {
    return JSON.parse(r.stdout) as T;
  } catch {
    return assert.fail(`stdout is not one JSON value: ${show(r)}`);
  }
}

/** A home for the real CLI whose config names only our gateway (its read commands validate strictly). */
function realHome(t: { after(fn: () => void): void }, config: Record<string, unknown>): string {
  const home = mkdtempSync(path.join(os.tmpdir(), "openclaw-real-channels-"));
  t.after(() => rmSync(home, { recursive: true, force: true }));
  mkdirSync(path.join(home, ".openclaw"), { recursive: true });
  writeFileSync(path.join(home, ".openclaw", "openclaw.json"), JSON.stringify(config));
  return home;
}

const telegramAccounts = {
  telegram: {
    dmPolicy: "pairing",
    accounts: {
      off: { enabled: false, botToken: TOKEN_OFF },
      live: { enabled: true, botToken: TOKEN_LIVE, apiRoot: "http://127.0.0.1:1" },
    },
  },
};

test("OpenClaw's channels status (--json, --probe, --channel, --timeout, plain) reads our Telegram accounts", { timeout: 600_000, skip: REAL_CLI.skip }, async (t) => {
  const gw = await startTestGateway(t, { config: { channels: telegramAccounts } });
  const home = realHome(t, { gateway: { mode: "local", port: gw.rt.port, auth: { mode: "token", token: gw.token } } });
  const runs = await runRealAll(
    [
      ["channels", "status", "--json"],
      ["channels", "status", "--probe", "--json"],
      ["channels", "status", "--channel", "telegram", "--json"],
      // OpenClaw bounds the RPC's timeoutMs by --timeout only (no maximum): a long one must still reach us.
      ["channels", "status", "--timeout", "180000", "--json"],
      ["channels", "status"],
    ],
    { home, concurrency: 3 },
  );
  for (const r of runs) {
    assert.equal(r.code, 0, show(r));
    assert.ok(!`${r.stdout}${r.stderr}`.includes(TOKEN_OFF.split(":")[1]!) && !`${r.stdout}${r.stderr}`.includes(TOKEN_LIVE.split(":")[1]!), `no bot token printed: ${show(r)}`);
  }
  const [json, probe, one, long, plain] = runs as [RealRun, RealRun, RealRun, RealRun, RealRun];
  for (const r of [json, probe, one, long]) {
    const payload = parseJson<{ gatewayReachable?: boolean; configOnly?: boolean; channelOrder: string[]; channelLabels: Record<string, string>; channelAccounts: Record<string, AccountRow[]>; channelDefaultAccountId: Record<string, string> }>(r);
    // Its fallback (gateway unreachable or the call refused) prints `{ gatewayReachable: false, configOnly: true }` and still exits 0.
    assert.equal(payload.configOnly, undefined, `the gateway answered, not the config-only fallback: ${show(r)}`);
    // Our gateway counts its own chat clients as the WebChat channel; `--channel telegram` narrows to Telegram.
    assert.deepEqual(payload.channelOrder, r === one ? ["telegram"] : ["telegram", "webchat"], show(r));
    assert.equal(payload.channelLabels.telegram, "Telegram");
    const rows = payload.channelAccounts.telegram ?? [];
    const off = rows.find((a) => a.accountId === "off");
    const live = rows.find((a) => a.accountId === "live");
    assert.ok(off && live, `both accounts listed: ${JSON.stringify(rows)}`);
    assert.equal(off.enabled, false);
    assert.equal(off.configured, true);
    assert.notEqual(off.running, true, "a disabled account does not run");
    assert.equal(live.enabled, true);
    assert.equal(live.configured, true);
    assert.notEqual(live.connected, true, "an account on an unreachable Bot API is not connected");
    assert.equal(typeof payload.channelDefaultAccountId.telegram, "string");
  }
  assert.match(plain.stdout, /Gateway reachable/, show(plain));
  assert.match(plain.stdout, /^- Telegram off: disabled, configured/m, show(plain));
  assert.match(plain.stdout, /^- Telegram live: enabled, configured/m, show(plain));
  assert.doesNotMatch(`${plain.stdout}${plain.stderr}`, /not reachable|config-only|CLI command failed/, show(plain));
});

test("OpenClaw's channels status shows our enabled account on an unreachable Bot API as not connected, with its lastError", { timeout: 600_000, skip: REAL_CLI.skip }, async (t) => {
  const gw = await startTestGateway(t, { channels: true, config: { channels: telegramAccounts } });
  const client = await gw.connect();
  t.after(() => client.close());
  const liveRow = async () => ((await client.call("channels.status", {})) as { channelAccounts: Record<string, AccountRow[]> }).channelAccounts.telegram?.find((a) => a.accountId === "live");
  assert.ok(await pollUntil(async () => typeof (await liveRow())?.lastError === "string", 30_000, 200), `the live account records its connect failure: ${JSON.stringify(await liveRow())}`);
  const home = realHome(t, { gateway: { mode: "local", port: gw.rt.port, auth: { mode: "token", token: gw.token } } });
  const [json, plain] = (await runRealAll([["channels", "status", "--json"], ["channels", "status"]], { home })) as [RealRun, RealRun];
  for (const r of [json, plain]) {
    assert.equal(r.code, 0, show(r));
    assert.ok(!`${r.stdout}${r.stderr}`.includes(TOKEN_LIVE.split(":")[1]!), `the bot token (part of every Bot API URL) is not in lastError: ${show(r)}`);
  }
  const live = parseJson<{ channelAccounts: Record<string, AccountRow[]> }>(json).channelAccounts.telegram?.find((a) => a.accountId === "live");
  assert.equal(typeof live?.lastError, "string", show(json));
  assert.notEqual(live?.connected, true);
  assert.match(plain.stdout, /^- Telegram live: enabled, configured.*error:/m, show(plain));
});

/** OpenClaw's pairing rows for one channel, read with its own Node's `node:sqlite` (ours has none on Node 20). */
function readOpenClawPairingDb(stateDir: string): { requests: Array<Record<string, unknown>>; allow: Array<Record<string, unknown>> } {
  const script = [
    'const { DatabaseSync } = require("node:sqlite");',
    "const db = new DatabaseSync(process.argv[1], { readOnly: true });",
    'const requests = db.prepare("SELECT channel_key, account_id, request_id, code FROM channel_pairing_requests ORDER BY created_at").all();',
    'const allow = db.prepare("SELECT channel_key, account_id, entry, sort_order FROM channel_pairing_allow_entries ORDER BY account_id, sort_order").all();',
    "process.stdout.write(JSON.stringify({ requests, allow }));",
  ].join("\n");
  const r = spawnSync(path.join(REAL_CLI.nodeDir, "node"), ["--no-warnings", "-e", script, path.join(stateDir, "state", "openclaw.sqlite")], { encoding: "utf8" });
  assert.equal(r.status, 0, `reading OpenClaw's SQLite: ${r.stderr}`);
  return JSON.parse(r.stdout) as { requests: Array<Record<string, unknown>>; allow: Array<Record<string, unknown>> };
}

test("OpenClaw's pairing list/approve work on a request our PairingStore created, with no doctor import; its approval reaches our store", { timeout: 600_000, skip: REAL_CLI.skip }, async (t) => {
  const home = realHome(t, { gateway: { mode: "local" }, channels: { telegram: { enabled: false, botToken: TOKEN_OFF, dmPolicy: "pairing" } } });
  const stateDir = path.join(home, ".openclaw");
  const store = new PairingStore({ credentialsDir: path.join(stateDir, "credentials"), stateDir });
  t.after(() => store.close());
  const asked = await store.requestPairing("telegram", "424242", { username: "alice" });
  assert.equal(asked.created, true);
  assert.ok(existsSync(store.pairingFile("telegram")), "the JSON file is still written (older OpenClaw reads it)");

  // OpenClaw 2026.9 reads its SQLite state, which our store writes too: no doctor run needed.
  const list = await runReal(["pairing", "list", "telegram", "--json"], { home });
  assert.equal(list.code, 0, show(list));
  const listed = parseJson<{ channel: string; requests: Array<{ id: string; code: string; createdAt: string; lastSeenAt: string; meta?: Record<string, string> }> }>(list);
  assert.equal(listed.channel, "telegram");
  assert.equal(listed.requests.length, 1, show(list));
  assert.equal(listed.requests[0]!.id, "424242");
  assert.equal(listed.requests[0]!.code, asked.code);
  assert.equal(listed.requests[0]!.createdAt, store.list("telegram")[0]!.createdAt);
  assert.deepEqual(listed.requests[0]!.meta, { username: "alice", accountId: "default" });

  const approve = await runReal(["pairing", "approve", "telegram", asked.code.toLowerCase()], { home });
  assert.equal(approve.code, 0, show(approve));
  assert.match(approve.stdout, /Approved telegram sender 424242/);
  const again = await runReal(["pairing", "approve", "telegram", asked.code], { home });
  assert.equal(again.code, 1, show(again));
  assert.match(again.stderr, /No pending pairing request found/);

  // Its approval (in SQLite only) reaches our running store: the sender is allowed, no longer pending.
  assert.deepEqual(store.readAllowFrom("telegram"), ["424242"]);
  assert.deepEqual(store.list("telegram"), []);
  const db = readOpenClawPairingDb(stateDir);
  assert.deepEqual(db.requests, []);
  assert.deepEqual(db.allow, [{ channel_key: "telegram", account_id: "default", entry: "424242", sort_order: 0 }]);

  // Our writes keep working on the database after OpenClaw opened (and migrated) it, and it reads them.
  const second = await store.requestPairing("telegram", "515151");
  const list2 = await runReal(["pairing", "list", "telegram", "--json"], { home });
  assert.equal(list2.code, 0, show(list2));
  assert.deepEqual(
    parseJson<{ requests: Array<{ id: string; code: string }> }>(list2).requests.map((r) => [r.id, r.code]),
    [["515151", second.code]],
  );

  // Its approve also records the first command owner in openclaw.json; our config layer reads that file.
  const written = JSON.parse(readFileSync(path.join(stateDir, "openclaw.json"), "utf8")) as { commands?: { ownerAllowFrom?: string[] } };
  assert.deepEqual(written.commands?.ownerAllowFrom, ["telegram:424242"]);
  const ours = await runInProcess(["config", "get", "commands.ownerAllowFrom", "--json"], { env: { HOME: home, PATH: process.env.PATH, NO_COLOR: "1" } });
  assert.equal(ours.code, 0, ours.stderr);
  assert.deepEqual(JSON.parse(ours.stdout), ["telegram:424242"]);
});

test("our pairing list/approve read the state OpenClaw's doctor left (JSON files imported into SQLite, then deleted)", { timeout: 600_000, skip: REAL_CLI.skip }, async (t) => {
  const home = realHome(t, { gateway: { mode: "local" }, channels: { telegram: { enabled: false, botToken: TOKEN_OFF, dmPolicy: "pairing" } } });
  const stateDir = path.join(home, ".openclaw");
  const credentialsDir = path.join(stateDir, "credentials");
  // Files as an older OpenClaw (or our gateway before the database mirror) left them: no database yet.
  const now = new Date().toISOString();
  mkdirSync(credentialsDir, { recursive: true });
  writeFileSync(path.join(credentialsDir, "telegram-pairing.json"), JSON.stringify({ version: 1, requests: [{ id: "939393", code: "WXYZ2345", createdAt: now, lastSeenAt: now, meta: { username: "bob", accountId: "default" } }] }));
  writeFileSync(path.join(credentialsDir, "telegram-allowFrom.json"), JSON.stringify({ version: 1, allowFrom: ["111"] }));

  const doctor = await runReal(["doctor", "--fix", "--non-interactive"], { home, timeoutMs: 300_000 });
  assert.notEqual(doctor.code, -1, "OpenClaw's doctor finished");
  assert.match(doctor.stdout, /Migrated 1 telegram pairing request/, show(doctor));
  assert.ok(!existsSync(path.join(credentialsDir, "telegram-pairing.json")), "its doctor deletes the file it imported");
  assert.deepEqual(readOpenClawPairingDb(stateDir).requests, [{ channel_key: "telegram", account_id: "default", request_id: "939393", code: "WXYZ2345" }]);

  const env = { HOME: home, PATH: process.env.PATH, NO_COLOR: "1" };
  const list = await runInProcess(["pairing", "list", "telegram", "--json"], { env });
  assert.equal(list.code, 0, list.stderr);
  const listed = JSON.parse(list.stdout) as { channel: string; requests: Array<{ id: string; code: string; meta?: Record<string, string> }> };
  assert.deepEqual(
    listed.requests.map((r) => [r.id, r.code, r.meta?.username]),
    [["939393", "WXYZ2345", "bob"]],
  );
  const approve = await runInProcess(["pairing", "approve", "telegram", "wxyz2345"], { env });
  assert.equal(approve.code, 0, approve.stderr);
  const store = new PairingStore({ credentialsDir, stateDir });
  t.after(() => store.close());
  assert.deepEqual(store.readAllowFrom("telegram").sort(), ["111", "939393"]);

  const theirs = await runReal(["pairing", "list", "telegram", "--json"], { home });
  assert.equal(theirs.code, 0, show(theirs));
  assert.deepEqual(parseJson<{ requests: unknown[] }>(theirs).requests, [], "our approval left OpenClaw's table too");
  assert.deepEqual(
    readOpenClawPairingDb(stateDir).allow.map((a) => a.entry),
    ["111", "939393"],
  );
});
